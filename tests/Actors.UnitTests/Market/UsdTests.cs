using Actors.Grains.Market;

namespace Actors.UnitTests.Market;

/// <summary>Dollars as the market shows (priceUsd) and takes them (maxPrice).</summary>
public sealed class UsdTests
{
    [Theory]
    [InlineData(2500, "25.00")]
    [InlineData(1, "0.01")]
    [InlineData(0, "0.00")]
    [InlineData(1_000_000, "10000.00")]
    [InlineData(1999, "19.99")]
    public void Cents_format_as_dollars_with_two_decimals(long cents, string expected) =>
        Assert.Equal(expected, Usd.Format(cents));

    [Theory]
    [InlineData("25", 2500)]
    [InlineData("25.5", 2550)]
    [InlineData("25.00", 2500)]
    [InlineData(" 0.01 ", 1)]
    [InlineData("0", 0)]
    [InlineData(".5", 50)]
    [InlineData("100000000", 10_000_000_000)]
    public void Dollars_parse_to_cents(string dollars, long cents) =>
        Assert.Equal(cents, Usd.ParseCents(dollars));

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.234")]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData("100000000.01")]
    [InlineData("99999999999999999999999")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Anything_else_is_no_price(string dollars) =>
        Assert.Null(Usd.ParseCents(dollars));
}
