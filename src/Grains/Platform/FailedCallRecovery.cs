using Microsoft.Extensions.Logging;

namespace Actors.Grains.Platform;

/// <summary>
/// A grain method that throws may already have changed the activation's in-memory state without
/// storing it (a failed <c>WriteStateAsync</c>: database down, etag conflict), and a retry would then
/// be answered from state that storage never got. Such an activation is dropped, so the next call
/// starts from what storage holds. Refusals are <see cref="Result{T}"/> problems, not exceptions, so
/// this happens only on real failures. Applies to this project's grains only.
/// </summary>
public sealed class FailedCallRecovery(ILogger<FailedCallRecovery> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (context.TargetContext.GrainInstance?.GetType().Assembly == typeof(FailedCallRecovery).Assembly)
        {
            logger.LogWarning(e, "{Grain}.{Method} failed; the activation is dropped so its next call reloads stored state",
                context.TargetContext.GrainId, context.MethodName);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e,
                "A call failed; the next call starts from stored state"));
            throw;
        }
    }
}
