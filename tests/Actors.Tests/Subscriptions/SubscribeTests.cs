using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Actors.Grains.Ledger;
using Actors.Grains.Subscriptions;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;
using Actors.Tests.Market;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using static Actors.Tests.Subscriptions.SubscriptionSetup;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// The seed's Subscriptions: POST /api/subscriptions (the first month charged at once, the provider
/// paid as for a job), GET the list and one subscription, and who may read or change it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SubscribeTests(ActorsStack stack)
{
    [Fact]
    public async Task Subscribing_answers_the_seed_s_subscription_and_charges_the_first_month()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 2_500, priceCents: 1000, runIntervalHours: 24, referred: true);
        var before = stack.Clock.GetUtcNow();

        var response = await stack.Subscribe(parties.Subscriber.ApiKey, new { serviceId = parties.ServiceId });

        var after = stack.Clock.GetUtcNow();
        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var subscription = body.GetProperty("subscription");
        var id = subscription.Id();
        Assert.StartsWith("sub_", id);
        Assert.Equal($"/market/api/subscriptions/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("ACTIVE", subscription.Text("status"));
        Assert.Equal(1000, subscription.GetProperty("priceCents").GetInt64());
        Assert.Equal(24, subscription.Number("runIntervalHours"));
        var createdAt = subscription.At("createdAt");
        Assert.InRange(createdAt, before.AddMilliseconds(-1), after.AddMilliseconds(1));
        SameInstant(createdAt.AddHours(24), subscription.At("nextRunAt"), "nextRunAt");
        SameInstant(createdAt.AddMonths(1), subscription.At("nextBillingAt"), "nextBillingAt");
        Assert.Equal(0, subscription.Number("totalRuns"));
        Assert.Equal(0, subscription.Number("successfulRuns"));
        Assert.Equal(0, subscription.Number("failedRuns"));
        Assert.Equal("N/A", subscription.Text("reliability"));
        Assert.True(subscription.IsNull("pausedAt"));
        Assert.True(subscription.IsNull("pauseReason"));
        Assert.True(subscription.IsNull("cancelledAt"));
        Assert.Equal(0, subscription.GetProperty("_count").Number("runs"));
        var service = subscription.GetProperty("service");
        Assert.Equal(parties.ServiceId, service.Id());
        Assert.StartsWith("Daily Market Analysis", service.Text("title"));
        Assert.Equal("A market report every day", service.Text("description"));
        var agent = service.GetProperty("agent");
        Assert.Equal(parties.Provider.Id, agent.Id());
        Assert.Equal(parties.Provider.Name, agent.Text("name"));
        Assert.True(agent.TryGetProperty("avatarUrl", out _));

        // The first month: one transfer, the subscriber −price, the provider price − 10 %, the
        // provider's referrer 5 %, the platform the rest of the fee.
        var charge = $"sub-charge:{id}:0";
        Assert.Equal(1, await stack.ChargesOf(id));
        Assert.Equal(new Dictionary<string, long>
        {
            [WalletLedger.Wallet(parties.Subscriber.Id)] = -1000,
            [WalletLedger.Wallet(parties.Provider.Id)] = 900,
            [LedgerAccount.Platform] = 50,
            [WalletLedger.Wallet(parties.Referrer!.Id)] = 50,
        }, await stack.LegsOf(charge));
        var (kind, description) = await stack.TransferOf(charge);
        Assert.Equal(WalletLedger.SubscriptionCharge, kind);
        Assert.Equal($"Subscription: {service.Text("title")} (month 1)", description);
        var named = Assert.Single(await stack.Postgres.Rows("SELECT job_id, referrer_account FROM wallet_transfers WHERE transfer_id = @id", ("id", charge)));
        Assert.Null(named[0]);
        Assert.Equal(WalletLedger.Wallet(parties.Referrer.Id), named[1]);
        Assert.Equal(1_500, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(900, await stack.WalletBalance(parties.Provider.ApiKey));
        Assert.Equal(50, await stack.WalletBalance(parties.Referrer.ApiKey));
        Assert.Equal(("JOB_PAYMENT", -1000L), Last(await stack.WalletHistory(parties.Subscriber.ApiKey)));
        Assert.Equal(("JOB_EARNING", 900L), Last(await stack.WalletHistory(parties.Provider.ApiKey)));
        Assert.Equal(("REFERRAL_EARNING", 50L), Last(await stack.WalletHistory(parties.Referrer.ApiKey)));

        // The provider hears of it.
        Assert.Single(await stack.WebhookBodies(parties.Provider.Id, "subscription.created"));
        Assert.Equal(1, await stack.NoticesCount(parties.Provider.Id, "subscription_created"));
        Assert.Equal(1, await stack.SubscriptionRowsOf(parties.Subscriber.Id));
        // The grain's definition is kept (what the refusals are checked against).
        Assert.Equal(1, await stack.SubscriptionStatesNaming(parties.Subscriber.Id));
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Without_a_referrer_the_platform_keeps_the_whole_fee()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 2_000, priceCents: 2_000);

        var id = (await stack.Subscribed(parties)).Id();

        Assert.Equal(new Dictionary<string, long>
        {
            [WalletLedger.Wallet(parties.Subscriber.Id)] = -2_000,
            [WalletLedger.Wallet(parties.Provider.Id)] = 1_800,
            [LedgerAccount.Platform] = 200,
        }, await stack.LegsOf($"sub-charge:{id}:0"));
        Assert.Equal(0, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1_800, await stack.WalletBalance(parties.Provider.ApiKey));
    }

    [Fact]
    public async Task Get_and_list_answer_the_seed_s_shapes_to_the_subscriber_and_the_provider()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();

        foreach (var key in new[] { parties.Subscriber.ApiKey, parties.Provider.ApiKey })
        {
            var one = await stack.ReadSubscription(key, id);
            Assert.Equal(id, one.Id());
            Assert.Equal("ACTIVE", one.Text("status"));
            Assert.Equal(1000, one.GetProperty("priceCents").GetInt64());
            Assert.Equal(24, one.Number("runIntervalHours"));
            Assert.Equal(0, one.Number("totalRuns"));
            Assert.Equal(0, one.Number("successfulRuns"));
            Assert.Equal("N/A", one.Text("reliability"));
            Assert.Equal(parties.Provider.Name, one.GetProperty("service").GetProperty("agent").Text("name"));
            Assert.Empty(one.GetProperty("runs").EnumerateArray());
        }

        var bought = await List(parties.Subscriber.ApiKey);
        var listed = Assert.Single(bought);
        Assert.Equal(id, listed.Id());
        Assert.Equal("ACTIVE", listed.Text("status"));
        Assert.Equal(1000, listed.GetProperty("priceCents").GetInt64());
        Assert.Equal(24, listed.Number("runIntervalHours"));
        Assert.True(listed.TryGetProperty("nextRunAt", out _));
        Assert.True(listed.TryGetProperty("nextBillingAt", out _));
        Assert.Equal(0, listed.Number("totalRuns"));
        Assert.Equal(0, listed.Number("successfulRuns"));
        Assert.Equal(parties.ServiceId, listed.GetProperty("service").Id());
        Assert.Equal(parties.Provider.Id, listed.GetProperty("service").GetProperty("agent").Id());
        Assert.Equal(0, listed.GetProperty("_count").Number("runs"));
        Assert.False(listed.TryGetProperty("runs", out _));
        Assert.Equal([id], (await List(parties.Provider.ApiKey, "?role=provider")).Select(s => s.Id()));
        Assert.Empty(await List(parties.Provider.ApiKey));
        Assert.Empty(await List(parties.Subscriber.ApiKey, "?role=provider"));
    }

    [Fact]
    public async Task Every_refusal_writes_nothing()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 500, priceCents: 1000);
        var (subscriber, provider) = (parties.Subscriber, parties.Provider);
        var oneTime = await stack.ListService(provider.ApiKey);
        var inactive = await stack.OfferSubscription(provider.ApiKey);
        using var providerClient = stack.AsAgent(provider.ApiKey);
        Assert.True((await providerClient.PatchAsJsonAsync($"/market/api/services/{inactive}", new { active = false })).IsSuccessStatusCode);
        var deleted = await stack.OfferSubscription(provider.ApiKey);
        Assert.True((await providerClient.DeleteAsync($"/market/api/services/{deleted}")).IsSuccessStatusCode);
        var own = await stack.OfferSubscription(subscriber.ApiKey);
        var cheapOwn = await stack.OfferSubscription(subscriber.ApiKey, priceCents: 100);
        var stored = await Everything(parties);

        await (await stack.Subscribe(subscriber.ApiKey, new { })).Refused(HttpStatusCode.BadRequest, "serviceId");
        await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = "" })).Refused(HttpStatusCode.BadRequest, "serviceId");
        await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = (string?)null })).Refused(HttpStatusCode.BadRequest, "serviceId");
        await (await Raw(subscriber.ApiKey, """{"serviceId": 123}""")).Refused(HttpStatusCode.BadRequest);
        await (await Raw(subscriber.ApiKey, """{"serviceId": ["svc_x"]}""")).Refused(HttpStatusCode.BadRequest);
        await (await Raw(subscriber.ApiKey, """not json""")).Refused(HttpStatusCode.BadRequest);
        var unknown = "svc_" + Guid.NewGuid().ToString("N");
        var notFound = await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = unknown })).Refused(HttpStatusCode.NotFound);
        Assert.Equal($"Service '{unknown}' not found", notFound.Error());
        await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = deleted })).Refused(HttpStatusCode.NotFound);
        var hireIt = await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = oneTime })).Refused(HttpStatusCode.BadRequest, "serviceId");
        Assert.Contains("hire it instead", hireIt.Error());
        await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = own })).Refused(HttpStatusCode.BadRequest, "serviceId");
        await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = cheapOwn })).Refused(HttpStatusCode.BadRequest, "serviceId");
        await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = inactive })).Refused(HttpStatusCode.BadRequest, "serviceId");
        var short1 = await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = parties.ServiceId })).Refused(HttpStatusCode.PaymentRequired);
        Assert.Contains("500", short1.Error());
        Assert.Contains("1000", short1.Error().Replace(",", ""));
        // A retry of the short one with a key, and again: still nothing kept.
        await (await stack.Subscribe(subscriber.ApiKey, new { serviceId = parties.ServiceId }, "short-" + Guid.NewGuid())).Refused(HttpStatusCode.PaymentRequired);

        Assert.Equal(stored, await Everything(parties));
        Assert.Equal(500, await stack.WalletBalance(subscriber.ApiKey));
        Assert.Empty(await List(subscriber.ApiKey));
        Assert.Empty(await List(provider.ApiKey, "?role=provider"));
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_is_the_same_subscription_charged_once()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var key = "subscribe-" + Guid.NewGuid();

        var first = await stack.Subscribed(parties, key);
        var again = await stack.Subscribed(parties, key);

        Assert.Equal(first.Id(), again.Id());
        Assert.Equal(1, await stack.ChargesOf(first.Id()));
        Assert.Equal(1, await stack.SubscriptionRowsOf(parties.Subscriber.Id));
        Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));

        // The same key for another service: 422, nothing more kept.
        var otherService = await stack.OfferSubscription(parties.Provider.ApiKey);
        await (await stack.Subscribe(parties.Subscriber.ApiKey, new { serviceId = otherService }, key)).Refused(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await stack.SubscriptionRowsOf(parties.Subscriber.Id));
        Assert.Equal(1, await stack.ChargesPaidBy(parties.Subscriber.Id));

        // The same key from another agent is that agent's own subscription.
        var other = await stack.RegisterAgent();
        await stack.FundWallet(other.ApiKey, 1_000);
        var theirs = await stack.Subscribed(other.ApiKey, parties.ServiceId, key);
        Assert.NotEqual(first.Id(), theirs.Id());
        Assert.Equal(0, await stack.WalletBalance(other.ApiKey));
        Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(2, await stack.SubscriptionRowsTo(parties.Provider.Id));
    }

    [Fact]
    public async Task A_retry_whose_first_answer_was_never_stored_reaches_the_same_subscription()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var registry = stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<ISubscriptionRegistryGrain>(ISubscriptionRegistryGrain.Key);
        var request = new NewSubscription(parties.Subscriber.Id, parties.ServiceId, "lost-answer-" + Guid.NewGuid());

        // What the API's handler asks, twice, with no stored answer between (the first was lost).
        var first = await registry.Subscribe(request);
        var retry = await registry.Subscribe(request);

        Assert.Null(first.Problem);
        Assert.Null(retry.Problem);
        Assert.Equal(first.Value!.Id, retry.Value!.Id);
        Assert.Equal(1, await stack.ChargesOf(first.Value.Id));
        Assert.Equal(4_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1, await stack.SubscriptionRowsOf(parties.Subscriber.Id));
    }

    [Fact]
    public async Task Without_a_key_subscribing_twice_to_one_service_is_two_subscriptions_each_charged()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);

        var first = await stack.Subscribed(parties);
        var second = await stack.Subscribed(parties);

        Assert.NotEqual(first.Id(), second.Id());
        Assert.Equal(1, await stack.ChargesOf(first.Id()));
        Assert.Equal(1, await stack.ChargesOf(second.Id()));
        Assert.Equal(3_000, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(1_800, await stack.WalletBalance(parties.Provider.ApiKey));
        // Newest first.
        Assert.Equal([second.Id(), first.Id()], (await List(parties.Subscriber.ApiKey)).Select(s => s.Id()));
    }

    [Fact]
    public async Task Subscribing_at_once_beyond_the_wallet_keeps_only_what_was_paid()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 2_000, priceCents: 1_000);

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => stack.Subscribe(parties.Subscriber.ApiKey, new { serviceId = parties.ServiceId })));

        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.Equal(2, await stack.SubscriptionRowsOf(parties.Subscriber.Id));
        Assert.Equal(2, await stack.ChargesPaidBy(parties.Subscriber.Id));
        Assert.Equal(2, await stack.SubscriptionStatesNaming(parties.Subscriber.Id));
        Assert.Equal(0, await stack.WalletBalance(parties.Subscriber.ApiKey));
        Assert.Equal(2, (await List(parties.Subscriber.ApiKey)).Count);
        Assert.Equal(2, (await stack.WebhookBodies(parties.Provider.Id, "subscription.created")).Count);
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Without_a_valid_api_key_every_call_is_401()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        using var anonymous = new HttpClient { BaseAddress = stack.ApiUrl };
        using var forged = stack.AsAgent("agnt_" + Guid.NewGuid().ToString("N"));

        foreach (var client in new[] { anonymous, forged })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(SubscriptionClient.Subscriptions, new { serviceId = parties.ServiceId })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(SubscriptionClient.Subscriptions)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(SubscriptionClient.SubscriptionPath(id))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PatchAsJsonAsync(SubscriptionClient.SubscriptionPath(id), new { action = "cancel" })).StatusCode);
        }

        Assert.Equal(1, await stack.SubscriptionRowsTo(parties.Provider.Id));
        Assert.Equal("ACTIVE", (await stack.ReadSubscription(parties.Subscriber.ApiKey, id)).Text("status"));
    }

    [Fact]
    public async Task A_stranger_never_learns_a_subscription_exists_and_the_provider_cannot_change_it()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        var stranger = await stack.RegisterAgent();
        var row = await stack.SubscriptionRow(id);

        var unknown = "sub_" + Guid.NewGuid().ToString("N");
        foreach (var (key, target) in new[] { (stranger.ApiKey, id), (parties.Subscriber.ApiKey, unknown), (parties.Subscriber.ApiKey, "not-a-subscription"), (parties.Subscriber.ApiKey, "sub_!!") })
        {
            var read = await (await stack.GetSubscription(key, target)).Refused(HttpStatusCode.NotFound);
            Assert.Equal("Subscription not found", read.Error());
            await (await stack.PatchSubscription(key, target, new { action = "pause" })).Refused(HttpStatusCode.NotFound);
            await (await stack.PatchSubscription(key, target, new { action = "cancel" })).Refused(HttpStatusCode.NotFound);
        }
        var byProvider = await (await stack.PatchSubscription(parties.Provider.ApiKey, id, new { action = "cancel" })).Refused(HttpStatusCode.Forbidden);
        Assert.Equal("Only the subscriber can modify this subscription", byProvider.Error());
        await (await stack.PatchSubscription(parties.Provider.ApiKey, id, new { action = "pause" })).Refused(HttpStatusCode.Forbidden);

        Assert.Equal(row, await stack.SubscriptionRow(id));
        Assert.Equal("ACTIVE", (await stack.ReadSubscription(parties.Subscriber.ApiKey, id)).Text("status"));
        Assert.Equal(0, await stack.SubscriptionRowsOf(stranger.Id));
        Assert.Empty(await List(stranger.ApiKey));
        Assert.Empty(await List(stranger.ApiKey, "?role=provider"));
    }

    [Fact]
    public async Task An_action_that_is_not_pause_resume_or_cancel_is_400_naming_action_and_changes_nothing()
    {
        var parties = await stack.SubscriptionParties();
        var id = (await stack.Subscribed(parties)).Id();
        var row = await stack.SubscriptionRow(id);
        var events = await stack.EventsAndNoticesOf(parties.Provider.Id);

        await (await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { })).Refused(HttpStatusCode.BadRequest, "action");
        await (await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "" })).Refused(HttpStatusCode.BadRequest, "action");
        await (await stack.PatchSubscription(parties.Subscriber.ApiKey, id, new { action = "explode" })).Refused(HttpStatusCode.BadRequest, "action");
        await (await PatchRaw(parties.Subscriber.ApiKey, id, """{"action": 3}""")).Refused(HttpStatusCode.BadRequest);

        Assert.Equal(row, await stack.SubscriptionRow(id));
        Assert.Equal(events, await stack.EventsAndNoticesOf(parties.Provider.Id));
        // Case-insensitive, as the seed's lower-case actions.
        var paused = await stack.ChangeSubscription(parties.Subscriber.ApiKey, id, "PAUSE");
        Assert.Equal("PAUSED", paused.GetProperty("subscription").Text("status"));
        Assert.Equal("Subscription paused successfully", paused.Text("message"));
    }

    [Fact]
    public async Task The_list_filters_by_role_and_status_pages_newest_first_and_names_a_bad_parameter()
    {
        var parties = await stack.SubscriptionParties(subscriberFunds: 5_000);
        var otherService = await stack.OfferSubscription(parties.Provider.ApiKey, priceCents: 500, runIntervalHours: 12);
        var older = (await stack.Subscribed(parties)).Id();
        var newer = (await stack.Subscribed(parties.Subscriber.ApiKey, otherService)).Id();
        await stack.ChangeSubscription(parties.Subscriber.ApiKey, older, "pause");
        var (s, p) = (parties.Subscriber.ApiKey, parties.Provider.ApiKey);

        Assert.Equal([newer, older], (await List(s)).Select(x => x.Id()));
        Assert.Equal([newer, older], (await List(s, "?role=buyer")).Select(x => x.Id()));
        Assert.Equal([newer, older], (await List(s, "?role=BUYER")).Select(x => x.Id()));
        Assert.Equal([newer], (await List(s, "?status=ACTIVE")).Select(x => x.Id()));
        Assert.Equal([older], (await List(s, "?status=paused")).Select(x => x.Id()));
        Assert.Empty(await List(s, "?status=CANCELLED"));
        Assert.Equal([newer, older], (await List(p, "?role=provider")).Select(x => x.Id()));
        Assert.Equal([older], (await List(p, "?role=Provider&status=PAUSED")).Select(x => x.Id()));
        Assert.Equal([newer], (await List(s, "?limit=1")).Select(x => x.Id()));
        Assert.Equal([older], (await List(s, "?limit=1&offset=1")).Select(x => x.Id()));
        Assert.Empty(await List(s, "?offset=2"));
        Assert.Equal(2, (await List(s, "?limit=100&offset=0")).Count);
        Assert.Empty(await List(s, "?offset=100000"));

        await (await stack.ListSubscriptions(s, "?role=seller")).Refused(HttpStatusCode.BadRequest, "role");
        await (await stack.ListSubscriptions(s, "?status=DONE")).Refused(HttpStatusCode.BadRequest, "status");
        await (await stack.ListSubscriptions(s, "?limit=0")).Refused(HttpStatusCode.BadRequest, "limit");
        await (await stack.ListSubscriptions(s, "?limit=101")).Refused(HttpStatusCode.BadRequest, "limit");
        await (await stack.ListSubscriptions(s, "?limit=-5")).Refused(HttpStatusCode.BadRequest, "limit");
        await (await stack.ListSubscriptions(s, "?limit=many")).Refused(HttpStatusCode.BadRequest);
        await (await stack.ListSubscriptions(s, "?offset=-1")).Refused(HttpStatusCode.BadRequest, "offset");
        await (await stack.ListSubscriptions(s, "?offset=100001")).Refused(HttpStatusCode.BadRequest, "offset");
        await (await stack.ListSubscriptions(s, "?offset=99999999999")).Refused(HttpStatusCode.BadRequest);
    }

    async Task<List<JsonElement>> List(string apiKey, string query = "")
    {
        var response = await stack.ListSubscriptions(apiKey, query);
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return [.. body.GetProperty("subscriptions").EnumerateArray()];
    }

    async Task<HttpResponseMessage> Raw(string apiKey, string json)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PostAsync(SubscriptionClient.Subscriptions, new StringContent(json, Encoding.UTF8, "application/json"));
    }

    async Task<HttpResponseMessage> PatchRaw(string apiKey, string id, string json)
    {
        using var agent = stack.AsAgent(apiKey);
        return await agent.PatchAsync(SubscriptionClient.SubscriptionPath(id), new StringContent(json, Encoding.UTF8, "application/json"));
    }

    /// <summary>What a subscription would leave behind for these parties, all at once.</summary>
    async Task<(long Rows, long States, long Charges, long SubscriberEvents, long ProviderEvents, long Transfers)> Everything(SubscriptionParties parties) =>
        (await stack.SubscriptionRowsOf(parties.Subscriber.Id) + await stack.SubscriptionRowsTo(parties.Provider.Id),
         await stack.SubscriptionStatesNaming(parties.Subscriber.Id),
         await stack.ChargesPaidBy(parties.Subscriber.Id),
         await stack.EventsAndNoticesOf(parties.Subscriber.Id),
         await stack.EventsAndNoticesOf(parties.Provider.Id),
         await stack.TransfersOfWallet(parties.Subscriber.Id));

    static (string Type, long Amount) Last(List<(string Type, long Amount, string Description)> history) => (history[0].Type, history[0].Amount);
}
