using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Subscriptions;

/// <summary>
/// A subscriber and a provider of their own (fresh agents for every test: the clock is shared and
/// only moves forward, so a test's subscriptions must be its own), the provider's SUBSCRIPTION
/// service, and the provider's referrer when there is one.
/// </summary>
sealed record SubscriptionParties(RegisteredAgent Subscriber, RegisteredAgent Provider, string ServiceId, RegisteredAgent? Referrer, long PriceCents);

static class SubscriptionSetup
{
    public static async Task<SubscriptionParties> SubscriptionParties(
        this ActorsStack stack, long subscriberFunds = 10_000, long priceCents = 1000, int runIntervalHours = 24, bool referred = false)
    {
        var referrer = referred ? await stack.RegisterAgent(name: Unique.Name("referrer")) : null;
        var provider = await stack.RegisterAgent(name: Unique.Name("AnalyticsBot"), referralCode: referrer?.ReferralCode);
        var subscriber = await stack.RegisterAgent(name: Unique.Name("subscriber"));
        var serviceId = await stack.OfferSubscription(provider.ApiKey, priceCents, runIntervalHours);
        if (subscriberFunds > 0) await stack.FundWallet(subscriber.ApiKey, subscriberFunds);
        return new SubscriptionParties(subscriber, provider, serviceId, referrer, priceCents);
    }

    /// <summary>The subscriber's subscription to the parties' service, which must be created (201).</summary>
    public static Task<JsonElement> Subscribed(this ActorsStack stack, SubscriptionParties parties, string? idempotencyKey = null) =>
        stack.Subscribed(parties.Subscriber.ApiKey, parties.ServiceId, idempotencyKey);

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static int Number(this JsonElement element, string property) => element.GetProperty(property).GetInt32();

    public static DateTimeOffset At(this JsonElement element, string property) => element.GetProperty(property).GetDateTimeOffset();

    public static bool IsNull(this JsonElement element, string property) => element.GetProperty(property).ValueKind == JsonValueKind.Null;

    /// <summary>Two instants the same to the database's microsecond (times go through timestamptz).</summary>
    public static void SameInstant(DateTimeOffset expected, DateTimeOffset actual, string? what = null) =>
        Assert.True((expected - actual).Duration() < TimeSpan.FromMilliseconds(1), $"{what}: expected {expected:O}, got {actual:O}");

    /// <summary>The first slot (createdAt + k × interval, k ≥ 1) strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset FirstSlotAfter(DateTimeOffset createdAt, TimeSpan interval, DateTimeOffset now)
    {
        var k = Math.Max(1, (now - createdAt).Ticks / interval.Ticks + 1);
        return createdAt + TimeSpan.FromTicks(interval.Ticks * k);
    }

    /// <summary>A refusal: the status and, when given, the field the problem names.</summary>
    public static async Task<JsonElement> Refused(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {body}");
        if (field is not null) Assert.True(body.ValueKind == JsonValueKind.Object && body.TryGetProperty("field", out var named) && named.GetString() == field,
            $"expected the problem to name {field}: {body}");
        return body;
    }

    /// <summary>The problem's message (its <c>error</c> member).</summary>
    public static string Error(this JsonElement problem) => problem.GetProperty("error").GetString()!;

    /// <summary>Reads the subscription (which catches up with the clock) until <paramref name="until"/> holds, up to 10 s.</summary>
    public static async Task<JsonElement> ReadUntil(this ActorsStack stack, string apiKey, string id, Func<JsonElement, bool> until, int seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        JsonElement subscription;
        while (!until(subscription = await stack.ReadSubscription(apiKey, id)) && clock.Elapsed < TimeSpan.FromSeconds(seconds))
            await Task.Delay(50);
        Assert.True(until(subscription), $"the subscription never got there: {subscription}");
        return subscription;
    }

    /// <summary>The agent's wallet transactions, newest first, as (type, amount, description).</summary>
    public static async Task<List<(string Type, long Amount, string Description)>> WalletHistory(this ActorsStack stack, string apiKey)
    {
        using var agent = stack.AsAgent(apiKey);
        var wallet = await (await agent.GetAsync("/market/api/agents/wallet")).ReadJson();
        return [.. wallet.GetProperty("transactions").EnumerateArray()
            .Select(t => (t.Text("type"), t.GetProperty("amountCents").GetInt64(), t.Text("description")))];
    }
}
