using Actors.Grains.Platform;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// One subscription to a SUBSCRIPTION service (<c>sub_…</c>, seed: Subscriptions): the single writer
/// of its <c>market_subscriptions</c> row (status and schedule) and its <c>subscription_runs</c>.
/// <para>
/// Time: every call first catches up with the clock from the stored <c>next_run_at</c> and
/// <c>next_billing_at</c>. A due month is charged (once per period: the transfer's id names the
/// subscription and the period, so a repeated or late wake never charges twice; months missed
/// together are charged once); a wallet too short pauses it (<see cref="PauseReasons.InsufficientFunds"/>)
/// and tells both sides. A due run closes the run still RUNNING as FAILED (<see cref="SubscriptionRunStatus.Missed"/>)
/// and creates one run for the due slot, however many slots passed (a silo down across several
/// runs catches up once), and tells the provider (<c>subscription.run</c> webhook and notification).
/// Reminders and the sweep only wake it (<see cref="Wake"/>); the grain deactivates between runs.
/// </para>
/// <para>
/// Who: the subscriber reads and changes it; the provider reads it and reports runs; anyone else
/// is answered 404, as if it did not exist.
/// </para>
/// </summary>
public interface ISubscriptionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes <see cref="NewSubscription.SubscriberId"/> to the service: ACTIVE, the first month
    /// charged from the subscriber's wallet at once (402 when short: nothing is kept), the provider
    /// paid as for a job (fee, referral), the first run one interval from now. Called again for a
    /// subscription that exists by the same subscriber, answers it as it is (a retry).
    /// </summary>
    Task<Result<SubscriptionView>> Create(NewSubscription request);

    /// <summary>The subscription with its recent runs, for its subscriber or provider.</summary>
    Task<Result<SubscriptionView>> Get(string agentId);

    /// <summary>
    /// The subscriber's pause, resume or cancel (<see cref="SubscriptionActions"/>): 403 for the provider,
    /// 409 naming the status when the action does not apply. Pause stops runs and charges; resume
    /// charges first when the month paid for has ended (402 when short: it stays PAUSED); cancel is final.
    /// </summary>
    Task<Result<SubscriptionView>> Change(string agentId, string? action);

    /// <summary>The provider reports a RUNNING run COMPLETED or FAILED (409 when it is reported or missed already).</summary>
    Task<Result<SubscriptionRunView>> ReportRun(string agentId, string runId, SubscriptionRunReport report);

    /// <summary>Catches up with the clock (what a reminder or the sweep asks); nothing when nothing is due.</summary>
    Task Wake();
}
