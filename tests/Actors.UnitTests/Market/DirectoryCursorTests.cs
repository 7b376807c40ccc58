using System.Buffers.Text;
using System.Text;
using Actors.Grains.Market;

namespace Actors.UnitTests.Market;

/// <summary>The directory's opaque keyset cursor: what it encodes and what it refuses.</summary>
public sealed class DirectoryCursorTests
{
    static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_cursor_round_trips_to_the_same_instant_and_agent()
    {
        var cursor = new DirectoryCursor(new DateTimeOffset(2026, 5, 14, 11, 30, 0, TimeSpan.FromHours(2)).AddTicks(7), "agt_2fqX");

        var parsed = DirectoryCursor.Parse(cursor.Format());

        Assert.Equal(cursor, parsed);
        Assert.Equal(cursor.CreatedAt.UtcTicks, parsed!.CreatedAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, parsed.CreatedAt.Offset);
    }

    [Fact]
    public void A_cursor_is_url_safe_base64_of_utc_ticks_and_the_agent_id()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var text = new DirectoryCursor(at, "agt_1").Format();

        Assert.Equal(Encode(at.UtcTicks + ":agt_1"), text);
        Assert.DoesNotContain('=', text);
        Assert.DoesNotContain('+', text);
        Assert.DoesNotContain('/', text);
    }

    [Theory]
    [InlineData("638000000000000000:usr_1")]
    [InlineData(":agt_1")]
    [InlineData("-5:agt_1")]
    [InlineData("+5:agt_1")]
    [InlineData("12a:agt_1")]
    [InlineData("3155378976000000000:agt_1")]
    [InlineData("no colon at all")]
    public void A_cursor_that_does_not_name_a_time_and_an_agent_is_refused(string text)
    {
        Assert.Null(DirectoryCursor.Parse(Encode(text)));
    }

    [Theory]
    [InlineData("not*base64!")]
    [InlineData("")]
    public void Text_that_is_not_a_cursor_is_refused_without_throwing(string cursor)
    {
        Assert.Null(DirectoryCursor.Parse(cursor));
    }

    [Fact]
    public void A_cursor_longer_than_200_characters_is_refused_before_decoding()
    {
        var longAgent = new DirectoryCursor(DateTimeOffset.UnixEpoch, "agt_" + new string('a', 150)).Format();

        Assert.True(longAgent.Length > 200);
        Assert.Null(DirectoryCursor.Parse(longAgent));
    }
}
