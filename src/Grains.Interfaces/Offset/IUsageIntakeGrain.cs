using Actors.Grains.Platform;

namespace Actors.Grains.Offset;

/// <summary>
/// Takes the usage reports an API process gathered from many agents and links in one call, so a
/// busy API crosses the network once per batch instead of once per report. Each report goes to
/// its own link grain, which decides it exactly as <see cref="IUserLinkGrain.ReportUsage"/> does.
/// </summary>
public interface IUsageIntakeGrain : IGrainWithStringKey
{
    /// <summary>The intake is a stateless worker: one key, an activation per silo that receives batches.</summary>
    const string Key = "usage-intake";

    /// <summary>The answer at index i belongs to report i.</summary>
    Task<BatchAnswer<UsageRecorded>[]> Report(AgentUsageReport[] reports);
}

[GenerateSerializer, Immutable]
public sealed record AgentUsageReport(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string LinkId,
    [property: Id(2)] UsageReport Report);
