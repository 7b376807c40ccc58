using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Identity;

/// <summary>The validation rules of an agent's profile, shared by register and update.</summary>
public sealed class AgentRulesTests
{
    static void Invalid(Problem? problem, string field)
    {
        Assert.NotNull(problem);
        Assert.Equal(ProblemKind.Invalid, problem.Kind);
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public void A_name_is_required_and_at_most_100_characters_once_trimmed()
    {
        Assert.Equal("name is required", AgentRules.CheckName(null)?.Message);
        Assert.Equal("name is required", AgentRules.CheckName("   ")?.Message);
        Assert.Null(AgentRules.CheckName("  " + new string('n', 100) + "  "));
        Assert.Equal("name must be at most 100 characters", AgentRules.CheckName(new string('n', 101))?.Message);
    }

    [Theory]
    [InlineData("Research\nAgent")]
    [InlineData("Agent\u0000")]
    [InlineData("\u0085Agent")]
    public void A_name_has_no_control_characters(string name)
    {
        Assert.Equal("name must not contain control characters", AgentRules.CheckName(name)?.Message);
    }

    [Fact]
    public void A_description_is_optional_and_at_most_2000_characters()
    {
        Assert.Null(AgentRules.CheckDescription(null));
        Assert.Null(AgentRules.CheckDescription(new string('d', 2000)));
        Invalid(AgentRules.CheckDescription(new string('d', 2001)), "description");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("owner@example.com", true)]
    [InlineData("  Owner.Name+tag@Example.COM ", true)]
    [InlineData("", false)]
    [InlineData("not-an-email", false)]
    [InlineData("Owner <owner@example.com>", false)]
    [InlineData("owner@example.com, other@example.com", false)]
    public void An_email_is_optional_and_a_bare_address(string? email, bool valid)
    {
        var problem = AgentRules.CheckEmail("ownerEmail", email);

        if (valid) Assert.Null(problem);
        else Assert.Equal("ownerEmail must be a valid email address", problem?.Message);
    }

    [Fact]
    public void An_email_is_at_most_254_characters_and_the_field_is_named_by_the_caller()
    {
        var local = new string('a', 64);
        var domain = new string('d', 254 - 64 - 1 - 4) + ".com";
        Assert.Null(AgentRules.CheckEmail("email", local + "@" + domain));
        Invalid(AgentRules.CheckEmail("email", local + "@d" + domain), "email");
        Invalid(AgentRules.CheckEmail("userEmail", "x"), "userEmail");
    }

    [Fact]
    public void Emails_are_stored_trimmed_and_lower_cased()
    {
        Assert.Equal("owner.name@example.com", AgentRules.NormalizeEmail("  Owner.Name@Example.COM "));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("/avatars/a.png", true)]
    [InlineData("https://cdn.example/a.png", true)]
    [InlineData("http://cdn.example/a.png", true)]
    [InlineData("//evil.example/a.png", false)]
    [InlineData("ftp://cdn.example/a.png", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("avatar.png", false)]
    public void An_avatar_is_an_http_url_or_an_absolute_local_path(string? url, bool valid)
    {
        var problem = AgentRules.CheckAvatarUrl(url);

        if (valid) Assert.Null(problem);
        else Invalid(problem, "avatarUrl");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("https://hooks.example/agent", true)]
    [InlineData("/hooks/agent", false)]
    [InlineData("ws://hooks.example/agent", false)]
    public void A_webhook_is_an_absolute_http_url_and_empty_means_none(string? url, bool valid)
    {
        var problem = AgentRules.CheckWebhookUrl(url);

        if (valid) Assert.Null(problem);
        else Assert.Equal("webhookUrl must be an absolute http(s) URL", problem?.Message);
    }

    [Fact]
    public void Urls_are_at_most_2048_characters()
    {
        var url = "https://cdn.example/" + new string('u', 2048 - 20);
        Assert.Equal(2048, url.Length);
        Assert.Null(AgentRules.CheckAvatarUrl(url));
        Assert.Null(AgentRules.CheckWebhookUrl(url));
        Assert.Equal("avatarUrl must be at most 2048 characters", AgentRules.CheckAvatarUrl(url + "u")?.Message);
        Assert.Equal("webhookUrl must be at most 2048 characters", AgentRules.CheckWebhookUrl(url + "u")?.Message);
    }

    [Fact]
    public void Tags_are_optional_at_most_20_each_1_to_50_characters()
    {
        Assert.Null(AgentRules.CheckTags(null));
        Assert.Null(AgentRules.CheckTags([.. Enumerable.Repeat(new string('t', 50), 20)]));
        Assert.Equal("tags may hold at most 20 entries", AgentRules.CheckTags([.. Enumerable.Repeat("t", 21)])?.Message);
        Assert.Equal("each tag must be 1 to 50 characters", AgentRules.CheckTags(["ok", new string('t', 51)])?.Message);
        Invalid(AgentRules.CheckTags([""]), "tags");
    }

    [Theory]
    [InlineData("My Agent!", "my-agent")]
    [InlineData("  Research  &  Writing Bot ", "research-writing-bot")]
    [InlineData("Café Bot", "caf-bot")]
    [InlineData("!!!", "agent")]
    [InlineData("", "agent")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123", "abcdefghijklmnopqrstuvwx")]
    public void A_referral_code_is_a_lower_case_slug_of_the_name_and_six_hex_digits(string name, string stem)
    {
        var code = AgentRules.NewReferralCode(name);

        Assert.Matches("^" + stem + "-[0-9a-f]{6}$", code);
    }

    [Fact]
    public void Referral_codes_of_the_same_name_differ()
    {
        Assert.NotEqual(AgentRules.NewReferralCode("Agent"), AgentRules.NewReferralCode("Agent"));
    }
}
