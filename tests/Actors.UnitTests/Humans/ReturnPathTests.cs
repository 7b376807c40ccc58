using Actors.Grains.Humans;

namespace Actors.UnitTests.Humans;

/// <summary>Where a human may be sent after signing in (no open redirects), and the key of a human.</summary>
public sealed class ReturnPathTests
{
    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/settings?tab=agents#revoke")]
    [InlineData("/")]
    public void A_local_path_is_kept(string path)
    {
        Assert.Equal(path, ReturnPath.Safe(path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dashboard")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/dash\nboard")]
    [InlineData("/dash\tboard")]
    public void Anything_that_could_leave_the_site_is_dropped(string? path)
    {
        Assert.Null(ReturnPath.Safe(path));
    }

    [Fact]
    public void A_return_path_is_at_most_500_characters()
    {
        var path = "/" + new string('p', 499);

        Assert.Equal(path, ReturnPath.Safe(path));
        Assert.Null(ReturnPath.Safe(path + "p"));
    }

    [Fact]
    public void A_human_is_keyed_by_the_trimmed_lower_cased_email()
    {
        Assert.Equal("a.b@example.com", HumanKey.Normalize("  A.B@Example.COM "));
        Assert.Equal("hum_a.b@example.com", HumanKey.For("  A.B@Example.COM "));
    }
}
