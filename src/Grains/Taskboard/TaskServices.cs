namespace Actors.Grains.Taskboard;

public static class TaskServices
{
    /// <summary>What the tasks need: their store and the sweep that wakes overdue ones.</summary>
    public static IServiceCollection AddTasks(this IServiceCollection services)
    {
        services.AddSingleton<TaskStore>();
        services.AddHostedService<TaskSweep>();
        return services;
    }
}
