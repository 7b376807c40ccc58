using System.Net;
using System.Net.Http.Json;
using System.Text;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>The seed's Quick Start and Agent-to-Agent Hiring: POST /api/jobs and POST /api/agents/hire.</summary>
[Collection(StackCollection.Name)]
public sealed class HiringTests(ActorsStack stack)
{
    [Fact]
    public async Task Quick_start_search_hire_poll_complete()
    {
        var pair = await stack.HiringPair(buyerFunds: 20_000);

        // search
        var search = await (await stack.Http.GetAsync($"/market/api/services/search?q=code+review&category=development&agent={pair.Worker.Name}")).ReadJson();
        var found = search.GetProperty("data").EnumerateArray().Single(s => s.GetProperty("id").GetString() == pair.ServiceId);

        // hire
        var response = await stack.PostJob(pair.Buyer.ApiKey, new
        {
            serviceId = found.GetProperty("id").GetString(),
            tierId = "Standard",
            input = "Review my PR at github.com/myrepo/pull/42",
        });
        var created = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var job = created.GetProperty("job");
        var jobId = job.GetProperty("id").GetString()!;
        Assert.StartsWith("job_", jobId);
        Assert.Equal("REQUESTED", job.GetProperty("status").GetString());
        Assert.Equal(7500, job.GetProperty("priceCents").GetInt64());
        Assert.Equal("Code Review & PR Feedback", job.GetProperty("serviceName").GetString());
        Assert.Equal(pair.Worker.Name, job.GetProperty("workerName").GetString());
        Assert.Equal("wallet", created.GetProperty("paymentMethod").GetString());

        // the worker does the job
        await stack.Deliver(pair, jobId, "LGTM with two nits");

        // poll
        var polled = await stack.GetJob(pair.Buyer.ApiKey, jobId);
        Assert.Equal("DELIVERED", polled.GetProperty("status").GetString());
        Assert.Equal("LGTM with two nits", polled.GetProperty("output").GetString());

        // complete
        var completed = await stack.Step(pair.Buyer.ApiKey, jobId, new { action = "complete" });
        Assert.Equal("COMPLETED", completed.GetProperty("status").GetString());
        Assert.Equal(jobId, completed.GetProperty("id").GetString());
        Assert.Equal(12_500, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(6_750, await stack.WalletBalance(pair.Worker.ApiKey));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Hire_pays_from_the_wallet_and_answers_the_seed_shape()
    {
        var pair = await stack.HiringPair(buyerFunds: 15_000);

        var response = await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = "Please review my codebase", tierName = "Premium" });

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("wallet", body.GetProperty("paymentMethod").GetString());
        Assert.False(body.TryGetProperty("checkoutUrl", out _));
        var job = body.GetProperty("job");
        Assert.Equal("REQUESTED", job.GetProperty("status").GetString());
        Assert.Equal(15_000, job.GetProperty("priceCents").GetInt64());
        Assert.Equal("Code Review & PR Feedback", job.GetProperty("serviceName").GetString());
        Assert.Equal(pair.Worker.Name, job.GetProperty("workerName").GetString());
        Assert.True(job.GetProperty("paid").GetBoolean());

        var jobId = job.GetProperty("id").GetString()!;
        Assert.Equal(0, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(15_000, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
        var wallet = await (await buyer.GetAsync("/market/api/agents/wallet")).ReadJson();
        var payment = wallet.GetProperty("transactions").EnumerateArray().First();
        Assert.Equal("JOB_PAYMENT", payment.GetProperty("type").GetString());
        Assert.Equal(-15_000, payment.GetProperty("amountCents").GetInt64());
        Assert.Equal(jobId, payment.GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task Without_a_tier_the_first_tier_is_hired_and_tier_names_ignore_case()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);

        var first = await (await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = "Small PR" })).ReadJson();
        var standard = await (await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierId = "standard", input = "Bigger PR" })).ReadJson();

        Assert.Equal(2_500, first.GetProperty("job").GetProperty("priceCents").GetInt64());
        Assert.Equal("Basic", first.GetProperty("job").GetProperty("tierName").GetString());
        Assert.Equal(7_500, standard.GetProperty("job").GetProperty("priceCents").GetInt64());
        Assert.Equal(0, await stack.WalletBalance(pair.Buyer.ApiKey));
    }

    [Fact]
    public async Task With_too_little_balance_hire_answers_a_checkout_and_the_job_is_accepted_only_once_it_is_paid()
    {
        var pair = await stack.HiringPair(buyerFunds: 1_000);

        var response = await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = "Review it", tierName = "Standard" });

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("stripe", body.GetProperty("paymentMethod").GetString());
        var checkoutUrl = body.GetProperty("checkoutUrl").GetString()!;
        Assert.Contains("/cs_", checkoutUrl);
        var job = body.GetProperty("job");
        var jobId = job.GetProperty("id").GetString()!;
        Assert.Equal("REQUESTED", job.GetProperty("status").GetString());
        Assert.Equal(7_500, job.GetProperty("priceCents").GetInt64());
        Assert.False(job.GetProperty("paid").GetBoolean());
        Assert.Equal(1_000, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(0, await stack.EntriesOf(LedgerAccount.EscrowHold(jobId)));

        var early = await stack.Act(pair.Worker.ApiKey, jobId, new { action = "accept" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("not paid", (await early.ReadJson()).GetProperty("error").GetString());

        await stack.PayCheckout(checkoutUrl);
        await stack.PayCheckout(checkoutUrl); // the provider reporting twice changes nothing

        Assert.True((await stack.GetJob(pair.Buyer.ApiKey, jobId)).GetProperty("paid").GetBoolean());
        Assert.Equal(1_000, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(7_500, await stack.Balance(LedgerAccount.EscrowHold(jobId)));
        var accepted = await stack.Step(pair.Worker.ApiKey, jobId, new { action = "accept" });
        Assert.Equal("ACCEPTED", accepted.GetProperty("status").GetString());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Post_jobs_with_a_short_wallet_behaves_like_hire()
    {
        var pair = await stack.HiringPair();

        var body = await (await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierId = "Basic", input = "Review it" })).ReadJson();

        Assert.Equal("stripe", body.GetProperty("paymentMethod").GetString());
        Assert.Contains("/cs_", body.GetProperty("checkoutUrl").GetString());
        Assert.Equal("REQUESTED", body.GetProperty("job").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Fifty_concurrent_hires_against_a_wallet_funded_for_ten_pay_from_the_wallet_exactly_ten_times()
    {
        var pair = await stack.HiringPair(buyerFunds: 10 * 7_500);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var response = await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = $"job {i}", tierName = "Standard" });
            var body = await response.ReadJson();
            Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
            return body.GetProperty("paymentMethod").GetString();
        }));

        Assert.Equal(10, answers.Count(a => a == "wallet"));
        Assert.Equal(40, answers.Count(a => a == "stripe"));
        Assert.Equal(0, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(50, await stack.JobsBoughtBy(pair.Buyer.Id));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task The_same_Idempotency_Key_hires_once()
    {
        var pair = await stack.HiringPair(buyerFunds: 20_000);
        var body = new { serviceId = pair.ServiceId, tierName = "Standard", input = "Once" };

        var first = await stack.PostHire(pair.Buyer.ApiKey, body, "hire-once-1");
        var again = await stack.PostHire(pair.Buyer.ApiKey, body, "hire-once-1");

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal((await first.ReadJson()).GetProperty("job").GetProperty("id").GetString(),
            (await again.ReadJson()).GetProperty("job").GetProperty("id").GetString());
        Assert.Equal(12_500, await stack.WalletBalance(pair.Buyer.ApiKey));
        Assert.Equal(1, await stack.JobsBoughtBy(pair.Buyer.Id));
    }

    [Fact]
    public async Task An_agent_cannot_hire_itself_and_nothing_is_written()
    {
        var worker = await stack.RegisterAgent(name: Unique.Name("self"));
        var serviceId = await stack.ListService(worker.ApiKey);
        await stack.FundWallet(worker.ApiKey, 10_000);
        var states = await stack.GrainStates();
        var transfers = await stack.AllTransfers();

        var response = await stack.PostHire(worker.ApiKey, new { serviceId, input = "Hire myself", tierName = "Basic" });

        await AssertRefused(response, HttpStatusCode.BadRequest, "serviceId");
        Assert.Equal(0, await stack.JobsBoughtBy(worker.Id));
        Assert.Equal(states, await stack.GrainStates());
        Assert.Equal(transfers, await stack.AllTransfers());
        Assert.Equal(10_000, await stack.WalletBalance(worker.ApiKey));
    }

    [Fact]
    public async Task A_deleted_service_cannot_be_hired()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);
        using var worker = stack.AsAgent(pair.Worker.ApiKey);
        Assert.True((await worker.DeleteAsync($"/market/api/services/{pair.ServiceId}")).IsSuccessStatusCode);

        var response = await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = "Too late" });

        await AssertRefused(response, HttpStatusCode.BadRequest, "serviceId");
        Assert.Equal(0, await stack.JobsBoughtBy(pair.Buyer.Id));
        Assert.Equal(10_000, await stack.WalletBalance(pair.Buyer.ApiKey));
    }

    [Fact]
    public async Task An_inactive_service_and_a_subscription_service_cannot_be_hired()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);
        using var worker = stack.AsAgent(pair.Worker.ApiKey);
        Assert.True((await worker.PatchAsJsonAsync($"/market/api/services/{pair.ServiceId}", new { active = false })).IsSuccessStatusCode);
        var subscription = await worker.PostAsJsonAsync("/market/api/services", new
        {
            title = "Daily digest", description = "A digest every day", category = "research",
            type = "SUBSCRIPTION", priceCents = 2_000, runIntervalHours = 24,
        });
        var subscriptionBody = await subscription.ReadJson();
        Assert.True(subscription.IsSuccessStatusCode, subscriptionBody.ToString());
        var subscriptionId = subscriptionBody.GetProperty("service").GetProperty("id").GetString();
        var transfers = await stack.AllTransfers();

        await AssertRefused(await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, input = "Paused" }), HttpStatusCode.BadRequest, "serviceId");
        await AssertRefused(await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = subscriptionId, input = "Every day" }), HttpStatusCode.BadRequest, "serviceId");

        Assert.Equal(0, await stack.JobsBoughtBy(pair.Buyer.Id));
        Assert.Equal(transfers, await stack.AllTransfers());
    }

    [Fact]
    public async Task An_unknown_service_is_404_and_an_unknown_tier_is_400_naming_the_field()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);
        var states = await stack.GrainStates();
        var transfers = await stack.AllTransfers();

        await AssertRefused(await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = "svc_doesnotexist000000000000", tierId = "Basic", input = "x" }),
            HttpStatusCode.NotFound, null);
        await AssertRefused(await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierId = "Gold", input = "x" }),
            HttpStatusCode.BadRequest, "tierId");
        await AssertRefused(await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierName = "Gold", input = "x" }),
            HttpStatusCode.BadRequest, "tierName");

        Assert.Equal(0, await stack.JobsBoughtBy(pair.Buyer.Id));
        Assert.Equal(states, await stack.GrainStates());
        Assert.Equal(transfers, await stack.AllTransfers());
    }

    [Fact]
    public async Task Bad_input_is_400_naming_the_field_and_writes_nothing()
    {
        var pair = await stack.HiringPair(buyerFunds: 10_000);
        var states = await stack.GrainStates();
        var transfers = await stack.AllTransfers();

        await AssertRefused(await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierId = "Basic", input = new string('x', 100_000) }),
            HttpStatusCode.BadRequest, "input");
        await AssertRefused(await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierId = "Basic" }), HttpStatusCode.BadRequest, "input");
        await AssertRefused(await stack.PostJob(pair.Buyer.ApiKey, new { tierId = "Basic", input = "x" }), HttpStatusCode.BadRequest, "serviceId");
        await AssertRefused(await stack.PostJob(pair.Buyer.ApiKey, new { serviceId = pair.ServiceId, tierId = 5, input = "x" }), HttpStatusCode.BadRequest, "tierId");
        await AssertRefused(await stack.PostHire(pair.Buyer.ApiKey, new { serviceId = new[] { pair.ServiceId }, input = "x" }), HttpStatusCode.BadRequest, "serviceId");
        using var buyer = stack.AsAgent(pair.Buyer.ApiKey);
        var raw = await buyer.PostAsync("/market/api/agents/hire", new StringContent("{\"serviceId\": null, \"input\": 12.5}", Encoding.UTF8, "application/json"));
        await AssertRefused(raw, HttpStatusCode.BadRequest, "input");

        Assert.Equal(0, await stack.JobsBoughtBy(pair.Buyer.Id));
        Assert.Equal(states, await stack.GrainStates());
        Assert.Equal(transfers, await stack.AllTransfers());
        Assert.Equal(10_000, await stack.WalletBalance(pair.Buyer.ApiKey));
    }

    [Fact]
    public async Task Hiring_needs_an_agent_key()
    {
        var pair = await stack.HiringPair();

        var response = await stack.Http.PostAsJsonAsync("/market/api/agents/hire", new { serviceId = pair.ServiceId, input = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await stack.JobsBoughtBy(pair.Buyer.Id));
    }

    internal static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        if (field is not null) Assert.Equal(field, body.GetProperty("field").GetString());
    }
}
