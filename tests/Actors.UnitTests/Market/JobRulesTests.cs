using Actors.Grains.Market;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Market;

/// <summary>Who may do what to a job, in which status, and what each action must carry.</summary>
public sealed class JobRulesTests
{
    [Theory]
    [InlineData(JobActions.Accept, JobRules.Worker, JobStatus.Requested, JobStatus.Accepted)]
    [InlineData(JobActions.Start, JobRules.Worker, JobStatus.Accepted, JobStatus.InProgress)]
    [InlineData(JobActions.Deliver, JobRules.Worker, JobStatus.InProgress, JobStatus.Delivered)]
    [InlineData(JobActions.Complete, JobRules.Buyer, JobStatus.Delivered, JobStatus.Completed)]
    [InlineData(JobActions.Dispute, JobRules.Buyer, JobStatus.Delivered, JobStatus.Disputed)]
    [InlineData(JobActions.Cancel, JobRules.Buyer, JobStatus.Requested, JobStatus.Cancelled)]
    [InlineData(JobActions.Cancel, JobRules.Worker, JobStatus.InProgress, JobStatus.Cancelled)]
    public void The_lifecycle_moves_one_step_per_action(string action, string role, string from, string to)
    {
        Assert.Null(JobRules.Allowed(action, role, from, paid: true));
        Assert.Equal(to, JobRules.To(action));
    }

    [Theory]
    [InlineData(JobActions.Accept, JobRules.Buyer)]
    [InlineData(JobActions.Start, JobRules.Buyer)]
    [InlineData(JobActions.Deliver, JobRules.Buyer)]
    [InlineData(JobActions.Complete, JobRules.Worker)]
    [InlineData(JobActions.Dispute, JobRules.Worker)]
    public void The_wrong_party_is_forbidden_whatever_the_status(string action, string role)
    {
        foreach (var status in JobStatus.All)
            Assert.Equal(ProblemKind.Forbidden, JobRules.Allowed(action, role, status, paid: true)!.Kind);
    }

    [Fact]
    public void Every_action_outside_its_statuses_is_a_conflict()
    {
        foreach (var action in JobActions.All)
        foreach (var status in JobStatus.All.Except(JobRules.From(action)))
        {
            var role = action is JobActions.Complete or JobActions.Dispute ? JobRules.Buyer : JobRules.Worker;
            Assert.Equal(ProblemKind.Conflict, JobRules.Allowed(action, role, status, paid: true)!.Kind);
        }
    }

    [Fact]
    public void A_delivered_job_cannot_be_cancelled_and_a_final_one_cannot_change()
    {
        Assert.Equal(ProblemKind.Conflict, JobRules.Allowed(JobActions.Cancel, JobRules.Buyer, JobStatus.Delivered, true)!.Kind);
        Assert.Equal(ProblemKind.Conflict, JobRules.Allowed(JobActions.Cancel, JobRules.Buyer, JobStatus.Disputed, true)!.Kind);
        Assert.Equal(ProblemKind.Conflict, JobRules.Allowed(JobActions.Complete, JobRules.Buyer, JobStatus.Completed, true)!.Kind);
    }

    [Fact]
    public void An_unpaid_job_cannot_be_accepted_but_can_be_cancelled()
    {
        var refused = JobRules.Allowed(JobActions.Accept, JobRules.Worker, JobStatus.Requested, paid: false)!;
        Assert.Equal(ProblemKind.Conflict, refused.Kind);
        Assert.Contains("not paid", refused.Message);
        Assert.Null(JobRules.Allowed(JobActions.Cancel, JobRules.Worker, JobStatus.Requested, paid: false));
    }

    [Theory]
    [InlineData(null, null, null, null, "action")]
    [InlineData("finish", null, null, null, "action")]
    [InlineData("deliver", null, null, null, "output")]
    [InlineData("deliver", "  ", null, null, "output")]
    [InlineData("complete", null, 0, null, "rating")]
    [InlineData("complete", null, 6, null, "rating")]
    public void A_change_names_its_bad_field(string? action, string? output, int? rating, string? review, string field) =>
        Assert.Equal(field, JobRules.CheckChange(new JobChange(action, output, rating, review))!.Field);

    [Fact]
    public void Lengths_are_capped()
    {
        Assert.Equal("output", JobRules.CheckChange(new JobChange("deliver", new string('x', JobRules.MaxOutput + 1)))!.Field);
        Assert.Null(JobRules.CheckChange(new JobChange("deliver", new string('x', JobRules.MaxOutput))));
        Assert.Equal("review", JobRules.CheckChange(new JobChange("complete", null, 5, new string('x', JobRules.MaxReview + 1)))!.Field);
        Assert.Null(JobRules.CheckChange(new JobChange("complete", null, 5, "great")));
        Assert.Equal("input", JobRules.CheckNewJob(new NewJob("agt_a", "svc_a", null, new string('x', 100_000)))!.Field);
        Assert.Equal("content", JobRules.CheckMessage(new string('x', JobRules.MaxMessage + 1))!.Field);
        Assert.Equal("tierName", JobRules.CheckNewJob(new NewJob("agt_a", "svc_a", "", "do it", null, "tierName"))!.Field);
    }

    [Theory]
    [InlineData("release", null, null)]
    [InlineData("refund", null, null)]
    [InlineData("split", 1L, null)]
    [InlineData("split", 999L, null)]
    [InlineData("split", null, "workerCents")]
    [InlineData("split", 0L, "workerCents")]
    [InlineData("split", 1000L, "workerCents")]
    [InlineData("keep", null, "outcome")]
    [InlineData(null, null, "outcome")]
    public void A_resolution_splits_within_the_price(string? outcome, long? workerCents, string? field) =>
        Assert.Equal(field, JobRules.CheckResolution(new JobResolution(outcome, workerCents), 1000)?.Field);
}
