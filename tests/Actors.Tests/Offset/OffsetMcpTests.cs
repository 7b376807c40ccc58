using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Actors.Tests.Offset;

[Collection(StackCollection.Name)]
public sealed class OffsetMcpTests(ActorsStack stack)
{
    async Task<McpClient> Connect(string apiKey) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(stack.ApiUrl, "/offset/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey },
        }));

    static JsonElement Json(CallToolResult result)
    {
        var text = result.Content.OfType<TextContentBlock>().Single().Text;
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task The_mcp_tools_sign_up_report_and_summarise_like_the_http_api()
    {
        var agent = await stack.RegisterOffsetAgent();
        await using var mcp = await Connect(agent.ApiKey);

        var tools = (await mcp.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("tokenoffset_report_usage", tools);
        Assert.Contains("tokenoffset_signup_user", tools);
        Assert.Contains("tokenoffset_link_status", tools);
        Assert.Contains("tokenoffset_set_plan", tools);
        Assert.Contains("tokenoffset_connect_provider", tools);
        Assert.Contains("tokenoffset_usage_summary", tools);

        var email = Unique.Email("mcp");
        var signup = Json(await mcp.CallToolAsync("tokenoffset_signup_user", new Dictionary<string, object?> { ["userEmail"] = email }));
        var linkId = signup.GetProperty("linkId").GetString()!;
        Assert.Equal("pending", signup.GetProperty("status").GetString());

        var early = await mcp.CallToolAsync("tokenoffset_report_usage", new Dictionary<string, object?>
        {
            ["linkId"] = linkId, ["sessionId"] = "s1", ["model"] = "claude-opus-4", ["inputTokens"] = 10, ["outputTokens"] = 5,
        });
        Assert.True(early.IsError);

        Assert.Equal(HttpStatusCode.OK, (await stack.ApproveByEmail(email)).StatusCode);
        var status = Json(await mcp.CallToolAsync("tokenoffset_link_status", new Dictionary<string, object?> { ["linkId"] = linkId }));
        Assert.Equal("approved", status.GetProperty("status").GetString());

        var report = await mcp.CallToolAsync("tokenoffset_report_usage", new Dictionary<string, object?>
        {
            ["linkId"] = linkId, ["sessionId"] = "s1", ["model"] = "claude-opus-4", ["inputTokens"] = 1000, ["outputTokens"] = 500,
        });
        Assert.NotEqual(true, report.IsError);
        Json(await mcp.CallToolAsync("tokenoffset_set_plan", new Dictionary<string, object?> { ["linkId"] = linkId, ["band"] = "power" }));
        var provider = Json(await mcp.CallToolAsync("tokenoffset_connect_provider", new Dictionary<string, object?>
        {
            ["linkId"] = linkId, ["provider"] = "openai", ["apiKey"] = "sk-admin-" + Guid.NewGuid().ToString("N"),
        }));
        Assert.StartsWith("sk-admin-…", provider.GetProperty("keyHint").GetString());

        var summary = Json(await mcp.CallToolAsync("tokenoffset_usage_summary", new Dictionary<string, object?> { ["linkId"] = linkId }));
        Assert.Equal(1500, summary.GetProperty("totals").GetProperty("totalTokens").GetInt64());
        Assert.Equal("power", summary.GetProperty("plan").GetProperty("band").GetString());

        // Another agent's key sees nothing of this link.
        var stranger = await stack.RegisterOffsetAgent();
        await using var other = await Connect(stranger.ApiKey);
        var foreign = await other.CallToolAsync("tokenoffset_usage_summary", new Dictionary<string, object?> { ["linkId"] = linkId });
        Assert.True(foreign.IsError);
    }

    [Fact]
    public async Task The_mcp_endpoint_needs_a_bearer_key()
    {
        var response = await stack.Http.PostAsync("/offset/mcp", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
