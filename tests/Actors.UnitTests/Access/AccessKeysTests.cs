using Actors.Grains.Access;
using Actors.Grains.Identity;
using Actors.Grains.Platform;
using Microsoft.Extensions.Options;

namespace Actors.UnitTests.Access;

/// <summary>Grain ids, plans and absolute URLs of the access surface.</summary>
public sealed class AccessKeysTests
{
    [Fact]
    public void Domains_are_trimmed_lower_cased_and_lose_a_trailing_dot()
    {
        Assert.Equal("news.example", AccessKeys.NormalizeDomain("  News.EXAMPLE. "));
        Assert.Equal("dom_news.example", AccessKeys.Publisher("News.Example"));
        Assert.Equal("cnt_news.example/Story-1", AccessKeys.Content("NEWS.example", "Story-1"));
    }

    [Fact]
    public void An_access_token_s_grain_is_named_by_its_hash_never_by_the_token()
    {
        var key = AccessKeys.Token("at_access_secret");

        Assert.Equal("at_" + SecretHash.Of("at_access_secret"), key);
        Assert.DoesNotContain("secret", key);
    }

    [Theory]
    [InlineData("Starter", 100, 1_900)]
    [InlineData(" professional ", 1_000, 7_900)]
    [InlineData("SCALE", 10_000, 49_900)]
    public void The_plans_for_sale_are_found_by_name_case_insensitively(string name, long credits, long cents)
    {
        var plan = AccessPlans.Find(name);

        Assert.Equal(credits, plan?.MonthlyCredits);
        Assert.Equal(cents, plan!.PriceCents);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("None")]
    [InlineData("Enterprise")]
    public void No_other_plan_is_for_sale(string? name)
    {
        Assert.Null(AccessPlans.Find(name));
    }

    [Fact]
    public void Content_urls_hang_off_the_public_base_url_without_a_double_slash()
    {
        var urls = new AccessUrls(Options.Create(new ActorsOptions { PublicBaseUrl = "https://actors.example/" }));

        Assert.Equal("https://actors.example/access/publishers/news.example/2026/story", urls.Page("news.example", "/2026/story"));
        Assert.Equal("https://actors.example/access/publishers/news.example/agentthreshold/content/story-1/", urls.Content("news.example", "story-1"));
    }

    [Fact]
    public void The_content_id_is_escaped_in_the_content_url()
    {
        var urls = new AccessUrls(Options.Create(new ActorsOptions()));

        Assert.Equal("http://127.0.0.1:5080/access/publishers/p.example/agentthreshold/content/a%20b%2Fc/", urls.Content("p.example", "a b/c"));
    }
}
