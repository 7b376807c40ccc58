using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped calls against the offset surface, so tests read like the document.</summary>
public static class OffsetClient
{
    public static async Task<OffsetAgent> RegisterOffsetAgent(this ActorsStack stack, string? name = null)
    {
        var response = await stack.Http.PostAsJsonAsync("/offset/api/agents/register", new
        {
            name = name ?? Unique.Name("aria"),
            ownerEmail = Unique.Email("ops"),
            description = "An autonomous coding agent. Each user pays per-task.",
            websiteUrl = "https://aria.example",
        });
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return new OffsetAgent(stack, body.GetProperty("agentId").GetString()!, body.GetProperty("apiKey").GetString()!);
    }

    /// <summary>Opens the approval email's link like a human: GET the page, then press Approve (POST the form).</summary>
    public static async Task<HttpResponseMessage> ApproveByEmail(this ActorsStack stack, string email)
    {
        var url = await MailDrop.WaitForLine(stack.MailDrop, email, stack.ApiUrl + "offset/approve?");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        var page = await stack.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await stack.Http.PostAsync("/offset/approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["link"] = query["link"]!,
            ["token"] = query["token"]!,
        }));
    }

    /// <summary>An agent with an approved link to a fresh human.</summary>
    public static async Task<(OffsetAgent Agent, string LinkId, string Email)> ApprovedLink(this ActorsStack stack)
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("user");
        var signup = await agent.SignUpUser(email);
        var approved = await stack.ApproveByEmail(email);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        return (agent, signup.GetProperty("linkId").GetString()!, email);
    }
}

public sealed class OffsetAgent(ActorsStack stack, string agentId, string apiKey)
{
    public string AgentId { get; } = agentId;
    public string ApiKey { get; } = apiKey;
    public HttpClient Http { get; } = stack.AsAgent(apiKey);

    public async Task<JsonElement> SignUpUser(string email, bool exclusiveAgent = false)
    {
        var response = await SignUpUserRaw(email, exclusiveAgent);
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return body;
    }

    public Task<HttpResponseMessage> SignUpUserRaw(string email, bool exclusiveAgent = false) =>
        Http.PostAsJsonAsync("/offset/api/agents/signup-user", new { userEmail = email, userName = "Jordan Lee", exclusiveAgent });

    public Task<HttpResponseMessage> LinkStatus(string linkId) =>
        Http.GetAsync($"/offset/api/agents/link-status?linkId={Uri.EscapeDataString(linkId)}");

    public Task<HttpResponseMessage> ReportUsage(string linkId, long inputTokens = 1200, long outputTokens = 450,
        string sessionId = "conv-abc123", string model = "claude-sonnet-4-20250514", string? clientEventId = null) =>
        Http.PostAsJsonAsync("/offset/api/agents/report-usage", new { linkId, sessionId, inputTokens, outputTokens, model, clientEventId });

    public Task<HttpResponseMessage> UsageLog(string linkId, string? query = null) =>
        Http.GetAsync($"/offset/api/agents/usage-log?linkId={Uri.EscapeDataString(linkId)}{query}");

    public Task<HttpResponseMessage> UsageSummary(string linkId) =>
        Http.GetAsync($"/offset/api/agents/usage-summary?linkId={Uri.EscapeDataString(linkId)}");

    public Task<HttpResponseMessage> SetPlan(object body) => Http.PostAsJsonAsync("/offset/api/agents/set-plan", body);

    public Task<HttpResponseMessage> ConnectProvider(string linkId, string provider, string apiKey) =>
        Http.PostAsJsonAsync("/offset/api/agents/connect-provider", new { linkId, provider, apiKey });
}
