using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Access;

/// <summary>
/// Authorizations travel from the API to the silo in batches and are spent there without a call
/// to each org grain, with what the org grain said about the org (its keys, its period) and the
/// content's terms read per batch. These tests change exactly those facts between requests.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AuthorizeIntakeTests(ActorsStack stack)
{
    [Fact]
    public async Task A_key_issued_after_its_org_has_spent_authorizes_at_once()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 2);
        Assert.Equal(HttpStatusCode.Created, (await subscriber.Http.AuthorizeRetrieval(article)).StatusCode);

        using var admin = stack.AsAdmin();
        var issued = await (await admin.PostAsync($"/admin/api/orgs/{subscriber.OrgId}/keys", null)).ReadJson();
        using var second = stack.AsAgent(issued.GetProperty("apiKey").GetString()!);
        var response = await second.AuthorizeRetrieval(article);

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(96, body.GetProperty("remaining_credits").GetInt64());
        Assert.Equal(HttpStatusCode.Created, (await second.AuthorizeRetrieval(article)).StatusCode);
        Assert.Equal(94, await subscriber.RemainingCredits());
    }

    [Fact]
    public async Task The_first_authorization_of_a_new_period_spends_the_new_periods_credits()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 10);
        var article = await stack.NewArticle(tier: 4);
        await subscriber.Http.AuthorizeRetrieval(article);
        await subscriber.Http.AuthorizeRetrieval(article);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await subscriber.Http.AuthorizeRetrieval(article)).StatusCode);
        Assert.Equal(2, await stack.AccessTokensOf(subscriber.OrgId));

        stack.AdvanceIntoNextPeriod();
        // No status call first: the authorization itself must find the period over.
        var response = await subscriber.Http.AuthorizeRetrieval(article);

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(6, body.GetProperty("remaining_credits").GetInt64());
        Assert.Equal(6, await subscriber.RemainingCredits());
    }

    [Fact]
    public async Task A_changed_tier_applies_to_the_next_authorization()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 2);
        Assert.Equal(HttpStatusCode.Created, (await subscriber.Http.AuthorizeRetrieval(article)).StatusCode);

        using var admin = stack.AsAdmin();
        var republished = await admin.PostAsJsonAsync($"/admin/api/publishers/{article.Domain}/content", new
        {
            contentId = article.ContentId, path = article.Path, title = "How to Build AI Agents", markdown = "# Now dearer",
            tier = 5, license = new { summary = "Standard usage allowed" },
        });
        Assert.True(republished.IsSuccessStatusCode, (await republished.ReadJson()).ToString());

        var old = await subscriber.Http.AuthorizeRetrieval(article, tier: 2);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Contains("(5)", (await old.ReadJson()).GetProperty("detail").GetString());
        Assert.Equal(98, await subscriber.RemainingCredits());
        Assert.Equal(1, await stack.AccessTokensOf(subscriber.OrgId));
        var dearer = await (await subscriber.Http.AuthorizeRetrieval(article, tier: 5)).ReadJson();
        Assert.Equal(5, dearer.GetProperty("credits_consumed").GetInt32());
        Assert.Equal(93, dearer.GetProperty("remaining_credits").GetInt64());
    }

    [Fact]
    public async Task Concurrent_authorizations_of_many_orgs_each_spend_exactly_their_own_credits()
    {
        var subscribers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => stack.NewSubscriber(monthlyLimit: 15)));
        var article = await stack.NewArticle(tier: 1);

        // 25 requests per org, all at once and interleaved: they meet in shared batches, where an
        // org's debits are checked one after another against what the ones before left.
        var requests = Enumerable.Range(0, 25).SelectMany(_ => subscribers).Select(s => (s, Task.Run(() => s.Http.AuthorizeRetrieval(article)))).ToList();
        await Task.WhenAll(requests.Select(r => r.Item2));

        foreach (var subscriber in subscribers)
        {
            var statuses = requests.Where(r => r.s == subscriber).Select(r => r.Item2.Result.StatusCode).ToList();
            Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.Created));
            Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.PaymentRequired));
            Assert.Equal(0, await subscriber.RemainingCredits());
        }
        var ledger = stack.SiloServices.GetRequiredService<LedgerStore>();
        Assert.Equal(0, await ledger.SumOfAllEntries());
        Assert.Equal(0, await ledger.DriftedAccounts());
    }

    [Fact]
    public async Task An_authorization_that_meets_a_cut_ledger_connection_is_answered_and_its_retry_spends_once()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 3);
        Assert.Equal(HttpStatusCode.Created, (await subscriber.Http.AuthorizeRetrieval(article)).StatusCode);

        // Cut the connection the ledger's writer keeps between batches, as a database restart would.
        Assert.NotEmpty(await stack.Postgres.CutSessionsRunning("WITH r AS MATERIALIZED (SELECT transfer_index"));

        // The next authorization is spent (201) or answered 503 (retry shortly), never a 500; its
        // retry with the same Idempotency-Key is a 201, and the credits are spent once.
        var key = Guid.NewGuid().ToString("N");
        var first = await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key);
        Assert.Contains(first.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable });
        var retry = await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(94, (await retry.ReadJson()).GetProperty("remaining_credits").GetInt64());
        Assert.Equal(94, await subscriber.RemainingCredits());
        var ledger = stack.SiloServices.GetRequiredService<LedgerStore>();
        Assert.Equal(0, await ledger.SumOfAllEntries());
        Assert.Equal(0, await ledger.DriftedAccounts());
    }
}
