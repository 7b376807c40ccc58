using Actors.Grains.Platform;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Taskboard;

/// <summary>
/// Wakes, on every silo, the tasks whose lease or review passed more than
/// <see cref="TaskboardOptions.SweepGrace"/> ago without their reminder having woken them (see <see cref="DueSweep"/>).
/// </summary>
public sealed class TaskSweep(
    TaskStore store,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    IOptions<TaskboardOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock,
    ILogger<TaskSweep> logger) : DueSweep(lifetime, clock, logger, "task", "tasks")
{
    protected override DueSweepSettings Settings()
    {
        var o = options.Value;
        return new DueSweepSettings(o.SweepEvery, o.SweepGrace, o.SweepBatch, o.SweepParallelism);
    }

    protected override Task<List<string>> Due(DateTimeOffset dueBy, int limit, CancellationToken ct) => store.Due(dueBy, limit, ct);

    protected override Task Wake(string id) => grains.GetGrain<ITaskGrain>(id).Wake();
}
