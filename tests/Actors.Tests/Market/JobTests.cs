using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;
using static Actors.Tests.Market.HiringTests;

namespace Actors.Tests.Market;

/// <summary>The seed's Job Lifecycle and Messages: who may do what, reading jobs, threads.</summary>
[Collection(StackCollection.Name)]
public sealed class JobTests(ActorsStack stack)
{
    [Fact]
    public async Task Each_step_answers_the_job_with_its_time()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);

        var accepted = await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });
        var started = await stack.Step(pair.Worker.ApiKey, jobId, new { action = "start" });
        var delivered = await stack.Step(pair.Worker.ApiKey, jobId, new { action = "deliver", output = "Done" });

        Assert.Equal("ACCEPTED", accepted.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, accepted.GetProperty("acceptedAt").ValueKind);
        Assert.Equal("IN_PROGRESS", started.GetProperty("status").GetString());
        Assert.Equal("DELIVERED", delivered.GetProperty("status").GetString());
        Assert.Equal(jobId, delivered.GetProperty("id").GetString());
        Assert.True(delivered.GetProperty("deliveredAt").GetDateTimeOffset() > DateTimeOffset.MinValue);
        Assert.Equal("Done", delivered.GetProperty("output").GetString());
        Assert.True(delivered.TryGetProperty("autoCompleteAt", out _));
    }

    [Fact]
    public async Task Wrong_role_is_403_and_wrong_state_is_409()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        var row = await stack.JobRow(jobId);
        var transfers = await stack.AllTransfers();

        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "accept" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Worker.ApiKey, jobId, new { action = "start" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete" })).StatusCode);
        Assert.Equal(row, await stack.JobRow(jobId));
        Assert.Equal(transfers, await stack.AllTransfers());
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Worker.ApiKey, jobId, new { action = "accept" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "start" })).StatusCode);
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "start" });
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "dispute" })).StatusCode);
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "deliver", output = "Done" });
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Act(pair.Worker.ApiKey, jobId, new { action = "complete" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stack.Act(pair.Worker.ApiKey, jobId, new { action = "dispute" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "cancel" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Worker.ApiKey, jobId, new { action = "deliver", output = "Again" })).StatusCode);
        Assert.Equal(transfers, await stack.AllTransfers());

        Assert.Equal("DELIVERED", (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("status").GetString());
        await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "complete" });
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "cancel" })).StatusCode);
    }

    [Fact]
    public async Task Bad_changes_are_400_naming_the_field_and_change_nothing()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "start" });
        var row = await stack.JobRow(jobId);

        await AssertRefused(await stack.Act(pair.Worker.ApiKey, jobId, new { action = "deliver" }), HttpStatusCode.BadRequest, "output");
        await AssertRefused(await stack.Act(pair.Worker.ApiKey, jobId, new { action = "deliver", output = new string('x', 50_001) }), HttpStatusCode.BadRequest, "output");
        await AssertRefused(await stack.Act(pair.Worker.ApiKey, jobId, new { action = "finish" }), HttpStatusCode.BadRequest, "action");
        await AssertRefused(await stack.Act(pair.Worker.ApiKey, jobId, new { }), HttpStatusCode.BadRequest, "action");
        Assert.Equal(row, await stack.JobRow(jobId));
        await stack.Step(pair.Worker.ApiKey, jobId, new { action = "deliver", output = "Done" });
        row = await stack.JobRow(jobId);
        await AssertRefused(await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete", rating = 6 }), HttpStatusCode.BadRequest, "rating");
        await AssertRefused(await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete", rating = 4.5 }), HttpStatusCode.BadRequest, "rating");
        await AssertRefused(await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete", rating = "five" }), HttpStatusCode.BadRequest, "rating");
        await AssertRefused(await stack.Act(pair.Buyer.ApiKey, jobId, new { action = "complete", review = new string('x', 2_001) }), HttpStatusCode.BadRequest, "review");

        Assert.Equal(row, await stack.JobRow(jobId));
        var job = await stack.GetJob(pair.Buyer.ApiKey, jobId);
        Assert.Equal("DELIVERED", job.GetProperty("status").GetString());
        Assert.Equal(7_500, await stack.Balance(Grains.Ledger.LedgerAccount.EscrowHold(jobId)));
    }

    [Fact]
    public async Task A_stranger_gets_404_on_the_job_and_its_messages_and_writes_nothing()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        var stranger = await stack.RegisterAgent(name: Unique.Name("stranger"));
        using var agent = stack.AsAgent(stranger.ApiKey);
        var row = await stack.JobRow(jobId);

        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/market/api/jobs/{jobId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Act(stranger.ApiKey, jobId, new { action = "cancel" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/market/api/jobs/{jobId}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = "hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/market/api/jobs/job_doesnotexist")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/market/api/jobs/not-a-job")).StatusCode);

        Assert.Equal(0, await stack.MessagesOf(jobId));
        Assert.Equal(row, await stack.JobRow(jobId));
        Assert.Equal("REQUESTED", (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("status").GetString());
        Assert.Empty((await (await agent.GetAsync("/market/api/jobs")).ReadJson()).GetProperty("jobs").EnumerateArray());
    }

    [Fact]
    public async Task Parties_talk_in_the_job_thread()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
        using var worker = stack.AsAgent(pair.Worker.ApiKey);

        var sent = await buyer.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = "Can you also check the auth module?" });
        stack.Clock.Advance(TimeSpan.FromSeconds(1));
        await worker.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = "Sure, I'll include that in the review." });

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var message = (await sent.ReadJson()).GetProperty("message");
        Assert.StartsWith("msg_", message.GetProperty("id").GetString());
        Assert.Equal("buyer", message.GetProperty("sender").GetString());
        var thread = await (await worker.GetAsync($"/market/api/jobs/{jobId}/messages")).ReadJson();
        var messages = thread.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["buyer", "worker"], messages.Select(m => m.GetProperty("sender").GetString()));
        Assert.Equal("Can you also check the auth module?", messages[0].GetProperty("content").GetString());
        Assert.True(messages[0].TryGetProperty("createdAt", out _));
        Assert.Equal(2, thread.GetProperty("data").GetArrayLength());
        Assert.Equal(2, thread.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(2, (await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task A_bad_message_is_400_naming_content_and_writes_nothing()
    {
        var pair = await stack.HiringPair(buyerFunds: 7_500);
        var jobId = await stack.Hire(pair);
        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);

        await AssertRefused(await buyer.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = new string('x', 10_001) }), HttpStatusCode.BadRequest, "content");
        await AssertRefused(await buyer.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = "" }), HttpStatusCode.BadRequest, "content");
        await AssertRefused(await buyer.PostAsJsonAsync($"/market/api/jobs/{jobId}/messages", new { content = 42 }), HttpStatusCode.BadRequest, "content");

        Assert.Equal(0, await stack.MessagesOf(jobId));
    }

    [Fact]
    public async Task Jobs_list_by_role_and_status_with_service_buyer_and_worker()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);
        var first = await stack.Hire(pair, tier: "Basic", input: "First");
        stack.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await stack.Hire(pair, tier: "Standard", input: "Second");
        await stack.Step(pair.Worker.ApiKey, second, new { action = "accept" });
        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
        using var worker = stack.AsAgent(pair.Worker.ApiKey);

        var bought = await (await buyer.GetAsync("/market/api/jobs?role=buyer")).ReadJson();
        var ids = bought.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()).ToList();
        Assert.Equal([second, first], ids);
        var job = bought.GetProperty("jobs")[0];
        Assert.Equal("ACCEPTED", job.GetProperty("status").GetString());
        Assert.Equal(pair.ServiceId, job.GetProperty("service").GetProperty("id").GetString());
        Assert.Equal("Code Review & PR Feedback", job.GetProperty("service").GetProperty("title").GetString());
        Assert.Equal(3, job.GetProperty("service").GetProperty("tiers").GetArrayLength());
        Assert.Equal("Basic", job.GetProperty("service").GetProperty("tiers")[0].GetProperty("name").GetString());
        Assert.Equal(pair.Buyer.Id, job.GetProperty("buyer").GetProperty("id").GetString());
        Assert.Equal(pair.Buyer.Name, job.GetProperty("buyer").GetProperty("name").GetString());
        Assert.Equal(pair.Worker.Id, job.GetProperty("worker").GetProperty("id").GetString());
        Assert.Equal(pair.Worker.Name, job.GetProperty("worker").GetProperty("name").GetString());
        Assert.Equal(7_500, job.GetProperty("priceCents").GetInt64());
        Assert.Equal("Second", job.GetProperty("input").GetString());
        Assert.True(job.TryGetProperty("createdAt", out _));

        Assert.Empty((await (await buyer.GetAsync("/market/api/jobs?role=worker")).ReadJson()).GetProperty("jobs").EnumerateArray());
        Assert.Equal(2, (await (await worker.GetAsync("/market/api/jobs")).ReadJson()).GetProperty("jobs").GetArrayLength());
        var requested = await (await worker.GetAsync("/market/api/jobs?role=Worker&status=requested")).ReadJson();
        Assert.Equal(first, Assert.Single(requested.GetProperty("jobs").EnumerateArray()).GetProperty("id").GetString());

        await AssertRefused(await buyer.GetAsync("/market/api/jobs?role=owner"), HttpStatusCode.BadRequest, "role");
        await AssertRefused(await buyer.GetAsync("/market/api/jobs?status=DONE"), HttpStatusCode.BadRequest, "status");
        await AssertRefused(await buyer.GetAsync("/market/api/jobs?limit=1000"), HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task Completed_jobs_and_their_ratings_show_on_the_worker_s_profile_and_in_the_directory()
    {
        var pair = await stack.HiringPair(buyerFunds: 20_000);
        foreach (var rating in new int?[] { 4, 5, null })
        {
            var jobId = await stack.Hire(pair, tier: "Basic");
            await stack.Deliver(pair, jobId);
            await stack.Step(pair.Buyer.ApiKey, jobId, rating is null ? new { action = "complete" } : new { action = "complete", rating, review = "Thanks" });
        }

        using var worker = stack.AsAgent(pair.Worker.ApiKey);
        var me = (await (await worker.GetAsync("/market/api/agents/me")).ReadJson()).GetProperty("agent");
        Assert.Equal(3, me.GetProperty("jobsCompleted").GetInt32());
        Assert.Equal(4.5, me.GetProperty("rating").GetDouble());
        var listed = await (await stack.Http.GetAsync($"/market/api/agents?q={pair.Worker.Name}")).ReadJson();
        var entry = listed.GetProperty("data").EnumerateArray().Single(a => a.GetProperty("id").GetString() == pair.Worker.Id);
        Assert.Equal(3, entry.GetProperty("jobsCompleted").GetInt32());
        Assert.Equal(4.5, entry.GetProperty("rating").GetDouble());
    }
}
