using Microsoft.Extensions.Logging;

namespace Actors.Grains.Platform;

/// <summary>
/// A grain method that throws may already have changed the activation's in-memory state without
/// storing it (a failed <c>WriteStateAsync</c>: database down, etag conflict), and a retry would then
/// be answered from state that storage never got. Such an activation is dropped, so the next call
/// starts from what storage holds. Refusals are <see cref="Result{T}"/> problems, not exceptions, so
/// this happens only on real failures. Dropping applies to this project's grains only.
/// <para>
/// A database outage leaves every grain as a <see cref="StorageUnavailableException"/>: the
/// driver's exceptions have no codec and would reach the caller as a serialization failure. One
/// that already is (a grain this one called) passes on unchanged.
/// </para>
/// </summary>
public sealed class FailedCallRecovery(ILogger<FailedCallRecovery> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e)
        {
            var unavailable = StorageFailures.Unavailable(e);
            if (context.TargetContext.GrainInstance?.GetType().Assembly == typeof(FailedCallRecovery).Assembly)
            {
                if (unavailable is null)
                    logger.LogWarning(e, "{Grain}.{Method} failed; the activation is dropped so its next call reloads stored state",
                        context.TargetContext.GrainId, context.MethodName);
                else
                    logger.LogWarning("{Grain}.{Method}: {Reason}; the activation is dropped so its next call reloads stored state",
                        context.TargetContext.GrainId, context.MethodName, unavailable.Message);
                // No exception in the reason: Orleans would reject the calls queued behind this one with
                // it (a raw driver exception: a 500 for someone else's call). Without one they are
                // rerouted to a fresh activation, which starts from stored state.
                context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError,
                    "A call failed; the next call starts from stored state"));
            }
            if (unavailable is null || ReferenceEquals(unavailable, e)) throw;
            throw unavailable;
        }
    }
}
