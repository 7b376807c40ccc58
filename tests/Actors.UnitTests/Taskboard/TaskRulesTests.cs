using Actors.Grains.Platform;
using Actors.Grains.Taskboard;

namespace Actors.UnitTests.Taskboard;

/// <summary>What a post, a poll, a delivery and a review may say.</summary>
public sealed class TaskRulesTests
{
    static NewTask Task(string? title = "Fix it", string? description = "Why it breaks", string[]? skills = null, decimal? amount = 100m,
        string? token = "USDC", int? deadline = null) =>
        new("usr_c", title, description, skills ?? ["coding", "CODING", "Debugging"], amount, token, deadline);

    static string? Field(Result<TaskDraft> r) => r.Problem?.Field;

    [Fact]
    public void A_good_post_is_trimmed_normalised_and_in_cents_with_a_24_hour_deadline_by_default()
    {
        var draft = TaskRules.CheckNew(Task(title: "  Fix it  ")).Value!;

        Assert.Equal("Fix it", draft.Title);
        Assert.Equal(["CODING", "DEBUGGING"], draft.Skills);
        Assert.Equal(10_000, draft.RewardCents);
        Assert.Equal(24, draft.DeadlineHours);
    }

    [Theory]
    [InlineData(null, "title")]
    [InlineData("   ", "title")]
    public void A_missing_title_is_refused(string? title, string field) => Assert.Equal(field, Field(TaskRules.CheckNew(Task(title: title))));

    [Fact]
    public void Every_bad_field_is_named()
    {
        Assert.Equal("title", Field(TaskRules.CheckNew(Task(title: new string('x', 201)))));
        Assert.Equal("description", Field(TaskRules.CheckNew(Task(description: null))));
        Assert.Equal("description", Field(TaskRules.CheckNew(Task(description: new string('x', 10_001)))));
        Assert.Equal("skills", Field(TaskRules.CheckNew(Task(skills: []))));
        Assert.Equal("skills", Field(TaskRules.CheckNew(Task(skills: ["COOKING"]))));
        Assert.Equal("reward.amount", Field(TaskRules.CheckNew(Task(amount: null))));
        Assert.Equal("reward.amount", Field(TaskRules.CheckNew(Task(amount: 0m))));
        Assert.Equal("reward.amount", Field(TaskRules.CheckNew(Task(amount: -1m))));
        Assert.Equal("reward.amount", Field(TaskRules.CheckNew(Task(amount: 1.001m))));
        Assert.Equal("reward.amount", Field(TaskRules.CheckNew(Task(amount: 1_000_000.01m))));
        Assert.Equal("reward.token", Field(TaskRules.CheckNew(Task(token: "ETH"))));
        Assert.Equal("deadline", Field(TaskRules.CheckNew(Task(deadline: 0))));
        Assert.Equal("deadline", Field(TaskRules.CheckNew(Task(deadline: 721))));
        Assert.True(TaskRules.CheckNew(Task(token: null, deadline: 720)).IsOk);
        Assert.True(TaskRules.CheckNew(Task(token: "usdc", amount: 1_000_000m)).IsOk);
    }

    [Fact]
    public void An_unknown_skill_is_named_and_the_eight_are_listed()
    {
        var problem = TaskRules.CheckNew(Task(skills: ["CODING", "COOKING"])).Problem!;
        Assert.Contains("COOKING", problem.Message);
        Assert.Contains("GENERAL", problem.Message);
    }

    [Fact]
    public void A_poll_defaults_to_open_tasks_ten_at_a_time_any_reward()
    {
        var filter = TaskRules.CheckPoll(new TaskPoll(null, null, null, null, null, null)).Value!;

        Assert.Equal(TaskStatuses.Open, filter.Status);
        Assert.Null(filter.Skills);
        Assert.Equal(10, filter.Limit);
        Assert.Equal(0, filter.MinRewardCents);
        Assert.Equal(100_000_000, filter.MaxRewardCents);
    }

    [Fact]
    public void A_poll_normalises_its_skills_agent_and_status_and_bounds_rewards_in_cents()
    {
        var filter = TaskRules.CheckPoll(new TaskPoll("OpenClaw", "coding, data,", "in_progress", 0.015m, 12.349m, 100, 5)).Value!;

        Assert.Equal("openclaw", filter.AgentHandle);
        Assert.Equal(["CODING", "DATA"], filter.Skills);
        Assert.Equal(TaskStatuses.InProgress, filter.Status);
        Assert.Equal(2, filter.MinRewardCents);
        Assert.Equal(1_234, filter.MaxRewardCents);
        Assert.Equal(filter.Key, TaskRules.CheckPoll(new TaskPoll("openclaw", "CODING,DATA", "IN_PROGRESS", 0.015m, 12.349m, 100, 5)).Value!.Key);
    }

