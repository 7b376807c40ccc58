using Microsoft.Extensions.Configuration;

namespace Actors.Grains.Taskboard;

public static class TaskboardServices
{
    /// <summary>The taskboard's settings (section <c>Taskboard</c>), and what its agents and its tasks need.</summary>
    public static IServiceCollection AddTaskboard(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TaskboardOptions>(config.GetSection("Taskboard"));
        return services.AddTaskboardAgents().AddTasks();
    }
}
