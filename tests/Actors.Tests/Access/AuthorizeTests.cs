using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Grains.Ledger;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Access;

[Collection(StackCollection.Name)]
public sealed class AuthorizeTests(ActorsStack stack)
{
    [Fact]
    public async Task Authorize_spends_the_tier_and_returns_a_token_for_the_content()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 1000);
        var article = await stack.NewArticle(tier: 3);
        var before = stack.Clock.GetUtcNow();

        var response = await subscriber.Http.AuthorizeRetrieval(article);

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("at_access_", body.GetProperty("access_token").GetString());
        Assert.StartsWith("ret_", body.GetProperty("retrieval_id").GetString());
        Assert.Equal(new Uri(stack.ApiUrl, $"/access/publishers/{article.Domain}/agentthreshold/content/{article.ContentId}/").ToString(),
            body.GetProperty("content_url").GetString());
        var expiresAt = DateTimeOffset.Parse(body.GetProperty("expires_at").GetString()!);
        Assert.EndsWith("Z", body.GetProperty("expires_at").GetString());
        Assert.InRange(expiresAt - before, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(2));
        Assert.Equal(3, body.GetProperty("credits_consumed").GetInt32());
        Assert.Equal(997, body.GetProperty("remaining_credits").GetInt64());
        var license = body.GetProperty("license");
        Assert.Equal("Standard usage allowed", license.GetProperty("summary").GetString());
        Assert.True(license.GetProperty("internal_analysis").GetBoolean());
        Assert.False(license.GetProperty("model_training").GetBoolean());
        Assert.Equal(86400, license.GetProperty("cache_ttl_seconds").GetInt32());
        Assert.Equal(997, await subscriber.RemainingCredits());
    }

    [Fact]
    public async Task The_token_fetches_the_content_once()
    {
        var subscriber = await stack.NewSubscriber();
        var markdown = "# Title\n\n" + string.Join(' ', Enumerable.Repeat("word", 1500));
        var article = await stack.NewArticle(tier: 2, markdown: markdown);
        var auth = await (await subscriber.Http.AuthorizeRetrieval(article)).ReadJson();
        var contentUrl = auth.GetProperty("content_url").GetString()!;
        var token = auth.GetProperty("access_token").GetString()!;

        var first = await stack.FetchContent(contentUrl, token);
        var second = await stack.FetchContent(contentUrl, token);

        var content = await first.ReadJson();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(article.ContentId, content.GetProperty("content_id").GetString());
        Assert.Equal(article.Url, content.GetProperty("canonical_url").GetString());
        Assert.Equal("How to Build AI Agents", content.GetProperty("title").GetString());
        Assert.Equal("Jane Doe", content.GetProperty("author").GetString());
        Assert.Equal("2026-05-01T12:00:00Z", content.GetProperty("published_at").GetString());
        Assert.Equal(markdown, content.GetProperty("content_markdown").GetString());
        Assert.Equal(1501, content.GetProperty("metadata").GetProperty("word_count").GetInt32());
        Assert.Equal("7 minutes", content.GetProperty("metadata").GetProperty("reading_time").GetString());
        Assert.Equal(["AI", "Agents", "Technology"], content.GetProperty("metadata").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
    }

    [Fact]
    public async Task Concurrent_fetches_with_one_token_succeed_once()
    {
        var subscriber = await stack.NewSubscriber();
        var article = await stack.NewArticle();
        var auth = await (await subscriber.Http.AuthorizeRetrieval(article)).ReadJson();

        var fetches = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            stack.FetchContent(auth.GetProperty("content_url").GetString()!, auth.GetProperty("access_token").GetString()!))));

        Assert.Equal(1, fetches.Count(f => f.StatusCode == HttpStatusCode.OK));
        Assert.Equal(9, fetches.Count(f => f.StatusCode == HttpStatusCode.Gone));
    }

    [Fact]
    public async Task A_token_expires_five_minutes_after_it_is_issued()
    {
        var subscriber = await stack.NewSubscriber();
        var article = await stack.NewArticle();
        var auth = await (await subscriber.Http.AuthorizeRetrieval(article)).ReadJson();

        stack.Clock.Advance(TimeSpan.FromMinutes(5));
        var late = await stack.FetchContent(auth.GetProperty("content_url").GetString()!, auth.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
    }

    [Fact]
    public async Task Housekeeping_deletes_tokens_an_hour_after_they_expire()
    {
        var subscriber = await stack.NewSubscriber();
        var article = await stack.NewArticle();
        var auth = await (await subscriber.Http.AuthorizeRetrieval(article)).ReadJson();
        var housekeeping = stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<Actors.Grains.Platform.IHousekeepingGrain>(Actors.Grains.Platform.IHousekeepingGrain.Key);

        stack.Clock.Advance(TimeSpan.FromMinutes(30));
        await housekeeping.RunNow();
        var expired = await stack.FetchContent(auth.GetProperty("content_url").GetString()!, auth.GetProperty("access_token").GetString()!);
        stack.Clock.Advance(TimeSpan.FromMinutes(40));
        var report = await housekeeping.RunNow();
        var gone = await stack.FetchContent(auth.GetProperty("content_url").GetString()!, auth.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.True(report.AccessTokens >= 1);
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Fact]
    public async Task A_token_is_bound_to_its_content()
    {
        var subscriber = await stack.NewSubscriber();
        var article = await stack.NewArticle();
        var other = await stack.NewArticle(domain: article.Domain);
        var auth = await (await subscriber.Http.AuthorizeRetrieval(article)).ReadJson();
        var token = auth.GetProperty("access_token").GetString()!;

        var wrong = await stack.FetchContent($"/access/publishers/{other.Domain}/agentthreshold/content/{other.ContentId}/", token);
        var forged = await stack.FetchContent(auth.GetProperty("content_url").GetString()!, "at_access_" + new string('x', 40));
        var apiKey = await stack.FetchContent(auth.GetProperty("content_url").GetString()!, subscriber.ApiKey);

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, apiKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stack.FetchContent(auth.GetProperty("content_url").GetString()!, token)).StatusCode);
    }

    [Fact]
    public async Task A_publisher_hosting_its_own_pages_redeems_a_token_once()
    {
        var subscriber = await stack.NewSubscriber();
        var article = await stack.NewArticle();
        var token = (await (await subscriber.Http.AuthorizeRetrieval(article)).ReadJson()).GetProperty("access_token").GetString()!;
        var redeem = new { access_token = token, domain = article.Domain, content_id = article.ContentId };

        var first = await stack.Http.PostAsJsonAsync("/access/api/v1/publisher/redeem", redeem);
        var second = await stack.Http.PostAsJsonAsync("/access/api/v1/publisher/redeem", redeem);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(article.ContentId, (await first.ReadJson()).GetProperty("content_id").GetString());
        Assert.Equal(HttpStatusCode.Gone, second.StatusCode);
    }

    [Theory]
    [InlineData("url")]
    [InlineData("content_id")]
    [InlineData("domain")]
    [InlineData("tier")]
    public async Task A_missing_field_is_400_naming_it_and_spends_nothing(string missing)
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle();
        var fields = new Dictionary<string, object?> { ["url"] = article.Url, ["content_id"] = article.ContentId, ["domain"] = article.Domain, ["tier"] = article.Tier };
        fields.Remove(missing);

        var response = await subscriber.Http.PostAsJsonAsync(AccessClient.Authorize, fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(missing, (await response.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(100, await subscriber.RemainingCredits());
        Assert.Equal(0, await stack.AccessTokensOf(subscriber.OrgId));
    }

    [Fact]
    public async Task A_tier_that_does_not_match_the_content_is_400_and_spends_nothing()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 3);

        var cheaper = await subscriber.Http.AuthorizeRetrieval(article, tier: 1);
        var malformed = await subscriber.Http.PostAsJsonAsync(AccessClient.Authorize, new { url = article.Url, content_id = article.ContentId, domain = article.Domain, tier = "three" });

        Assert.Equal(HttpStatusCode.BadRequest, cheaper.StatusCode);
        Assert.Equal("tier", (await cheaper.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("tier", (await malformed.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(100, await subscriber.RemainingCredits());
        Assert.Equal(0, await stack.AccessTokensOf(subscriber.OrgId));
    }

    [Fact]
    public async Task Unknown_content_is_404()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle();
        var entries = await stack.CreditEntriesOf(subscriber.OrgId);

        var response = await subscriber.Http.AuthorizeRetrieval(article with { ContentId = "not_registered" });
        var otherDomain = await subscriber.Http.AuthorizeRetrieval(article with { Domain = "nobody-" + article.Domain });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherDomain.StatusCode);
        Assert.Equal(100, await subscriber.RemainingCredits());
        Assert.Equal(entries, await stack.CreditEntriesOf(subscriber.OrgId));
        Assert.Equal(0, await stack.AccessTokensOf(subscriber.OrgId));
    }

    [Fact]
    public async Task Fewer_credits_than_the_tier_is_402_and_spends_nothing()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 5);
        var article = await stack.NewArticle(tier: 3);

        var first = await subscriber.Http.AuthorizeRetrieval(article);
        var entries = await stack.CreditEntriesOf(subscriber.OrgId);
        var second = await subscriber.Http.AuthorizeRetrieval(article);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, second.StatusCode);
        Assert.Contains("credits", (await second.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(2, await subscriber.RemainingCredits());
        Assert.Equal(entries, await stack.CreditEntriesOf(subscriber.OrgId));
        Assert.Equal(1, await stack.AccessTokensOf(subscriber.OrgId));
    }

    [Fact]
    public async Task A_key_of_no_organisation_is_403()
    {
        var marketAgent = await stack.RegisterAgent();
        using var agent = stack.AsAgent(marketAgent.ApiKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(AccessClient.SubscriptionStatus)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.GetAsync(AccessClient.SubscriptionStatus)).StatusCode);
    }

    [Fact]
    public async Task Fifty_concurrent_authorizations_against_credits_for_ten_succeed_exactly_ten_times()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 30);
        var article = await stack.NewArticle(tier: 3);
        var ledger = stack.SiloServices.GetRequiredService<LedgerStore>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => subscriber.Http.AuthorizeRetrieval(article))));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        Assert.Equal(10, await stack.AccessTokensOf(subscriber.OrgId));
        Assert.Equal(0, await subscriber.RemainingCredits());
        Assert.Equal(0, await ledger.Balance(LedgerAccount.OrgCredits(subscriber.OrgId)));
        Assert.Equal(0, await ledger.SumOfAllEntries());
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_answer_and_spends_nothing_more()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 3);
        var key = Guid.NewGuid().ToString();

        var first = await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key);
        var retries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key)));

        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        foreach (var retry in retries)
        {
            // A retry racing the first may be told to wait (409); every other answer is the first one.
            if (retry.StatusCode == HttpStatusCode.Conflict) continue;
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
            Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        }
        var late = await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key);
        Assert.Equal(firstBody, await late.Content.ReadAsStringAsync());
        Assert.Equal(97, await subscriber.RemainingCredits());
    }

    [Fact]
    public async Task Even_if_the_stored_answer_is_lost_a_retry_with_the_key_spends_nothing_more()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 3);
        var grains = stack.SiloServices.GetRequiredService<IGrainFactory>();
        var agentId = (await grains.GetGrain<Actors.Grains.Identity.IApiKeyGrain>(Actors.Grains.Identity.SecretHash.ApiKeyGrainId(subscriber.ApiKey)).Resolve())!.AgentId;
        var command = new Actors.Grains.Access.AuthorizeCommand(article.Url, article.ContentId, article.Domain, 3, Guid.NewGuid().ToString());

        // The grain directly, as if the HTTP layer had lost the first response.
        var first = await grains.GetGrain<Actors.Grains.Access.IOrgMemberGrain>(agentId).Authorize(command);
        var retry = await grains.GetGrain<Actors.Grains.Access.IOrgMemberGrain>(agentId).Authorize(command);

        Assert.True(first.IsOk && retry.IsOk);
        Assert.Equal(first.Value!.RetrievalId, retry.Value!.RetrievalId);
        Assert.Equal(97, retry.Value.RemainingCredits);
        Assert.Equal(97, await subscriber.RemainingCredits());
        Assert.Equal(HttpStatusCode.OK, (await stack.FetchContent(retry.Value.ContentUrl, retry.Value.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_request_is_422()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 3);
        var other = await stack.NewArticle(tier: 3);
        var key = Guid.NewGuid().ToString();

        await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key);
        var different = await subscriber.Http.AuthorizeRetrieval(other, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal(97, await subscriber.RemainingCredits());
        Assert.Equal(1, await stack.AccessTokensOf(subscriber.OrgId));
    }

    [Fact]
    public async Task A_retry_after_the_previous_token_expired_is_410_and_spends_nothing()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 100);
        var article = await stack.NewArticle(tier: 3);
        var key = Guid.NewGuid().ToString();
        await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key);

        stack.Clock.Advance(TimeSpan.FromMinutes(5));
        var retry = await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: key);
        var fresh = await subscriber.Http.AuthorizeRetrieval(article, idempotencyKey: Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Gone, retry.StatusCode);
        Assert.Contains("expired", (await retry.ReadJson()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.Equal(94, await subscriber.RemainingCredits());
        Assert.Equal(2, await stack.AccessTokensOf(subscriber.OrgId));
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        var subscriber = await stack.NewSubscriber();
        var article = await stack.NewArticle();
        var token = (await (await subscriber.Http.AuthorizeRetrieval(article)).ReadJson()).GetProperty("access_token").GetString()!;

        await using var db = Npgsql.NpgsqlDataSource.Create(stack.Postgres.ConnectionString);
        async Task<long> Count(string sql, string value)
        {
            await using var cmd = db.CreateCommand(sql);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        Assert.Equal(1, await Count("SELECT count(*) FROM access_tokens WHERE token_hash = $1", Actors.Grains.Identity.SecretHash.Of(token)));
        Assert.Equal(0, await Count("SELECT count(*) FROM access_tokens WHERE position($1 in token_hash) > 0", token));
        Assert.Equal(0, await Count("SELECT count(*) FROM orleans_grain_state WHERE position($1 in coalesce(convert_from(payload, 'UTF8'), '') || coalesce(grain_id_ext, '')) > 0", token));
    }

    [Fact]
    public async Task The_agent_api_allows_100_requests_a_minute_per_key()
    {
        var subscriber = await stack.NewSubscriber();

        for (var i = 0; i < 100; i++)
            Assert.Equal(HttpStatusCode.OK, (await subscriber.Http.GetAsync(AccessClient.SubscriptionStatus)).StatusCode);
        var over = await subscriber.Http.GetAsync(AccessClient.SubscriptionStatus);

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.True(over.Headers.RetryAfter is not null);
        Assert.True(over.Headers.Contains("RateLimit"));
        Assert.True(over.Headers.Contains("RateLimit-Policy"));
        var other = await stack.NewSubscriber();
        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync(AccessClient.SubscriptionStatus)).StatusCode);
    }
}
