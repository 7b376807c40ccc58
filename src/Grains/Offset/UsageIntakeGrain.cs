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
    public async Task<BatchAnswer<UsageRecorded>[]> Report(AgentUsageReport[] reports)
    {
        var now = clock.GetUtcNow();
        var appends = new Task<UsageAppend?>?[reports.Length];
        var decided = new Task<Result<UsageRecorded>>?[reports.Length];
        for (var i = 0; i < reports.Length; i++)
        {
            var r = reports[i];
            if (usageWriter.Grouped && UsageRules.Check(r.LinkId, r.Report, now) is { Problem: null, Value: { } row })
                appends[i] = usageWriter.Append(row with { ReportingAgentId = r.AgentId });
            else
                decided[i] = Decide(r); // malformed (the grain names the problem in its usual order) or no batching
        }

        var results = new BatchAnswer<UsageRecorded>[reports.Length];
        for (var i = 0; i < reports.Length; i++)
        {
            if (appends[i] is not { } append) continue;
            try
            {
                if (await append is { } appended)
                    results[i] = BatchAnswer<UsageRecorded>.Of(Result<UsageRecorded>.Ok(
                        new UsageRecorded(appended.EventId, appended.Duplicate, appended.ReportedAt)));
                else
                    decided[i] = Decide(reports[i]); // not listed for this agent: its grain decides and explains
            }
            catch (Exception e)
            {
                results[i] = Failed(reports[i], e);
            }
        }

        for (var i = 0; i < reports.Length; i++)
        {
            if (decided[i] is not { } call) continue;
            try
            {
                results[i] = BatchAnswer<UsageRecorded>.Of(await call);
            }
            catch (Exception e)
            {
                results[i] = Failed(reports[i], e);
            }
        }
        return results;
    }

    Task<Result<UsageRecorded>> Decide(AgentUsageReport report) =>
        GrainFactory.GetGrain<IUserLinkGrain>(report.LinkId).ReportUsage(report.AgentId, report.Report);

    BatchAnswer<UsageRecorded> Failed(AgentUsageReport report, Exception e)
    {
        logger.LogWarning(e, "Usage report for {LinkId} failed", report.LinkId);
        return BatchAnswer<UsageRecorded>.Failed(e);
    }
}
