using Actors.Grains.Identity;
using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Platform;
using Actors.Grains.Wallets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Subscriptions;

/// <summary>
/// One subscription (see <see cref="ISubscriptionGrain"/>): its definition in grain state (written
/// once), its schedule, status and counters in its <c>market_subscriptions</c> row, read on activation.
/// <para>
/// Order of steps: creation writes the state first (so the subscription exists to own its charge),
/// then charges the first month, then writes the row with its event; a state without a row is
/// finished on activation if the first charge is on the ledger, else forgotten. Every later step that
/// moves money charges first and writes the row after; the charge's id names the month, so the next
/// wake after a crash in between finds it Repeated and writes the row then. Each change of the row is
/// one batch with the runs it creates or finishes and its events.
/// </para>
/// <para>
/// Time: the stored due times decide, against the clock, on every call (<see cref="CatchUp"/>); the
/// reminder and the sweep only wake the grain, which then deactivates: subscriptions are not kept in
/// memory between runs. The reminder's period is the run interval, so once aimed at a slot it stays
/// in step with the slots and a run alone does not re-aim it.
/// </para>
/// </summary>
// Any other call (a read, a pause) keeps it a few minutes, not the silo's default quarter hour.
[CollectionAgeLimit(Minutes = 3)]
public sealed class SubscriptionGrain(
    [PersistentState("market-subscription", "store")] IPersistentState<SubscriptionState> definition,
    SubscriptionStore store,
    LedgerGroupCommit ledger,
    LedgerStore balances,
    IOptions<SubscriptionOptions> options,
    IOptions<MarketOptions> market,
    ILogger<SubscriptionGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, ISubscriptionGrain, IRemindable
{
    const string DueReminder = "subscription-due";
    const int MaxServiceIdLength = 64;

    [Flags]
    enum Caught { Nothing = 0, Ran = 1, Changed = 2 }

    SubscriptionRow? _row;
    bool _loaded;

    string Id => this.GetPrimaryKeyString();

    SubscriptionOptions Options => options.Value;

    TimeSpan Interval => SubscriptionRules.Interval(definition.State.RunIntervalHours, Options.HourLength);

    /// <summary>
    /// Reads the row on the first call of an activation (in the call, not in <c>OnActivateAsync</c>, so
    /// a database away is answered as any failed call is: 503). A creation interrupted between its
    /// state and its row is finished when its first month was charged (the money says it was
    /// subscribed), else it never was.
    /// </summary>
    async Task Load()
    {
        if (_loaded) return;
        if (definition.RecordExists)
        {
            _row = await store.Load(Id);
            if (_row is null)
            {
                if (definition.State.PriceCents == 0 || await store.TransferExists(SubscriptionMoney.ChargeId(Id, 0)))
                {
                    logger.LogWarning("Subscription {SubscriptionId}: its first month was charged but its row was missing; written now", Id);
                    await WriteCreated();
                }
                else await definition.ClearStateAsync();
            }
        }
        _loaded = true;
    }

    public async Task<Result<SubscriptionView>> Create(NewSubscription request)
    {
        await Load();
        var created = await Subscribe(request);
        // A refused subscribe leaves nothing, not even an activation.
        if (!definition.RecordExists) DeactivateOnIdle();
        return created;
    }

    async Task<Result<SubscriptionView>> Subscribe(NewSubscription request)
    {
        if (definition.RecordExists)
        {
            // The same subscribe again (its Idempotency-Key named this subscription): answer it as it is,
            // finishing its creation if that was cut short; its first month is charged once.
            if (definition.State.SubscriberId != request.SubscriberId) return Problem.Conflict("This subscription already exists");
            if (_row is null)
            {
                if (await ChargeFirstMonth() is { } unpaid) return unpaid;
                await WriteCreated();
            }
            if (await CatchUp() != Caught.Nothing) await Aim();
            return Result<SubscriptionView>.Ok(_row!.View());
        }

        var serviceId = request.ServiceId?.Trim();
        if (string.IsNullOrEmpty(serviceId)) return Problem.Invalid("serviceId", "serviceId is required");
        if (serviceId.Length > MaxServiceIdLength || !serviceId.StartsWith("svc_", StringComparison.Ordinal))
            return Problem.NotFound($"Service '{(serviceId.Length > MaxServiceIdLength ? serviceId[..MaxServiceIdLength] + "…" : serviceId)}' not found");
        var listing = await GrainFactory.GetGrain<IServiceGrain>(serviceId).GetListing();
        if (SubscriptionRules.CheckService(serviceId, listing, request.SubscriberId) is { } refused) return refused;
        var provider = await GrainFactory.GetGrain<IAgentGrain>(listing!.AgentId).GetProfile();
        if (provider is null) return Problem.Invalid("serviceId", "The agent offering this service no longer exists");

        var price = listing.MonthlyPriceCents!.Value;
        // Most short wallets are turned away before anything is written; one spent meanwhile is caught
        // by the charge itself, and the state is then cleared.
        var balance = await balances.Balance(WalletLedger.Wallet(request.SubscriberId));
        if (balance < price) return Short(balance, price);

        definition.State = new SubscriptionState
        {
            SubscriberId = request.SubscriberId,
            ProviderId = provider.Id,
            ProviderName = provider.Name,
            ProviderAvatarUrl = provider.AvatarUrl,
            ReferrerId = provider.ReferredBy,
            ServiceId = listing.Id,
            ServiceTitle = listing.Title,
            ServiceDescription = listing.Description,
            PriceCents = price,
            RunIntervalHours = listing.RunIntervalHours!.Value,
            CreatedAt = Now(),
        };
        await definition.WriteStateAsync();
        if (await ChargeFirstMonth() is { } problem) return problem;
        await WriteCreated();
        return Result<SubscriptionView>.Ok(_row!.View());
    }

    /// <summary>Month 0 from the subscriber's wallet; when short, the state is cleared and the 402 answered.</summary>
    async Task<Problem?> ChargeFirstMonth()
    {
        var price = definition.State.PriceCents;
        var (paid, balance) = await Charge(0);
        if (paid) return null;
        await definition.ClearStateAsync();
        return Short(balance, price);
    }

    async Task WriteCreated()
    {
        var s = definition.State;
        var row = SubscriptionRow.New(Id, s, s.CreatedAt + Interval, s.CreatedAt.AddMonths(1));
        await Save(row, SubscriptionEvents.Change(row, SubscriptionEvents.Created, null, SubscriptionEvents.Provider));
        await Aim();
    }

    public async Task<Result<SubscriptionView>> Get(string agentId)
    {
        await Load();
        if (_row is null || RoleOf(agentId) is null) return NotFound(_row is null);
        if (await CatchUp() != Caught.Nothing) await Aim();
        return Result<SubscriptionView>.Ok(_row.View(await store.RecentRuns(Id, SubscriptionLimits.RecentRuns)));
    }

    public async Task<Result<SubscriptionView>> Change(string agentId, string? action)
    {
        await Load();
        if (_row is null || RoleOf(agentId) is not { } role) return NotFound(_row is null);
        if (role != SubscriptionEvents.Subscriber) return Problem.Forbidden("Only the subscriber can modify this subscription");
        var parsed = SubscriptionRules.ParseAction(action);
        if (parsed.Problem is { } invalid) return invalid;
        if (await CatchUp() != Caught.Nothing) await Aim();
        var s = _row;
        if (SubscriptionRules.Allowed(parsed.Value!, s.Status) is { } conflict) return conflict;

        var now = Now();
        var next = s.Copy();
        next.UpdatedAt = now;
        switch (parsed.Value)
        {
            case SubscriptionActions.Pause:
                next.Status = SubscriptionStatus.Paused;
                next.PausedAt = now;
                next.PauseReason = PauseReasons.Subscriber;
                next.NextRunAt = null;
                await Save(next, SubscriptionEvents.Change(next, SubscriptionEvents.Paused, Step(now), SubscriptionEvents.Provider));
                break;
            case SubscriptionActions.Resume:
                if (s.NextBillingAt is { } due && now >= due)
                {
                    // A month is never charged for a service gone: cancelled, as the month's billing would.
                    if (await ServiceGone())
                    {
                        Cancel(next, now);
                        await Save(next, SubscriptionEvents.Change(next, SubscriptionEvents.Cancelled, null,
                            SubscriptionEvents.Subscriber, SubscriptionEvents.Provider));
                        await Aim();
                        return Problem.Conflict("The service was deleted: this subscription is CANCELLED");
                    }
                    var (paid, balance) = await Charge(s.BilledPeriods);
                    if (!paid) return Short(balance, s.PriceCents);
                    next.BilledPeriods++;
                    next.NextBillingAt = now.AddMonths(1);
                    next.BillingAnchor = now;
                }
                next.Status = SubscriptionStatus.Active;
                next.PausedAt = null;
                next.PauseReason = null;
                next.NextRunAt = SubscriptionRules.NextSlot(s.CreatedAt, Interval, now);
                await Save(next, SubscriptionEvents.Change(next, SubscriptionEvents.Resumed, Step(now), SubscriptionEvents.Provider));
                break;
            default:
                Cancel(next, now);
                await Save(next, SubscriptionEvents.Change(next, SubscriptionEvents.Cancelled, null, SubscriptionEvents.Provider));
                break;
        }
        await Aim();
        return Result<SubscriptionView>.Ok(_row.View());
    }

    public async Task<Result<SubscriptionRunView>> ReportRun(string agentId, string runId, SubscriptionRunReport report)
    {
        await Load();
        if (_row is null || RoleOf(agentId) is not { } role) return NotFound(_row is null);
        if (role != SubscriptionEvents.Provider) return Problem.Forbidden("Only the provider reports runs");
        var checkedStatus = SubscriptionRules.CheckReport(report);
        if (checkedStatus.Problem is { } invalid) return invalid;
        if (await CatchUp() != Caught.Nothing) await Aim();
        var run = await store.Run(Id, runId);
        if (run is null) return Problem.NotFound("Run not found");
        if (run.Status != SubscriptionRunStatus.Running)
            return Problem.Conflict(run.Error == SubscriptionRunStatus.Missed
                ? $"This run is {run.Status}: it was missed (not reported before the next run was due)"
                : $"This run is {run.Status} already");

        var now = Now();
        var finished = run with { Status = checkedStatus.Value!, CompletedAt = now, Output = report.Output };
        var next = _row.Copy();
        next.UpdatedAt = now;
        if (finished.Status == SubscriptionRunStatus.Completed) next.SuccessfulRuns++;
        else next.FailedRuns++;
        if (next.OpenRunId == runId) next.OpenRunId = null;
        await Save(next, SubscriptionEvents.RunFinished(next, finished), finished: [finished]);
        // The provider's report is the one call every run brings: like a wake, it leaves nothing to keep in memory.
        DeactivateOnIdle();
        return Result<SubscriptionRunView>.Ok(finished);
    }

    public async Task Wake()
    {
        await Load();
        if (await CatchUp() != Caught.Nothing) await Aim();
        DeactivateOnIdle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DueReminder) return;
        await Load();
        var caught = await CatchUp();
        // A run alone, with the next run the next thing due, leaves the reminder in step with the
        // slots (its period is the interval); anything else (a month billed or due first, a pause,
        // a tick that found nothing due) aims it again, or removes it when not ACTIVE.
        if (caught != Caught.Ran || _row?.NextDueAt != _row?.NextRunAt) await Aim();
        DeactivateOnIdle();
    }

    /// <summary>
    /// What is due happens now: the month first (charged, or the subscription paused or cancelled),
    /// then one run for the slot that was due, however many passed.
    /// </summary>
    async Task<Caught> CatchUp()
    {
        var caught = Caught.Nothing;
        if (_row is not { Status: SubscriptionStatus.Active }) return caught;
        var now = Now();
        if (_row.NextBillingAt is { } due && now >= due)
        {
            await Bill(due, now);
            caught |= Caught.Changed;
        }
        if (_row is { Status: SubscriptionStatus.Active, NextRunAt: { } slot } && now >= slot)
        {
            await StartRun(slot, now);
            caught |= Caught.Ran;
        }
        return caught;
    }

    async Task Bill(DateTimeOffset due, DateTimeOffset now)
    {
        var s = _row!;
        var next = s.Copy();
        next.UpdatedAt = now;
        if (await ServiceGone())
        {
            // Nothing more is charged for a service gone; a month charged before a crash still counts.
            if (await store.TransferExists(SubscriptionMoney.ChargeId(Id, s.BilledPeriods))) next.BilledPeriods++;
            Cancel(next, now);
            await Save(next, SubscriptionEvents.Change(next, SubscriptionEvents.Cancelled, null, SubscriptionEvents.Subscriber, SubscriptionEvents.Provider));
            return;
        }
        var (paid, _) = await Charge(s.BilledPeriods);
        if (paid)
        {
            next.BilledPeriods++;
            (next.NextBillingAt, next.BillingAnchor) = SubscriptionRules.NextBilling(s.BillingAnchor, due, now);
            await Save(next, SubscriptionEvents.None);
            return;
        }
        next.Status = SubscriptionStatus.Paused;
        next.PauseReason = PauseReasons.InsufficientFunds;
        next.PausedAt = now;
        next.NextRunAt = null;
        await Save(next, SubscriptionEvents.Change(next, SubscriptionEvents.Paused, "month" + s.BilledPeriods,
            SubscriptionEvents.Subscriber, SubscriptionEvents.Provider));
    }

    /// <summary>
    /// The run of <paramref name="slot"/>: the run still RUNNING is missed, the new one is RUNNING, and
    /// the next run is the first slot after now (skipped slots are not run late).
    /// </summary>
    async Task StartRun(DateTimeOffset slot, DateTimeOffset now)
    {
        var s = _row!;
        var next = s.Copy();
        next.UpdatedAt = now;
        var events = SubscriptionEvents.None;
        List<SubscriptionRunView> finished = [];
        if (s.OpenRunId is { } openId && await store.Run(Id, openId) is { Status: SubscriptionRunStatus.Running } open)
        {
            var missed = open with { Status = SubscriptionRunStatus.Failed, CompletedAt = now, Error = SubscriptionRunStatus.Missed };
            finished.Add(missed);
            next.FailedRuns++;
            events = events.And(SubscriptionEvents.RunFinished(next, missed));
        }
        var run = new SubscriptionRunView(SubscriptionRules.RunId(Id, slot), Id, SubscriptionRunStatus.Running, slot, now, null, null, null);
        next.TotalRuns++;
        next.OpenRunId = run.Id;
        next.NextRunAt = SubscriptionRules.NextSlot(s.CreatedAt, Interval, now);
        await Save(next, events.And(SubscriptionEvents.RunDue(next, run)), created: [run], finished: finished);
    }

    async Task<bool> ServiceGone() =>
        await GrainFactory.GetGrain<IServiceGrain>(definition.State.ServiceId).GetListing() is null or { Deleted: true };

    static void Cancel(SubscriptionRow next, DateTimeOffset now)
    {
        next.Status = SubscriptionStatus.Cancelled;
        next.CancelledAt = now;
        next.NextRunAt = null;
        next.NextBillingAt = null;
    }

    /// <summary>
    /// Month <paramref name="period"/> from the subscriber's wallet; paid when applied now or before
    /// (the same id answers Repeated). The balance is the short wallet's when not paid.
    /// </summary>
    async Task<(bool Paid, long Balance)> Charge(int period)
    {
        var s = definition.State;
        var charge = SubscriptionMoney.Charge(Id, period, s.SubscriberId, s.ProviderId, s.ReferrerId, s.PriceCents, s.ServiceTitle,
            market.Value.PlatformFeePercent, market.Value.ReferralPercent);
        if (charge is not { } c) return (true, 0);
        var moved = await ledger.Transfer(c.Transfer, c.Details);
        switch (moved.Status)
        {
            case TransferStatus.Insufficient:
                return (false, moved.BalanceOf(WalletLedger.Wallet(s.SubscriberId)));
            case TransferStatus.Mismatch:
                // Applied before with other shares (the fee settings changed between a crash and its retry): it moved once.
                logger.LogWarning("Subscription {SubscriptionId}: {TransferId} was applied before with other legs", Id, c.Transfer.TransferId);
                break;
        }
        return (true, 0);
    }

    static Problem Short(long balance, long price) =>
        Problem.PaymentRequired($"Insufficient balance: the wallet holds {balance} cents, the month costs {price} cents");

    async Task Save(SubscriptionRow next, SubscriptionEvents events,
        IReadOnlyList<SubscriptionRunView>? created = null, IReadOnlyList<SubscriptionRunView>? finished = null)
    {
        // A failed write throws and the activation is dropped (FailedCallRecovery): the next call reloads the row.
        await store.Write(next, events, created, finished);
        _row = next;
    }

    /// <summary>
    /// Aims the reminder at the next due time (or removes it when nothing is due). It only wakes the
    /// grain, and the sweep finds what it misses, so a failure is logged, never answered.
    /// </summary>
    async Task Aim()
    {
        try
        {
            if (_row?.NextDueAt is { } due)
            {
                var min = Options.MinReminderWait;
                var wait = due - Now();
                await this.RegisterOrUpdateReminder(DueReminder, wait < min ? min : wait, Interval < min ? min : Interval);
            }
            else if (await this.GetReminder(DueReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Subscription {SubscriptionId}: could not set its due reminder", Id);
        }
    }

    DateTimeOffset Now() => PgTime.Stored(clock.GetUtcNow());

    string? RoleOf(string agentId) =>
        agentId == definition.State.SubscriberId ? SubscriptionEvents.Subscriber
        : agentId == definition.State.ProviderId ? SubscriptionEvents.Provider : null;

    /// <summary>Tells apart steps that may happen more than once (a second pause): their time.</summary>
    static string Step(DateTimeOffset at) => at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>404 to anyone but the two sides; an id that names nothing does not stay in memory.</summary>
    Problem NotFound(bool nothingHere)
    {
        if (nothingHere) DeactivateOnIdle();
        return Problem.NotFound("Subscription not found");
    }
}
