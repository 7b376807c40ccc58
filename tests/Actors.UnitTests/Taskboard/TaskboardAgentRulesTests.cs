using Actors.Grains.Platform;
using Actors.Grains.Taskboard;

namespace Actors.UnitTests.Taskboard;

/// <summary>The checks an owner's mint and an agent's connect go through before any token is minted or used.</summary>
public sealed class TaskboardAgentRulesTests
{
    [Fact]
    public void Capabilities_are_upper_cased_and_repeats_dropped_in_the_order_given()
    {
        var result = TaskboardAgentRules.Capabilities(["coding", "Data", "CODING", " research "]);
        Assert.Null(result.Problem);
        Assert.Equal(["CODING", "DATA", "RESEARCH"], result.Value);
    }

    [Fact]
    public void Every_one_of_the_eight_is_taken()
    {
        var result = TaskboardAgentRules.Capabilities([.. TaskboardCapabilities.All]);
        Assert.Equal(TaskboardCapabilities.All, result.Value);
    }

    [Fact]
    public void Missing_or_empty_capabilities_are_refused()
    {
        Assert.Equal("capabilities", TaskboardAgentRules.Capabilities(null).Problem?.Field);
        Assert.Equal("capabilities", TaskboardAgentRules.Capabilities([]).Problem?.Field);
    }

    [Fact]
    public void An_unknown_capability_is_named_with_the_eight_listed()
    {
        var problem = TaskboardAgentRules.Capabilities(["CODING", "JUGGLING"]).Problem;
        Assert.NotNull(problem);
        Assert.Equal("capabilities", problem.Field);
        Assert.Contains("'JUGGLING'", problem.Message);
        foreach (var known in TaskboardCapabilities.All) Assert.Contains(known, problem.Message);
    }

    [Fact]
    public void A_null_or_blank_capability_is_refused()
    {
        Assert.Equal("capabilities", TaskboardAgentRules.Capabilities(["CODING", null!]).Problem?.Field);
        Assert.Equal("capabilities", TaskboardAgentRules.Capabilities(["  "]).Problem?.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_name_is_the_agent_id(string? name) =>
        Assert.Equal("openclaw", TaskboardAgentRules.Name(name, " openclaw ").Value);

    [Fact]
    public void A_name_is_trimmed_and_at_most_100_characters()
    {
        Assert.Equal("OpenClaw Bot", TaskboardAgentRules.Name("  OpenClaw Bot ", "openclaw").Value);
        Assert.Equal(new string('n', 100), TaskboardAgentRules.Name(new string('n', 100), "openclaw").Value);
        Assert.Equal("agentName", TaskboardAgentRules.Name(new string('n', 101), "openclaw").Problem?.Field);
        Assert.Equal("agentName", TaskboardAgentRules.Name("line\nbreak", "openclaw").Problem?.Field);
    }

    [Theory]
    [InlineData("https://agent.example.com/webhook")]
    [InlineData("http://agent.example.com:8080/hooks?x=1")]
    public void An_http_endpoint_is_taken(string endpoint) => Assert.Null(TaskboardAgentRules.CheckEndpoint(endpoint));

    [Theory]
    [InlineData("ftp://agent.example.com/webhook")]
    [InlineData("/webhook")]
    [InlineData("not a url")]
    [InlineData("file:///etc/passwd")]
    public void An_endpoint_not_absolute_http_is_refused(string endpoint) =>
        Assert.Equal("endpoint", TaskboardAgentRules.CheckEndpoint(endpoint)?.Field);

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://localhost:8080/hook")]
    public void An_endpoint_at_a_private_address_is_refused_as_every_webhook_url_is(string endpoint)
    {
        Assert.Equal("endpoint", TaskboardAgentRules.CheckEndpoint(endpoint, new SsrfGuard(allowPrivateNetworks: false))?.Field);
        // What the test stack (and a developer receiving on their own machine) allows.
        Assert.Null(TaskboardAgentRules.CheckEndpoint(endpoint, new SsrfGuard(allowPrivateNetworks: true)));
    }

    [Fact]
    public void A_public_endpoint_passes_the_guard() =>
        Assert.Null(TaskboardAgentRules.CheckEndpoint("https://agent.example.com/hook", new SsrfGuard(allowPrivateNetworks: false)));

    [Fact]
    public void An_endpoint_over_2048_characters_is_refused() =>
        Assert.Equal("endpoint", TaskboardAgentRules.CheckEndpoint("https://agent.example.com/" + new string('a', 2048))?.Field);

    [Fact]
    public void Metadata_is_an_object_of_at_most_4096_bytes()
    {
        Assert.Null(TaskboardAgentRules.CheckMetadata(null));
        Assert.Null(TaskboardAgentRules.CheckMetadata("""{"model":"claude"}"""));
        var justFits = "{\"a\":\"" + new string('x', 4096 - 8) + "\"}";
        Assert.Null(TaskboardAgentRules.CheckMetadata(justFits));
        Assert.Equal("metadata", TaskboardAgentRules.CheckMetadata("{\"a\":\"" + new string('x', 4096 - 7) + "\"}")?.Field);
        // Bytes, not characters: 2,000 two-byte letters are over.
        Assert.Equal("metadata", TaskboardAgentRules.CheckMetadata("{\"a\":\"" + new string('é', 2046) + "\"}")?.Field);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Metadata_not_an_object_is_refused(string json) =>
        Assert.Equal("metadata", TaskboardAgentRules.CheckMetadata(json)?.Field);
}
