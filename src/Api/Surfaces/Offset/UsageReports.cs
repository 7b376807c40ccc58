using Actors.Api.Http;
using Actors.Grains.Platform;
using Actors.Grains.Offset;
using Microsoft.Extensions.Options;

namespace Actors.Api.Surfaces.Offset;

/// <summary>
/// Where report-usage requests go. By default the reports that arrive together in this API
/// process travel to the silo together (<see cref="IUsageIntakeGrain"/>, one grain call per
/// batch) and meet the silo's group commit there; every request still gets its own link grain's
/// answer, only after its row is durable. With <c>Offset:UsageWriter:Mode = single</c> (the
/// benchmark's baseline) each report makes its own way: one grain call, one transaction.
/// </summary>
public sealed class UsageReports : IAsyncDisposable
{
    readonly IClusterClient _orleans;
    readonly Batcher<AgentUsageReport, BatchAnswer<UsageRecorded>>? _batcher;

    public UsageReports(IClusterClient orleans, IOptions<UsageWriterOptions> writer, IOptions<OffsetApiOptions> options)
    {
        _orleans = orleans;
        if (!writer.Value.Grouped) return;
        _batcher = options.Value.Intake.StartBatcher<AgentUsageReport, BatchAnswer<UsageRecorded>>(
            batch => orleans.GetGrain<IUsageIntakeGrain>(IUsageIntakeGrain.Key).Report([.. batch]));
    }

    public async Task<Result<UsageRecorded>> Report(string agentId, string linkId, UsageReport report)
    {
        if (_batcher is null) return await _orleans.GetGrain<IUserLinkGrain>(linkId).ReportUsage(agentId, report);
        return (await _batcher.Submit(new AgentUsageReport(agentId, linkId, report))).Unwrap();
    }

    public ValueTask DisposeAsync() => _batcher?.DisposeAsync() ?? ValueTask.CompletedTask;
}
