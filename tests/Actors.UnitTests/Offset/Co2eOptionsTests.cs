using Actors.Grains.Offset;

namespace Actors.UnitTests.Offset;

/// <summary>The CO2e estimate: a factor per model-name fragment (longest contained fragment wins) and the weighted-token formula.</summary>
public sealed class Co2eOptionsTests
{
    readonly Co2eOptions _defaults = new();

    [Theory]
    [InlineData("claude-3-5-haiku-20241022", 0.15)]
    [InlineData("claude-sonnet-4-5", 0.5)]
    [InlineData("claude-opus-4-1", 1.5)]
    [InlineData("gpt-4o", 0.5)]
    [InlineData("gpt-4o-mini-2024-07-18", 0.15)]
    [InlineData("gpt-4.1", 0.5)]
    [InlineData("gpt-4.1-mini", 0.15)]
    [InlineData("gpt-4.1-nano", 0.1)]
    [InlineData("gpt-5", 1.0)]
    [InlineData("o3-mini", 0.15)]
    [InlineData("o1-preview", 1.5)]
    public void The_default_table_prices_the_model_families_as_documented(string model, double grams)
    {
        Assert.Equal(grams, _defaults.FactorFor(model));
    }

    [Theory]
    [InlineData("CLAUDE-OPUS-4", 1.5)]
    [InlineData("Gpt-4O-Mini", 0.15)]
    public void Fragments_match_case_insensitively(string model, double grams)
    {
        Assert.Equal(grams, _defaults.FactorFor(model));
    }

    [Theory]
    [InlineData("llama-3.1-70b")]
    [InlineData("mistral-large")]
    [InlineData("")]
    public void A_model_no_fragment_matches_gets_the_default(string model)
    {
        Assert.Equal(0.5, _defaults.FactorFor(model));
        Assert.Equal(0.7, new Co2eOptions { DefaultGramsPerThousandTokens = 0.7 }.FactorFor(model));
    }

    [Fact]
    public void The_longest_contained_fragment_wins_whatever_the_table_order()
    {
        var shortFirst = new Co2eOptions { GramsPerThousandTokens = new() { ["ab"] = 2, ["abcd"] = 4, ["abc"] = 3 } };
        var longFirst = new Co2eOptions { GramsPerThousandTokens = new() { ["abcd"] = 4, ["abc"] = 3, ["ab"] = 2 } };

        Assert.Equal(4, shortFirst.FactorFor("x-abcd-y"));
        Assert.Equal(4, longFirst.FactorFor("x-abcd-y"));
        Assert.Equal(3, shortFirst.FactorFor("x-abc-y"));
    }

    // Pins the rule as written (noted on issue 12: the rule may change there): "gemini" (6 characters) is longer than
    // "flash" (5), and "gpt-5" (5) longer than "mini"/"nano" (4), so the small models of those
    // families get the large family's factor.
    [Theory]
    [InlineData("gemini-2.0-flash", 0.5)]
    [InlineData("gpt-5-mini", 1.0)]
    [InlineData("gpt-5-nano", 1.0)]
    public void Length_alone_decides_between_a_family_and_a_size_fragment(string model, double grams)
    {
        Assert.Equal(grams, _defaults.FactorFor(model));
    }

    [Fact]
    public void Grams_weigh_cached_input_at_a_tenth_and_count_input_output_and_reasoning_fully()
    {
        var totals = new UsageTotals(Events: 3, InputTokens: 1_000, OutputTokens: 2_000, CachedInputTokens: 10_000, ReasoningTokens: 500);

        // (1000 + 2000 + 500 + 10000 × 0.1) / 1000 × 0.5 (sonnet)
        Assert.Equal(2.25, _defaults.Grams("claude-sonnet-4", totals), precision: 10);
        // the same tokens on opus (1.5)
        Assert.Equal(6.75, _defaults.Grams("claude-opus-4", totals), precision: 10);
    }

    [Fact]
    public void The_cached_input_weight_is_a_setting()
    {
        var totals = new UsageTotals(1, 0, 0, 4_000, 0);

        Assert.Equal(0, new Co2eOptions { CachedInputWeight = 0 }.Grams("claude-sonnet-4", totals));
        Assert.Equal(2.0, new Co2eOptions { CachedInputWeight = 1 }.Grams("claude-sonnet-4", totals), precision: 10);
    }

    [Fact]
    public void No_tokens_are_no_grams()
    {
        Assert.Equal(0, _defaults.Grams("claude-opus-4", UsageTotals.Zero));
    }

    [Fact]
    public void Total_tokens_leave_cached_input_out()
    {
        Assert.Equal(3_500, new UsageTotals(3, 1_000, 2_000, 10_000, 500).TotalTokens);
    }
}
