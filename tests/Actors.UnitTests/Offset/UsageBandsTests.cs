using Actors.Grains.Offset;

namespace Actors.UnitTests.Offset;

/// <summary>The published usage bands (monthly tokens → monthly offset in US cents).</summary>
public sealed class UsageBandsTests
{
    [Fact]
    public void Six_bands_from_casual_to_extreme_at_the_documented_prices()
    {
        Assert.Equal(["casual", "regular", "worker", "power", "heavy", "extreme"], UsageBands.All.Select(b => b.Id));
        Assert.Equal([100L, 300, 1_000, 3_000, 10_000, 30_000], UsageBands.All.Select(b => b.MonthlyAmountCents));
        Assert.Equal("usd", UsageBands.Currency);
    }

    [Fact]
    public void The_bands_cover_every_monthly_token_count_without_gaps_or_overlaps()
    {
        Assert.Equal(0, UsageBands.All[0].MinMonthlyTokens);
        for (var i = 1; i < UsageBands.All.Count; i++)
            Assert.Equal(UsageBands.All[i - 1].MaxMonthlyTokens, UsageBands.All[i].MinMonthlyTokens);
        Assert.Null(UsageBands.All[^1].MaxMonthlyTokens);
        Assert.Equal(500_000_000, UsageBands.All[^1].MinMonthlyTokens);
    }

    [Theory]
    [InlineData("worker", "worker")]
    [InlineData(" Worker ", "worker")]
    [InlineData("EXTREME", "extreme")]
    public void A_band_is_found_by_its_id_trimmed_and_case_insensitively(string id, string expected)
    {
        Assert.Equal(expected, UsageBands.Find(id)?.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Casual plan")]
    [InlineData("gold")]
    public void Anything_else_finds_no_band(string? id)
    {
        Assert.Null(UsageBands.Find(id));
    }

    [Fact]
    public void A_custom_amount_is_bounded_from_one_dollar_to_a_hundred_thousand()
    {
        Assert.Equal(100, UsageBands.MinCustomAmountCents);
        Assert.Equal(10_000_000, UsageBands.MaxCustomAmountCents);
    }
}
