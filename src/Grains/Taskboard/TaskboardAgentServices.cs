namespace Actors.Grains.Taskboard;

public static class TaskboardAgentServices
{
    /// <summary>What the registration tokens and the taskboard agents need (their store).</summary>
    public static IServiceCollection AddTaskboardAgents(this IServiceCollection services)
    {
        services.AddSingleton<TaskboardAgentStore>();
        return services;
    }
}
