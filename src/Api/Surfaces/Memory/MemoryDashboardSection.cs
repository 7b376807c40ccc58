using System.Globalization;
using System.Text;
using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Grains.Humans;
using Actors.Grains.Memory;

namespace Actors.Api.Surfaces.Memory;

/// <summary>The machines a human claimed (memory surface), on <c>/dashboard</c>. Nothing to manage yet, so no settings.</summary>
public sealed class MemoryDashboardSection : IDashboardSection
{
    /// <summary>The most machines one page shows (the newest claimed); an account holds at most 500.</summary>
    const int MaxShown = 100;

    public static void Map(IEndpointRouteBuilder app) =>
        app.ServiceProvider.GetRequiredService<DashboardSections>().Add(new MemoryDashboardSection());

    public async Task<string> RenderOverview(HumanPrincipal human, HumanOverview overview, IClusterClient orleans)
    {
        var summaries = await Task.WhenAll(overview.MachineIds.TakeLast(MaxShown).Reverse()
            .Select(id => orleans.GetGrain<IMachineAccountGrain>(id).GetSummary()));
        // The human's list says which machines were merged into it; the machine must agree.
        var mine = summaries.OfType<MachineSummary>()
            .Where(m => m.ClaimedByEmail is { } email && HumanKey.For(email) == human.HumanKey)
            .ToList();
        if (mine.Count == 0) return "<h2>Machines</h2><p id=\"no-machines\">No machines are linked to your account.</p>";

        var rows = new StringBuilder();
        foreach (var m in mine)
            rows.Append($"""
                <tr data-machine="{HtmlPage.Encode(m.MachineId)}"><td class="hostname">{HtmlPage.Encode(m.Hostname ?? "(no hostname)")}</td>
                <td class="platform">{HtmlPage.Encode(m.Platform ?? "unknown")}</td>
                <td class="claimed">{m.ClaimedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}</td>
                <td class="memories">{m.TotalMemories.ToString("N0", CultureInfo.InvariantCulture)}</td>
                <td class="storage">{MachineStatsData.HumanSize(m.StorageBytes)}</td></tr>
                """);
        return $"""
            <h2>Machines</h2>
            <table id="machines"><thead><tr><th>Hostname</th><th>Platform</th><th>Claimed</th><th>Memories</th><th>Storage</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """;
    }

    public Task<string> RenderSettings(HumanPrincipal human, HumanOverview overview, IClusterClient orleans) => Task.FromResult("");
}
