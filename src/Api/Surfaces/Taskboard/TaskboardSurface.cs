namespace Actors.Api.Surfaces.Taskboard;

/// <summary>The API's own settings for the taskboard surface (section <c>Taskboard</c>; the silo reads its own from the same section).</summary>
public sealed class TaskboardApiOptions
{
    public const string Section = "Taskboard";

    /// <summary>Polls one agent may make a minute (per key; without a key, per agentId and address).</summary>
    public int PollsPerMinute { get; set; } = 60;

    /// <summary>Connects one address may make an hour (the call needs no key: the token or key in its body is checked by the grains).</summary>
    public int ConnectsPerHourPerAddress { get; set; } = 120;

    /// <summary>How long this API reuses an agent's capabilities from the board's last answer for its polls (as a key's resolution is reused).</summary>
    public TimeSpan AgentCacheFor { get; set; } = TimeSpan.FromSeconds(5);
}

public static class TaskboardSurface
{
    public static IHostApplicationBuilder AddTaskboard(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<TaskboardApiOptions>(builder.Configuration.GetSection(TaskboardApiOptions.Section));
        builder.Services.AddSingleton<TaskboardPolls>();
        return builder;
    }
}
