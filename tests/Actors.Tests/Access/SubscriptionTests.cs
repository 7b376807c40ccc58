using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Access;

[Collection(StackCollection.Name)]
public sealed class SubscriptionTests(ActorsStack stack)
{
    [Fact]
    public async Task Subscription_status_has_exactly_the_seed_fields()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 1000, plan: "Professional");
        var article = await stack.NewArticle(tier: 3);
        for (var i = 0; i < 15; i++) await subscriber.Http.AuthorizeRetrieval(article);

        var response = await subscriber.Http.GetAsync(AccessClient.SubscriptionStatus);

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            ["days_until_renewal", "monthly_limit", "org_name", "period_end", "period_start", "plan", "remaining_credits", "status", "usage_count", "usage_percentage"],
            body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(subscriber.OrgName, body.GetProperty("org_name").GetString());
        Assert.Equal("Professional", body.GetProperty("plan").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal(45, body.GetProperty("usage_count").GetInt64());
        Assert.Equal(1000, body.GetProperty("monthly_limit").GetInt64());
        Assert.Equal(955, body.GetProperty("remaining_credits").GetInt64());
        Assert.Equal(4.5, body.GetProperty("usage_percentage").GetDouble());

        var now = stack.Clock.GetUtcNow();
        var periodStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(periodStart.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), body.GetProperty("period_start").GetString());
        Assert.Equal(periodStart.AddMonths(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), body.GetProperty("period_end").GetString());
        Assert.Equal((int)Math.Ceiling((periodStart.AddMonths(1) - now).TotalDays), body.GetProperty("days_until_renewal").GetInt32());
    }

    [Fact]
    public async Task A_new_period_restores_the_monthly_limit_and_unused_credits_do_not_roll_over()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 10);
        var article = await stack.NewArticle(tier: 4);
        await subscriber.Http.AuthorizeRetrieval(article);
        await subscriber.Http.AuthorizeRetrieval(article);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await subscriber.Http.AuthorizeRetrieval(article)).StatusCode);
        Assert.Equal(2, await stack.AccessTokensOf(subscriber.OrgId));
        Assert.Equal(2, await subscriber.RemainingCredits());

        var nextPeriod = stack.AdvanceIntoNextPeriod();

        var status = await (await subscriber.Http.GetAsync(AccessClient.SubscriptionStatus)).ReadJson();
        Assert.Equal(nextPeriod.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), status.GetProperty("period_start").GetString());
        Assert.Equal(10, status.GetProperty("remaining_credits").GetInt64());
        Assert.Equal(0, status.GetProperty("usage_count").GetInt64());
        Assert.Equal(HttpStatusCode.Created, (await subscriber.Http.AuthorizeRetrieval(article)).StatusCode);
        Assert.Equal(6, await subscriber.RemainingCredits());
    }
}
