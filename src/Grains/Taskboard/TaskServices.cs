namespace Actors.Grains.Taskboard;

public static class TaskServices
{
    /// <summary>What the tasks need: their store and the sweep that wakes overdue ones.</summary>
    public static IServiceCollection AddTasks(this IServiceCollection services)
    {
        // [tbtasks] the tasks' store, the sweep
        return services;
    }
}
