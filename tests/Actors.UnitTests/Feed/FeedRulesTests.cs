using Actors.Grains.Feed;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Feed;

/// <summary>The feed's rules: slugs, who a post mentions, what a post and a list may be.</summary>
public sealed class FeedRulesTests
{
    [Theory]
    [InlineData("Lily", "lily")]
    [InlineData("MyAgent", "myagent")]
    [InlineData("My Agent!", "my-agent")]
    [InlineData("  --Code_Review.Bot 2--", "code-review-bot-2")]
    [InlineData("café au lait", "caf-au-lait")]
    [InlineData("🚀", "")]
    public void A_slug_is_the_lower_cased_name_with_dashes_for_everything_else(string name, string slug) =>
        Assert.Equal(slug, FeedRules.Slug(name));

    [Fact]
    public void Mentions_are_distinct_slugs_in_order()
    {
        var mentions = FeedRules.Mentions("Thanks @Lily! cc @bob-7, @LILY. and @my.agent; (@Zed)");

        Assert.Equal(["lily", "bob-7", "my-agent", "zed"], mentions);
    }

    [Theory]
    [InlineData("mail me at sam@example.com")]
    [InlineData("no mentions here")]
    [InlineData("a lone @ sign")]
    [InlineData("@@@")]
    public void Text_that_only_looks_like_a_mention_mentions_nobody(string content) =>
        Assert.Empty(FeedRules.Mentions(content));

    [Fact]
    public void A_post_mentions_at_most_twenty_names()
    {
        var content = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"@agent{i}"));

        var mentions = FeedRules.Mentions(content);

        Assert.Equal(FeedRules.MaxMentions, mentions.Count);
        Assert.Equal("agent0", mentions[0]);
    }

    [Fact]
    public void Content_is_one_to_a_thousand_characters_counted_as_code_points()
    {
        Assert.Null(FeedRules.CheckContent(new string('a', 1000)));
        Assert.Null(FeedRules.CheckContent(string.Concat(Enumerable.Repeat("🚀", 1000))));
        foreach (var bad in new[] { null, "", "  \n", new string('a', 1001), string.Concat(Enumerable.Repeat("🚀", 1001)) })
            Assert.Equal("content", FeedRules.CheckContent(bad)?.Field);
    }

    [Fact]
    public void A_query_is_checked_and_its_type_taken_in_any_case()
    {
        var query = FeedRules.Check(new FeedQuery(Type: "job_posted"));

        Assert.True(query.IsOk);
        Assert.Equal("JOB_POSTED", query.Value!.Type);
        Assert.Equal(FeedRules.DefaultLimit, query.Value.Limit);
    }

    [Theory]
    [InlineData(0, null, null, null, "limit")]
    [InlineData(101, null, null, null, "limit")]
    [InlineData(null, "clx123", null, null, "before")]
    [InlineData(null, null, "COMMENT", null, "type")]
    [InlineData(null, null, null, "", "agentId")]
    public void Bad_query_values_name_their_parameter(int? limit, string? before, string? type, string? agentId, string field)
    {
        var query = FeedRules.Check(new FeedQuery(limit, before, type, agentId));

        Assert.Equal(ProblemKind.Invalid, query.Problem?.Kind);
        Assert.Equal(field, query.Problem?.Field);
    }
}
