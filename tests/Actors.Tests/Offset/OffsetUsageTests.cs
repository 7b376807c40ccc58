using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;
using Npgsql;

namespace Actors.Tests.Offset;

[Collection(StackCollection.Name)]
public sealed class OffsetUsageTests(ActorsStack stack)
{
    [Fact]
    public async Task Reported_usage_is_in_the_log_and_the_summary()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();

        var first = await agent.ReportUsage(linkId, 1200, 450, "conv-abc123", "claude-sonnet-4-20250514");
        var body = await first.ReadJson();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.True(body.GetProperty("eventId").GetInt64() > 0);
        Assert.False(body.GetProperty("duplicate").GetBoolean());
        await agent.ReportUsage(linkId, 800, 200, "conv-abc123", "claude-sonnet-4-20250514");
        await agent.ReportUsage(linkId, 100, 50, "conv-other", "gpt-4o-mini");

        var log = await (await agent.UsageLog(linkId, "&sessionId=conv-abc123")).ReadJson();
        var events = log.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(1200, events[0].GetProperty("inputTokens").GetInt64());
        Assert.Equal(800, events[1].GetProperty("inputTokens").GetInt64());
        Assert.False(log.GetProperty("hasMore").GetBoolean());

        var summary = await (await agent.UsageSummary(linkId)).ReadJson();
        var totals = summary.GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("events").GetInt64());
        Assert.Equal(2100, totals.GetProperty("inputTokens").GetInt64());
        Assert.Equal(700, totals.GetProperty("outputTokens").GetInt64());
        Assert.Equal(2800, totals.GetProperty("totalTokens").GetInt64());
        var models = summary.GetProperty("byModel").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);
        Assert.Equal(2650, models["claude-sonnet-4-20250514"].GetProperty("totals").GetProperty("totalTokens").GetInt64());
        Assert.Equal(0.5, models["claude-sonnet-4-20250514"].GetProperty("gramsPerThousandTokens").GetDouble());
        Assert.Equal(0.15, models["gpt-4o-mini"].GetProperty("gramsPerThousandTokens").GetDouble());
        Assert.Equal(2, summary.GetProperty("bySession").GetArrayLength());
        // 2650 tokens × 0.5 g/1k + 150 × 0.15 g/1k
        Assert.InRange(summary.GetProperty("co2e").GetProperty("grams").GetDouble(), 1.347, 1.348);
        Assert.Equal("approved", summary.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_retried_report_with_the_same_client_event_id_counts_once()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();

        var first = await (await agent.ReportUsage(linkId, 10, 5, clientEventId: "turn-1")).ReadJson();
        var retry = await (await agent.ReportUsage(linkId, 10, 5, clientEventId: "turn-1")).ReadJson();

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(retry.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("eventId").GetInt64(), retry.GetProperty("eventId").GetInt64());
        var summary = await (await agent.UsageSummary(linkId)).ReadJson();
        Assert.Equal(1, summary.GetProperty("totals").GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Concurrent_reports_from_many_links_all_land_exactly_once()
    {
        var links = new List<(OffsetAgent Agent, string LinkId)>();
        for (var i = 0; i < 4; i++) { var (a, l, _) = await stack.ApprovedLink(); links.Add((a, l)); }

        var reports = Enumerable.Range(0, 200).Select(i =>
        {
            var (agent, linkId) = links[i % links.Count];
            return agent.ReportUsage(linkId, i, 1, $"s-{i % 3}", "claude-haiku", clientEventId: $"e-{i}");
        });
        var responses = await Task.WhenAll(reports);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var total = 0L;
        foreach (var (agent, linkId) in links)
            total += (await (await agent.UsageSummary(linkId)).ReadJson()).GetProperty("totals").GetProperty("events").GetInt64();
        Assert.Equal(200, total);
    }

    [Theory]
    [InlineData("""{"sessionId":"s","model":"m","inputTokens":-1,"outputTokens":0}""", "inputTokens")]
    [InlineData("""{"sessionId":"s","model":"m","inputTokens":1,"outputTokens":10000001}""", "outputTokens")]
    [InlineData("""{"sessionId":"s","model":"m","inputTokens":1.5,"outputTokens":1}""", "inputTokens")]
    [InlineData("""{"sessionId":"s","model":"m","inputTokens":"twelve","outputTokens":1}""", "inputTokens")]
    [InlineData("""{"sessionId":"","model":"m","inputTokens":1,"outputTokens":1}""", "sessionId")]
    [InlineData("""{"sessionId":"s","model":"  ","inputTokens":1,"outputTokens":1}""", "model")]
    [InlineData("""{"sessionId":"s","inputTokens":1,"outputTokens":1}""", "model")]
    [InlineData("""{"sessionId":"s","model":"m","outputTokens":1}""", "inputTokens")]
    [InlineData("""{"sessionId":"s","model":"m","inputTokens":1,"outputTokens":1,"cachedInputTokens":-5}""", "cachedInputTokens")]
    [InlineData("""{"sessionId":"s","model":"gpt\u0007","inputTokens":1,"outputTokens":1}""", "model")]
    [InlineData("""{"sessionId":"s\u0085","model":"m","inputTokens":1,"outputTokens":1}""", "sessionId")]
    [InlineData("""{"sessionId":"s","model":"m","inputTokens":1,"outputTokens":1,"clientEventId":"a\u007fb"}""", "clientEventId")]
    public async Task Invalid_reports_are_400s_naming_the_field_and_nothing_is_written(string json, string field)
    {
        var (agent, linkId, _) = await stack.ApprovedLink();
        var body = json.Replace("{", $$"""{"linkId":"{{linkId}}",""", StringComparison.Ordinal);

        var response = await agent.Http.PostAsync("/offset/api/agents/report-usage",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.ReadJson()).GetProperty("field").GetString());
        var summary = await (await agent.UsageSummary(linkId)).ReadJson();
        Assert.Equal(0, summary.GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal(0, await stack.UsageEventsOf(linkId));
    }

    [Fact]
    public async Task The_usage_log_pages_with_a_cursor()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();
        for (var i = 1; i <= 5; i++) await agent.ReportUsage(linkId, i, 0, "paged", "m");

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await agent.UsageLog(linkId, "&limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).ReadJson();
            seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("inputTokens").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.Equal([1, 2, 3, 4, 5], seen);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.UsageLog(linkId, "&limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.UsageLog(linkId, "&cursor=abc")).StatusCode);
    }

    [Fact]
    public async Task Usage_events_are_append_only_in_the_database()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();
        await agent.ReportUsage(linkId);

        await Assert.ThrowsAsync<PostgresException>(() => stack.Postgres.Scalar("DELETE FROM usage_events WHERE link_id = @l", ("l", linkId)));
    }
}
