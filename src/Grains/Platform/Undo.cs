using Microsoft.Extensions.Logging;

namespace Actors.Grains.Platform;

/// <summary>
/// Undoing the done steps of a change that failed, in the grains that write in several places
/// (state, rows, keys): each step is tried, and one that fails too is logged and passed over,
/// so the caller can undo the rest and rethrow the failure that started it.
/// </summary>
public static class Undo
{
    public static async Task Step(ILogger logger, string change, string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Undoing a failed {Change}: could not {What}", change, what);
        }
    }
}
