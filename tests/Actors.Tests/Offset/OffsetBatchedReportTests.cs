using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Offset;

/// <summary>
/// Reports that arrive together travel to the silo in one batch; approved links listed in
/// reportable_links are appended directly, everything else is decided by the link grain. Each
/// request must still get exactly the answer it would get alone.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OffsetBatchedReportTests(ActorsStack stack)
{
    [Fact]
    public async Task Concurrent_reports_on_approved_pending_foreign_and_malformed_requests_each_get_their_own_answer()
    {
        var (owner, approved, _) = await stack.ApprovedLink();
        var pending = (await owner.SignUpUser(Unique.Email("pending"))).GetProperty("linkId").GetString()!;
        var (other, othersLink, _) = await stack.ApprovedLink();

        var calls = new List<(Task<HttpResponseMessage> Call, HttpStatusCode Expected)>();
        for (var i = 0; i < 40; i++)
        {
            calls.Add((owner.ReportUsage(approved, i, 1, "mixed", "claude-haiku"), HttpStatusCode.OK));
            calls.Add((owner.ReportUsage(pending, i, 1, "mixed", "claude-haiku"), HttpStatusCode.Conflict));
            calls.Add((other.ReportUsage(approved, i, 1, "mixed", "claude-haiku"), HttpStatusCode.NotFound));
            calls.Add((owner.ReportUsage(othersLink, i, 1, "mixed", "claude-haiku"), HttpStatusCode.NotFound));
            calls.Add((owner.ReportUsage(approved, -1, 1, "mixed", "claude-haiku"), HttpStatusCode.BadRequest));
        }
        var responses = await Task.WhenAll(calls.Select(c => c.Call));

        for (var i = 0; i < calls.Count; i++) Assert.Equal(calls[i].Expected, responses[i].StatusCode);
        var ok = await responses[0].ReadJson();
        Assert.True(ok.GetProperty("eventId").GetInt64() > 0);
        var conflict = await responses[1].ReadJson();
        Assert.Contains("pending", conflict.GetProperty("error").GetString());

        Assert.Equal(40, (await (await owner.UsageSummary(approved)).ReadJson()).GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal(0, (await (await other.UsageSummary(othersLink)).ReadJson()).GetProperty("totals").GetProperty("events").GetInt64());
        Assert.Equal(0, await EventCount(pending));
        Assert.Equal(40, await stack.UsageEventsOf(approved));
        Assert.Equal(0, await stack.UsageEventsOf(othersLink));
    }

    [Fact]
    public async Task Approval_lists_the_link_for_its_agent_only()
    {
        var agent = await stack.RegisterOffsetAgent();
        var email = Unique.Email("user");
        var linkId = (await agent.SignUpUser(email)).GetProperty("linkId").GetString()!;
        Assert.Null(await ReportableFor(linkId));

        await stack.ApproveByEmail(email);

        Assert.Equal(agent.AgentId, await ReportableFor(linkId));
    }

    [Fact]
    public async Task A_link_missing_from_the_reportable_table_still_takes_reports_through_its_grain()
    {
        // As for links approved before the table existed, or an approval that failed after its state write.
        var (agent, linkId, _) = await stack.ApprovedLink();
        await Sql("DELETE FROM reportable_links WHERE link_id = @link", linkId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => agent.ReportUsage(linkId, i, 1, "s", "m")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(10, await EventCount(linkId));
    }

    [Fact]
    public async Task A_retry_in_the_same_batch_counts_once()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => agent.ReportUsage(linkId, 7, 3, clientEventId: "same-turn")));

        var bodies = await Task.WhenAll(responses.Select(r => r.ReadJson()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(bodies.Select(b => b.GetProperty("eventId").GetInt64()).Distinct());
        Assert.Single(bodies, b => !b.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await EventCount(linkId));
    }

    [Fact]
    public async Task A_writer_whose_connection_was_cut_opens_a_new_one_and_a_retried_report_counts_once()
    {
        const string BatchStatement = "WITH input AS MATERIALIZED";
        var (agent, linkId, _) = await stack.ApprovedLink();
        Assert.Equal(HttpStatusCode.OK, (await agent.ReportUsage(linkId, 1, 1)).StatusCode);

        // Cut the connection the usage writer keeps between batches, as a database restart or a proxy would.
        var cut = await stack.Postgres.CutSessionsRunning(BatchStatement);
        Assert.NotEmpty(cut);

        // The first report after the cut meets the dead connection: a 503 (whether it was written is
        // unknown) or a 200; its retry is written once, on a new connection.
        var first = await agent.ReportUsage(linkId, 2, 1, clientEventId: "after-the-cut");
        Assert.Contains(first.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
        var retry = await agent.ReportUsage(linkId, 2, 1, clientEventId: "after-the-cut");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(2, await EventCount(linkId));
        Assert.True(await stack.Postgres.SessionsRunning(BatchStatement, except: cut) >= 1);
    }

    async Task<long> EventCount(string linkId) => (long)(await Sql("SELECT count(*) FROM usage_events WHERE link_id = @link", linkId))!;

    async Task<string?> ReportableFor(string linkId) => (string?)await Sql("SELECT agent_id FROM reportable_links WHERE link_id = @link", linkId);

    Task<object?> Sql(string sql, string linkId) => stack.Postgres.Scalar(sql, ("link", linkId));
}
