using Actors.Grains.Platform;
using Microsoft.Extensions.Logging;

namespace Actors.Grains.Offset;

/// <summary>
/// Takes a batch of usage reports from an API process. A well-formed report on a link that
/// <c>reportable_links</c> lists for its agent is appended straight into the silo's group commit,
/// with no call to its link grain; everything else (malformed input, a pending, expired, revoked
/// or foreign link) goes to the link grain, which decides and explains exactly as
/// <see cref="IUserLinkGrain.ReportUsage"/> does for a single report. A report that fails is
/// answered with the failure alone: the others still count.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class UsageIntakeGrain(
    UsageEventWriter usageWriter,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    ILogger<UsageIntakeGrain> logger) : Grain, IUsageIntakeGrain
{
    public Task<BatchAnswer<UsageRecorded>[]> Report(AgentUsageReport[] reports)
    {
        var now = clock.GetUtcNow();
        var answers = new IntakeAnswers<UsageAppend?, UsageRecorded>(reports.Length,
            i => GrainFactory.GetGrain<IUserLinkGrain>(reports[i].LinkId).ReportUsage(reports[i].AgentId, reports[i].Report),
            logger, "Usage report for {LinkId} failed", i => reports[i].LinkId);
        for (var i = 0; i < reports.Length; i++)
        {
            var r = reports[i];
            if (usageWriter.Grouped && UsageRules.Check(r.LinkId, r.Report, now) is { Problem: null, Value: { } row })
                answers.Fast(i, usageWriter.Append(row with { ReportingAgentId = r.AgentId }));
            else
                answers.ToOwner(i); // malformed (the grain names the problem in its usual order) or no batching
        }
        // Not listed for this agent (null): its grain decides and explains.
        return answers.All(static (_, appended) => appended is { } a
            ? Result<UsageRecorded>.Ok(new UsageRecorded(a.EventId, a.Duplicate, a.ReportedAt))
            : null);
    }
}