    [Theory]
    [InlineData("bad id", null, null, null, null, null, "agentId")]
    [InlineData(null, "COOKING", null, null, null, null, "skills")]
    [InlineData(null, null, "SUBMITTED", null, null, null, "status")]
    [InlineData(null, null, null, -1, null, null, "minReward")]
    [InlineData(null, null, null, null, -1, null, "maxReward")]
    [InlineData(null, null, null, 10, 5, null, "minReward")]
    [InlineData(null, null, null, null, null, 0, "limit")]
    [InlineData(null, null, null, null, null, 101, "limit")]
    public void A_bad_poll_names_its_filter(string? agentId, string? skills, string? status, int? min, int? max, int? limit, string field) =>
        Assert.Equal(field, TaskRules.CheckPoll(new TaskPoll(agentId, skills, status, min, max, limit)).Problem?.Field);

    [Fact]
    public void Huge_reward_bounds_do_not_overflow()
    {
        var filter = TaskRules.CheckPoll(new TaskPoll(null, null, null, decimal.MaxValue, decimal.MaxValue, null)).Value!;
        Assert.True(filter.MinRewardCents > filter.MaxRewardCents);
    }

    [Fact]
    public void A_delivery_needs_a_summary_and_keeps_to_its_limits()
    {
        Assert.Null(TaskRules.CheckDelivery(new TaskDelivery("code", "https://example.com/pr/1", "Fixed", "{\"duration\":1}")));
        Assert.Equal("result.summary", TaskRules.CheckDelivery(new TaskDelivery(null, null, null, null))?.Field);
        Assert.Equal("result.summary", TaskRules.CheckDelivery(new TaskDelivery("code", null, " ", null))?.Field);
        Assert.Equal("result.summary", TaskRules.CheckDelivery(new TaskDelivery(null, null, new string('x', 10_001), null))?.Field);
        Assert.Equal("result.code", TaskRules.CheckDelivery(new TaskDelivery(new string('x', 100_001), null, "ok", null))?.Field);
        Assert.Equal("result.url", TaskRules.CheckDelivery(new TaskDelivery(null, "ftp://example.com", "ok", null))?.Field);
        Assert.Equal("result.url", TaskRules.CheckDelivery(new TaskDelivery(null, "/relative", "ok", null))?.Field);
        Assert.Equal("metadata", TaskRules.CheckDelivery(new TaskDelivery(null, null, "ok", "[1,2]"))?.Field);
        Assert.Equal("metadata", TaskRules.CheckDelivery(new TaskDelivery(null, null, "ok", "{\"a\":\"" + new string('x', 4_100) + "\"}"))?.Field);
    }

    [Fact]
    public void Feedback_is_required_and_a_reason_optional_both_at_most_5000_characters()
    {
        Assert.Equal("feedback", TaskRules.CheckFeedback(null).Problem?.Field);
        Assert.Equal("feedback", TaskRules.CheckFeedback(new string('x', 5_001)).Problem?.Field);
        Assert.Equal("Add tests", TaskRules.CheckFeedback(" Add tests ").Value);
        Assert.Null(TaskRules.CheckReason(null).Value);
        Assert.Equal("reason", TaskRules.CheckReason(new string('x', 5_001)).Problem?.Field);
    }

    [Fact]
    public void A_lapsed_lease_shows_as_open()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        Assert.Equal(TaskStatuses.Open, TaskRules.Shown(TaskStatuses.InProgress, now, now));
        Assert.Equal(TaskStatuses.InProgress, TaskRules.Shown(TaskStatuses.InProgress, now.AddTicks(10), now));
        Assert.Equal(TaskStatuses.Submitted, TaskRules.Shown(TaskStatuses.Submitted, null, now));
    }

    [Fact]
    public void The_client_list_takes_any_status_and_checks_its_page()
    {
        Assert.Null(TaskRules.CheckClientList("completed", 100, 0));
        Assert.Equal("status", TaskRules.CheckClientList("DONE", null, null)?.Field);
        Assert.Equal("limit", TaskRules.CheckClientList(null, 101, null)?.Field);
        Assert.Equal("offset", TaskRules.CheckClientList(null, null, -1)?.Field);
    }
}
