using Actors.Grains.Access;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Access;

/// <summary>Validation and derived values of orgs, publishers and content.</summary>
public sealed class AccessRulesTests
{
    static void Invalid(Problem? problem, string field)
    {
        Assert.NotNull(problem);
        Assert.Equal(ProblemKind.Invalid, problem.Kind);
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public void Text_is_required_unless_optional_bounded_untrimmed_and_free_of_control_characters()
    {
        Invalid(AccessRules.CheckText("name", null, 10), "name");
        Invalid(AccessRules.CheckText("name", "  ", 10), "name");
        Assert.Null(AccessRules.CheckText("name", "  ", 10, required: false));
        Assert.Null(AccessRules.CheckText("name", new string('n', 10), 10));
        Assert.Equal("name must be at most 10 characters", AccessRules.CheckText("name", " " + new string('n', 10), 10)?.Message);
        Assert.Equal("name must not contain control characters", AccessRules.CheckText("name", "a\u0007b", 10)?.Message);
    }

    [Theory]
    [InlineData("publisher.com")]
    [InlineData(" News.Example.COM. ")]
    [InlineData("localhost:8080")]
    [InlineData("a1-b2.c3")]
    [InlineData("xn--bcher-kva.example")]
    public void Host_names_optionally_with_a_port_are_domains(string domain)
    {
        Assert.Null(AccessRules.CheckDomain("domain", domain));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://publisher.com")]
    [InlineData("publisher.com/path")]
    [InlineData("pub lisher.com")]
    [InlineData("-publisher.com")]
    [InlineData("publisher-.com")]
    [InlineData("pub_lisher.com")]
    [InlineData("publisher..com")]
    [InlineData("publisher.com:123456")]
    public void Anything_else_is_not_a_domain(string? domain)
    {
        Invalid(AccessRules.CheckDomain("domain", domain), "domain");
    }

    [Fact]
    public void A_label_is_at_most_63_characters_and_a_name_at_most_253()
    {
        Assert.Null(AccessRules.CheckDomain("domain", new string('a', 63) + ".com"));
        Invalid(AccessRules.CheckDomain("domain", new string('a', 64) + ".com"), "domain");

        var label = new string('a', 63);
        var name253 = string.Join('.', label, label, label, new string('a', 61));
        Assert.Equal(253, name253.Length);
        Assert.Null(AccessRules.CheckDomain("domain", name253));
        Invalid(AccessRules.CheckDomain("domain", name253 + "a"), "domain");
    }

    [Theory]
    [InlineData("article-1", true)]
    [InlineData("A.b_c~d-9", true)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    [InlineData(" ", false)]
    [InlineData("é", false)]
    public void A_content_id_is_letters_digits_and_unreserved_url_characters(string contentId, bool valid)
    {
        var problem = AccessRules.CheckContentId("content_id", contentId);

        if (valid) Assert.Null(problem);
        else Assert.Equal("content_id must be 1 to 200 letters, digits, '.', '_', '~' or '-'", problem?.Message);
    }

    [Fact]
    public void A_content_id_is_required_and_at_most_200_characters()
    {
        Assert.Equal("content_id is required", AccessRules.CheckContentId("content_id", null)?.Message);
        Assert.Equal("content_id is required", AccessRules.CheckContentId("content_id", "")?.Message);
        Assert.Null(AccessRules.CheckContentId("content_id", new string('c', 200)));
        Invalid(AccessRules.CheckContentId("content_id", new string('c', 201)), "content_id");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/blog/2026/05/post")]
    [InlineData("/blog/post/")]
    [InlineData("/agentthresholds/x")]
    [InlineData("/a/.../b")]
    public void Local_paths_are_accepted(string path)
    {
        Assert.Null(AccessRules.CheckPath(path));
    }

    [Theory]
    [InlineData(null, "path is required")]
    [InlineData("", "path is required")]
    [InlineData("blog/post", "path must start with")]
    [InlineData("//evil.com/x", "path must start with")]
    [InlineData("/a b", "path must start with")]
    [InlineData("/a?b=1", "path must start with")]
    [InlineData("/a#top", "path must start with")]
    [InlineData("/a\\b", "path must start with")]
    [InlineData("/a\u0000", "path must start with")]
    [InlineData("/a/../b", "path must not contain '.' or '..' segments")]
    [InlineData("/a/./b", "path must not contain '.' or '..' segments")]
    [InlineData("/agentthreshold", "paths under /agentthreshold/ are reserved")]
    [InlineData("/AgentThreshold/content/x", "paths under /agentthreshold/ are reserved")]
    public void Other_paths_are_refused_with_the_reason(string? path, string reason)
    {
        var problem = AccessRules.CheckPath(path);

        Invalid(problem, "path");
        Assert.StartsWith(reason, problem!.Message);
    }

    [Fact]
    public void A_path_is_at_most_1000_characters()
    {
        Assert.Null(AccessRules.CheckPath("/" + new string('p', 999)));
        Invalid(AccessRules.CheckPath("/" + new string('p', 1000)), "path");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void A_tier_is_an_integer_from_1_to_1000(int? tier, bool valid)
    {
        var problem = AccessRules.CheckTier("tier", tier);

        if (valid) Assert.Null(problem);
        else Invalid(problem, "tier");
    }

    [Fact]
    public void Tags_are_optional_at_most_20_each_1_to_50_printable_characters()
    {
        Assert.Null(AccessRules.CheckTags(null));
        Assert.Null(AccessRules.CheckTags([.. Enumerable.Repeat(new string('t', 50), 20)]));
        Assert.Equal("tags may hold at most 20 entries", AccessRules.CheckTags([.. Enumerable.Repeat("t", 21)])?.Message);
        Invalid(AccessRules.CheckTags(["ok", new string('t', 51)]), "tags");
        Invalid(AccessRules.CheckTags(["ok", " "]), "tags");
        Invalid(AccessRules.CheckTags(["a\nb"]), "tags");
    }

    [Fact]
    public void A_license_needs_a_summary_of_at_most_1000_characters_and_a_non_negative_cache_time()
    {
        static ContentLicense License(string summary, int ttl) => new(summary, true, true, true, false, false, ttl);

        Invalid(AccessRules.CheckLicense(null), "license");
        Assert.Null(AccessRules.CheckLicense(License(new string('s', 1000), 0)));
        Invalid(AccessRules.CheckLicense(License(" ", 0)), "license.summary");
        Invalid(AccessRules.CheckLicense(License(new string('s', 1001), 0)), "license.summary");
        Invalid(AccessRules.CheckLicense(License("Summary", -1)), "license.cache_ttl_seconds");
    }

    [Theory]
    [InlineData("https://publisher.com/a?b=1", true)]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("ftp://publisher.com/a", false)]
    [InlineData("/relative/path", false)]
    [InlineData("publisher.com/a", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" ", false)]
    public void Urls_must_be_absolute_http_or_https(string url, bool valid)
    {
        var problem = AccessRules.CheckAbsoluteUrl("url", url);

        if (valid) Assert.Null(problem);
        else Invalid(problem, "url");
    }

    [Fact]
    public void A_url_is_at_most_2048_characters()
    {
        var prefix = "https://publisher.com/";
        Assert.Null(AccessRules.CheckAbsoluteUrl("url", prefix + new string('u', 2048 - prefix.Length)));
        Invalid(AccessRules.CheckAbsoluteUrl("url", prefix + new string('u', 2049 - prefix.Length)), "url");
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   \n\t ", 0)]
    [InlineData("Hello, world!", 2)]
    [InlineData("# Title\n\nIt's a well-known snake_case word.", 6)]
    [InlineData("café naïve 2026", 3)]
    [InlineData("a--b", 1)]
    [InlineData("*bold* _and_ more", 3)]
    public void Words_are_runs_of_letters_digits_apostrophes_hyphens_and_underscores(string markdown, int words)
    {
        Assert.Equal(words, AccessRules.WordCount(markdown));
    }

    [Theory]
    [InlineData(0, "1 minute")]
    [InlineData(225, "1 minute")]
    [InlineData(226, "2 minutes")]
    [InlineData(450, "2 minutes")]
    [InlineData(451, "3 minutes")]
    public void Reading_time_is_whole_minutes_at_225_words_a_minute_and_at_least_one(int words, string expected)
    {
        Assert.Equal(expected, AccessRules.ReadingTime(words));
    }

    [Fact]
    public void A_period_is_the_calendar_month_in_utc()
    {
        Assert.Equal((At(2026, 5, 1), At(2026, 6, 1)), AccessRules.MonthOf(new DateTimeOffset(2026, 5, 14, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal((At(2026, 12, 1), At(2027, 1, 1)), AccessRules.MonthOf(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal((At(2026, 6, 1), At(2026, 7, 1)), AccessRules.MonthOf(At(2026, 6, 1)));
        Assert.Equal((At(2028, 2, 1), At(2028, 3, 1)), AccessRules.MonthOf(At(2028, 2, 29)));
    }

    [Fact]
    public void The_month_of_a_local_time_is_the_month_of_its_utc_instant()
    {
        // 1 June 01:00 at +02:00 is still 31 May in UTC.
        var (start, end) = AccessRules.MonthOf(new DateTimeOffset(2026, 6, 1, 1, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(At(2026, 5, 1), start);
        Assert.Equal(At(2026, 6, 1), end);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void An_access_token_lives_five_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), AccessRules.TokenLifetime);
    }

    static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);
}
