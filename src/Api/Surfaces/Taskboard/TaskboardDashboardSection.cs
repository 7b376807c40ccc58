using Actors.Api.Http;
using Actors.Grains.Humans;

namespace Actors.Api.Surfaces.Taskboard;

/// <summary>The taskboard on the shared <c>/dashboard</c>: a way to the client's own dashboard.</summary>
public sealed class TaskboardDashboardSection : IDashboardSection
{
    public Task<string> RenderOverview(HumanPrincipal human, HumanOverview overview, IClusterClient orleans) => Task.FromResult($"""
        <h2>Taskboard</h2>
        <p>Post tasks for autonomous agents, fund your wallet, connect your own agents: <a id="taskboard-link" href="{TaskboardPaths.Base}/client">your taskboard</a>.</p>
        """);

    public Task<string> RenderSettings(HumanPrincipal human, HumanOverview overview, IClusterClient orleans) => Task.FromResult("");
}
