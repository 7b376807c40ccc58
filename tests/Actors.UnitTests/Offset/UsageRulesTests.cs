using Actors.Grains.Offset;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Offset;

/// <summary>What a usage report must satisfy before it is appended, and the row it becomes.</summary>
public sealed class UsageRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 5, 14, 9, 30, 0, TimeSpan.Zero);

    static UsageReport Report(string? sessionId = "sess-1", string? model = "claude-sonnet-4", long? input = 1200, long? output = 340,
        long? cached = null, long? reasoning = null, string? clientEventId = null) =>
        new(sessionId, model, input, output, cached, reasoning, clientEventId);

    static Problem Refused(UsageReport report)
    {
        var result = UsageRules.Check("lnk_1", report, Now);
        Assert.False(result.IsOk);
        Assert.Equal(ProblemKind.Invalid, result.Problem!.Kind);
        return result.Problem;
    }

    [Fact]
    public void A_valid_report_becomes_a_row_with_trimmed_text_and_zero_for_missing_optional_tokens()
    {
        var result = UsageRules.Check("lnk_1", Report(sessionId: "  sess-1 ", model: " gpt-4o\u00a0", clientEventId: " evt-9 "), Now);

        Assert.True(result.IsOk);
        Assert.Equal(new UsageRow("lnk_1", "sess-1", "gpt-4o", 1200, 340, 0, 0, "evt-9", Now), result.Value);
    }

    [Fact]
    public void Cached_and_reasoning_tokens_are_carried_into_the_row_as_given()
    {
        var row = UsageRules.Check("lnk_1", Report(cached: 5000, reasoning: 77), Now).Value!;

        Assert.Equal(5000, row.CachedInputTokens);
        Assert.Equal(77, row.ReasoningTokens);
        Assert.Null(row.ReportingAgentId);
    }

    [Fact]
    public void An_empty_client_event_id_means_none()
    {
        var row = UsageRules.Check("lnk_1", Report(clientEventId: ""), Now).Value!;

        Assert.Null(row.ClientEventId);
    }

    [Fact]
    public void A_client_event_id_of_only_spaces_is_refused_rather_than_dropped()
    {
        var problem = Refused(Report(clientEventId: "   "));

        Assert.Equal("clientEventId", problem.Field);
        Assert.Equal("clientEventId must not be empty", problem.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(UsageRules.MaxTokensPerTurn)]
    public void Token_counts_from_zero_to_ten_million_are_accepted(long tokens)
    {
        var result = UsageRules.Check("lnk_1", Report(input: tokens, output: tokens, cached: tokens, reasoning: tokens), Now);

        Assert.True(result.IsOk);
        Assert.Equal(10_000_000, UsageRules.MaxTokensPerTurn);
    }

    [Theory]
    [InlineData("inputTokens")]
    [InlineData("outputTokens")]
    [InlineData("cachedInputTokens")]
    [InlineData("reasoningTokens")]
    public void One_token_over_ten_million_is_refused_naming_the_field(string field)
    {
        var problem = Refused(WithTokens(field, UsageRules.MaxTokensPerTurn + 1));

        Assert.Equal(field, problem.Field);
        Assert.StartsWith($"{field} must be at most ", problem.Message);
        Assert.EndsWith(" per report", problem.Message);
    }

    [Theory]
    [InlineData("inputTokens")]
    [InlineData("outputTokens")]
    [InlineData("cachedInputTokens")]
    [InlineData("reasoningTokens")]
    public void A_negative_token_count_is_refused_naming_the_field(string field)
    {
        var problem = Refused(WithTokens(field, -1));

        Assert.Equal(field, problem.Field);
        Assert.Equal($"{field} must be a non-negative integer", problem.Message);
    }

    [Theory]
    [InlineData("inputTokens")]
    [InlineData("outputTokens")]
    public void Input_and_output_tokens_are_required(string field)
    {
        var problem = Refused(field == "inputTokens" ? Report(input: null) : Report(output: null));

        Assert.Equal(field, problem.Field);
        Assert.Equal($"{field} is required", problem.Message);
    }

    [Theory]
    [InlineData("sessionId")]
    [InlineData("model")]
    public void Session_and_model_are_required(string field)
    {
        var problem = Refused(field == "sessionId" ? Report(sessionId: null) : Report(model: null));

        Assert.Equal(field, problem.Field);
        Assert.Equal($"{field} is required", problem.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void An_empty_or_blank_session_id_is_refused(string sessionId)
    {
        var problem = Refused(Report(sessionId: sessionId));

        Assert.Equal("sessionId", problem.Field);
        Assert.Equal("sessionId must not be empty", problem.Message);
    }

    [Theory]
    [InlineData("sessionId")]
    [InlineData("model")]
    [InlineData("clientEventId")]
    public void Texts_of_200_characters_are_accepted_and_201_refused(string field)
    {
        Assert.True(UsageRules.Check("lnk_1", WithText(field, new string('x', 200)), Now).IsOk);

        var problem = Refused(WithText(field, new string('x', 201)));
        Assert.Equal(field, problem.Field);
        Assert.Equal($"{field} must be at most 200 characters", problem.Message);
    }

    [Fact]
    public void The_length_limit_counts_the_text_without_its_surrounding_spaces()
    {
        var row = UsageRules.Check("lnk_1", Report(sessionId: "  " + new string('s', 200) + "  "), Now).Value!;

        Assert.Equal(200, row.SessionId.Length);
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u001fb")]
    [InlineData("a\tb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0085b")]
    [InlineData("a\u009fb")]
    [InlineData("model\n")]
    public void Control_characters_are_refused_anywhere_in_the_text(string model)
    {
        var problem = Refused(Report(model: model));

        Assert.Equal("model", problem.Field);
        Assert.Equal("model must not contain control characters", problem.Message);
    }

    [Theory]
    [InlineData("claude-3.5 sonnet")]
    [InlineData("modèle-\u00a0ü-\u00a1")]
    [InlineData("模型-🙂")]
    public void Printable_text_beyond_ascii_is_accepted(string model)
    {
        Assert.True(UsageRules.Check("lnk_1", Report(model: model), Now).IsOk);
    }

    [Fact]
    public void The_first_problem_in_field_order_is_the_one_reported()
    {
        var problem = Refused(new UsageReport(null, null, -1, null, -1, -1, "   "));

        Assert.Equal("sessionId", problem.Field);
        Assert.Equal("model", Refused(new UsageReport("s", "", -1, null, null, null, null)).Field);
        Assert.Equal("outputTokens", Refused(new UsageReport("s", "m", 1, null, -1, null, null)).Field);
    }

    static UsageReport WithTokens(string field, long tokens) => field switch
    {
        "inputTokens" => Report(input: tokens),
        "outputTokens" => Report(output: tokens),
        "cachedInputTokens" => Report(cached: tokens),
        _ => Report(reasoning: tokens),
    };

    static UsageReport WithText(string field, string text) => field switch
    {
        "sessionId" => Report(sessionId: text),
        "model" => Report(model: text),
        _ => Report(clientEventId: text),
    };
}
