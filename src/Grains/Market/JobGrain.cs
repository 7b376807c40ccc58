using Actors.Grains.Identity;
using Actors.Grains.Ledger;
using Actors.Grains.Payments;
using Actors.Grains.Platform;
using Actors.Grains.Wallets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Market;

/// <summary>
/// One hired job: the lifecycle rule (<see cref="JobRules"/>), its escrow (<see cref="JobMoney"/>),
/// its <c>market_jobs</c> row and its thread.
/// <para>
/// Money before state: every step that moves money applies its ledger transfer first (its id is the
/// job's, so a repeat changes nothing), then writes the row, then the state. A crash in between
/// leaves money that moved under a state that lags; the next activation (<see cref="Recover"/>)
/// looks the job's transfer ids up and finishes the step (a recovered completion keeps no rating).
/// The reverse order would leave a state that claims money moved when it did not, which nothing
/// could tell apart from a real payment. Creation alone writes the state first (REQUESTED, unpaid):
/// only then is the job there to own the escrow; its escrow is found the same way.
/// </para>
/// <para>
/// Row and state are both or neither, as the agent's: the row is written from a copy first; when the
/// state write then fails, the row is put back (or, should that fail too, corrected on activation).
/// </para>
/// <para>
/// Events (<see cref="JobEvents"/>: a webhook event and a notification per recipient) are written in
/// the batch of the row that records their step, so a step and its events commit together or not at
/// all. Their ids are the step's, so the step written again (its retry, or <see cref="Recover"/>
/// finishing it after a crash) writes them once. The one case an event outlives its step: the row
/// committed, the state write then failed and the step is never retried; the event is not taken back
/// (it may have been delivered already), and a retry of the step does not repeat it.
/// </para>
/// <para>
/// Time: the stored <see cref="JobState.DueAt"/> decides (unpaid cancellation, auto-completion);
/// every call checks it against the clock first, and the reminder only wakes the grain.
/// </para>
/// </summary>
public sealed class JobGrain(
    [PersistentState("market-job", "store")] IPersistentState<JobState> job,
    JobStore store,
    LedgerGroupCommit ledger,
    IOptions<MarketOptions> options,
    ILogger<JobGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IJobGrain, IRemindable
{
    const string DueReminder = "job-due";
    const int MaxMessagesRead = 1_000;
    static readonly TimeSpan MaxReminderWait = TimeSpan.FromDays(30);

    string JobId => this.GetPrimaryKeyString();

    MarketOptions Options => options.Value;

    public override Task OnActivateAsync(CancellationToken ct) => StorageFailures.Activating(async () =>
    {
        if (!job.RecordExists) return;
        if (!JobStatus.IsFinal(job.State.Status)) await Recover();
        // A row left ahead of a failed state write is brought back to the state.
        if (await store.Differs(JobId, job.State))
        {
            logger.LogWarning("Read model row of {JobId} differed from its stored state; corrected", JobId);
            await store.Upsert(JobId, job.State);
        }
    });

    /// <summary>Finishes a step whose transfer is on the ledger but whose state lags (see the class comment).</summary>
    async Task Recover()
    {
        var moved = await store.ExistingTransfers(JobMoney.TransferIds(JobId));
        if (moved.Count == 0) return;
        var now = clock.GetUtcNow();
        var next = job.State.Copy();
        if (!next.Paid && moved.Contains(JobMoney.EscrowId(JobId))) { next.Paid = true; if (next.Status == JobStatus.Requested) next.DueAt = null; }
        if (moved.Contains(JobMoney.ReleaseId(JobId))) Finish(next, JobStatus.Completed, next.Status == JobStatus.Disputed ? JobOutcomes.Release : null, now);
        else if (moved.Contains(JobMoney.SplitId(JobId))) Finish(next, JobStatus.Completed, JobOutcomes.Split, now);
        else if (moved.Contains(JobMoney.RefundId(JobId))) Finish(next, JobStatus.Cancelled, next.Status == JobStatus.Disputed ? JobOutcomes.Refund : null, now);
        if (next.Paid == job.State.Paid && next.Status == job.State.Status) return;
        logger.LogWarning("Job {JobId}: money had moved ahead of its state ({Status}); finished as {Next}", JobId, job.State.Status, next.Status);
        next.UpdatedAt = now;
        // The step's events, under the step's ids: written now if its first write never committed,
        // ignored if it did. Who asked for a cancellation is not known here, so both parties hear of it.
        await Save(next, next.Status == job.State.Status ? null
            : next.Status == JobStatus.Completed ? CompletedEvents(next)
            : JobEvents.Step(JobId, next, JobEvents.Cancelled, JobRules.Buyer, JobRules.Worker));
        if (next.Status == JobStatus.Completed) await RecordWork();
    }

    static void Finish(JobState next, string status, string? resolution, DateTimeOffset now)
    {
        next.Status = status;
        next.Resolution ??= resolution;
        next.DueAt = null;
        if (status == JobStatus.Completed) next.CompletedAt ??= now;
        else next.CancelledAt ??= now;
    }

    public async Task<Result<HireOutcome>> Create(NewJob request)
    {
        if (job.RecordExists)
        {
            // The same hire again (its Idempotency-Key named this job): answer it, finishing its payment.
            if (job.State.BuyerId != request.BuyerId) return Problem.Conflict("This job already exists");
            await CatchUp();
            return await Pay();
        }
        if (JobRules.CheckNewJob(request) is { } invalid) return invalid;

        var listing = await GrainFactory.GetGrain<IServiceGrain>(request.ServiceId!).GetListing();
        if (listing is null) return Problem.NotFound($"Service '{request.ServiceId}' not found");
        if (listing.AgentId == request.BuyerId) return Problem.Invalid("serviceId", "An agent cannot hire itself");
        if (!listing.Active || listing.Deleted) return Problem.Invalid("serviceId", "This service is not active");
        if (listing.Type == ServiceType.Subscription)
            return Problem.Invalid("serviceId", "This is a subscription service: subscribe to it instead of hiring it for one job");
        var tier = listing.Tier(request.TierName);
        if (tier is null)
            return Problem.Invalid(request.TierField, $"Unknown tier '{request.TierName}': this service has {string.Join(", ", listing.Tiers.Select(t => t.Name))}");
        if (tier.PriceCents < 0) return Problem.Invalid(request.TierField, "This tier has no valid price");

        var buyer = await GrainFactory.GetGrain<IAgentGrain>(request.BuyerId).GetProfile();
        var worker = await GrainFactory.GetGrain<IAgentGrain>(listing.AgentId).GetProfile();
        if (buyer is null) return Problem.NotFound("Agent not found");
        if (worker is null) return Problem.Invalid("serviceId", "The agent offering this service no longer exists");

        var now = clock.GetUtcNow();
        var created = new JobState
        {
            BuyerId = buyer.Id,
            BuyerName = buyer.Name,
            WorkerId = worker.Id,
            WorkerName = worker.Name,
            ReferrerId = worker.ReferredBy,
            ServiceId = listing.Id,
            ServiceTitle = listing.Title,
            ServiceTiersJson = JobState.TiersJson(listing.Tiers),
            TierName = tier.Name,
            PriceCents = tier.PriceCents,
            Input = request.Input!,
            // Named before it exists: a retry of this hire reopens the same checkout, never a second one.
            CheckoutId = RandomToken.Id("cs"),
            CreatedAt = now,
            UpdatedAt = now,
            DueAt = now + Options.UnpaidCancelAfter,
        };
        await Save(created, JobEvents.Step(JobId, created, JobEvents.Created, JobRules.Worker));
        return await Pay();
    }

    /// <summary>Escrows the price from the buyer's wallet, or answers the checkout that will.</summary>
    async Task<Result<HireOutcome>> Pay()
    {
        var s = job.State;
        if (s.Paid || s.Status != JobStatus.Requested)
            return Result<HireOutcome>.Ok(new HireOutcome(s.View(JobId), s.Paid ? PaymentMethods.Wallet : PaymentMethods.Checkout, null));
        if (await Escrow()) return Result<HireOutcome>.Ok(new HireOutcome(job.State.View(JobId), PaymentMethods.Wallet, null));

        var checkout = GrainFactory.GetGrain<IDepositCheckoutGrain>(s.CheckoutId!);
        var view = await checkout.Get();
        if (view is null)
        {
            var opened = await checkout.Open(new DepositCheckoutRequest(s.BuyerId, s.PriceCents, JobId, $"Payment for {s.ServiceTitle} ({s.TierName})"));
            if (opened.Problem is { } problem) return problem;
            view = opened.Value!;
        }
        await Remind();
        return Result<HireOutcome>.Ok(new HireOutcome(s.View(JobId), PaymentMethods.Checkout, view.CheckoutUrl));
    }

    /// <summary>True when the escrow holds the price now (moved now or before).</summary>
    async Task<bool> Escrow()
    {
        var s = job.State;
        if (s.PriceCents > 0)
        {
            var (transfer, details) = JobMoney.Escrow(JobId, s.BuyerId, s.PriceCents, $"Hired {s.WorkerName} for {s.ServiceTitle}");
            var moved = await ledger.Transfer(transfer, details);
            if (moved.Status == TransferStatus.Insufficient) return false;
            if (moved.Status == TransferStatus.Mismatch) logger.LogWarning("Job {JobId}: its escrow was moved before with other legs", JobId);
        }
        var next = s.Copy();
        next.Paid = true;
        next.DueAt = null;
        next.UpdatedAt = clock.GetUtcNow();
        await Save(next);
        return true;
    }

    public async Task PaymentReceived(string checkoutId)
    {
        if (!job.RecordExists) return;
        await CatchUp();
        var s = job.State;
        if (s.Paid || s.Status != JobStatus.Requested || s.CheckoutId != checkoutId) return;
        // The deposit was credited to the buyer's wallet; should the buyer have spent it meanwhile,
        // the job stays unpaid (and is cancelled when due) and the money stays in the wallet.
        if (!await Escrow()) logger.LogInformation("Job {JobId}: checkout {CheckoutId} paid, but the buyer's wallet no longer holds the price", JobId, checkoutId);
    }

    public async Task<JobView?> Get(string agentId)
    {
        if (!job.RecordExists || RoleOf(agentId) is null) return null;
        await CatchUp();
        return job.State.View(JobId, await store.Messages(JobId, MaxMessagesRead));
    }

    public async Task<Result<JobView>> Act(string agentId, JobChange change)
    {
        if (!job.RecordExists || RoleOf(agentId) is not { } role) return NotFound();
        await CatchUp();
        var s = job.State;
        if ((JobRules.CheckChange(change) ?? JobRules.Allowed(change.Action!, role, s.Status, s.Paid)) is { } problem) return problem;

        var now = clock.GetUtcNow();
        var next = s.Copy();
        next.UpdatedAt = now;
        switch (change.Action)
        {
            case JobActions.Accept:
                next.Status = JobStatus.Accepted;
                next.AcceptedAt = now;
                await Save(next, JobEvents.Step(JobId, next, JobEvents.Accepted, JobRules.Buyer));
                break;
            case JobActions.Start:
                next.Status = JobStatus.InProgress;
                next.StartedAt = now;
                await Save(next);
                break;
            case JobActions.Deliver:
                next.Status = JobStatus.Delivered;
                next.Output = change.Output;
                next.DeliveredAt = now;
                next.DueAt = now + Options.AutoCompleteAfter;
                await Save(next, JobEvents.Step(JobId, next, JobEvents.Delivered, JobRules.Buyer));
                await Remind();
                break;
            case JobActions.Dispute:
                // The escrow stays where it is, frozen, until the operator resolves the dispute.
                next.Status = JobStatus.Disputed;
                next.DueAt = null;
                await Save(next);
                break;
            case JobActions.Complete:
                await Release(change.Rating, change.Review);
                break;
            case JobActions.Cancel:
                await Cancel(by: role);
                break;
        }
        return Result<JobView>.Ok(job.State.View(JobId));
    }

    public async Task<Result<JobView>> Resolve(JobResolution resolution)
    {
        if (!job.RecordExists) return NotFound();
        await CatchUp();
        var s = job.State;
        if (JobRules.CheckResolution(resolution, s.PriceCents) is { } invalid) return invalid;
        if (s.Status != JobStatus.Disputed) return Problem.Conflict($"Only a DISPUTED job can be resolved; this one is {s.Status}");

        var now = clock.GetUtcNow();
        var next = s.Copy();
        next.UpdatedAt = now;
        next.Resolution = resolution.Outcome;
        switch (resolution.Outcome)
        {
            case JobOutcomes.Refund:
                await Move(JobMoney.Refund(JobId, s.BuyerId, s.PriceCents, $"Refund (dispute resolved): {s.ServiceTitle}"));
                Finish(next, JobStatus.Cancelled, resolution.Outcome, now);
                await Save(next, JobEvents.Step(JobId, next, JobEvents.Cancelled, JobRules.Buyer, JobRules.Worker));
                break;
            case JobOutcomes.Split:
                var shares = JobMoney.Split(s.PriceCents, resolution.WorkerCents!.Value, Options.PlatformFeePercent, Options.ReferralPercent, s.ReferrerId is not null);
                await Move(JobMoney.Payout(JobId, WalletLedger.JobSplit, s.PriceCents, shares, s.WorkerId, s.BuyerId, s.ReferrerId,
                    $"Dispute split: {s.ServiceTitle}"));
                Finish(next, JobStatus.Completed, resolution.Outcome, now);
                await Save(next, JobEvents.Step(JobId, next, JobEvents.Completed, JobRules.Buyer, JobRules.Worker));
                await RecordWork();
                break;
            default:
                await Release(rating: null, review: null, resolution: JobOutcomes.Release);
                break;
        }
        return Result<JobView>.Ok(job.State.View(JobId));
    }

    /// <summary>
    /// Escrow → worker (price less the fee), platform (fee less the referral), referrer; then COMPLETED.
    /// The worker hears of it; after the operator's resolution, both parties do.
    /// </summary>
    async Task Release(int? rating, string? review, string? resolution = null)
    {
        var s = job.State;
        var shares = JobMoney.Release(s.PriceCents, Options.PlatformFeePercent, Options.ReferralPercent, s.ReferrerId is not null);
        await Move(JobMoney.Payout(JobId, WalletLedger.JobRelease, s.PriceCents, shares, s.WorkerId, s.BuyerId, s.ReferrerId,
            $"Job completed: {s.ServiceTitle}"));
        var now = clock.GetUtcNow();
        var next = s.Copy();
        next.UpdatedAt = now;
        next.Rating = rating;
        next.Review = review;
        Finish(next, JobStatus.Completed, resolution, now);
        await Save(next, CompletedEvents(next));
        await RecordWork();
    }

    /// <summary>
    /// A paid escrow goes back to the buyer; then CANCELLED. The other party hears of it; both do when
    /// nobody asked (<paramref name="by"/> null: an unpaid job cancelled when due).
    /// </summary>
    async Task Cancel(string? by)
    {
        var s = job.State;
        if (s.Paid) await Move(JobMoney.Refund(JobId, s.BuyerId, s.PriceCents, $"Refund: {s.ServiceTitle} was cancelled"));
        var now = clock.GetUtcNow();
        var next = s.Copy();
        next.UpdatedAt = now;
        Finish(next, JobStatus.Cancelled, null, now);
        await Save(next, by switch
        {
            JobRules.Buyer => JobEvents.Step(JobId, next, JobEvents.Cancelled, JobRules.Worker),
            JobRules.Worker => JobEvents.Step(JobId, next, JobEvents.Cancelled, JobRules.Buyer),
            _ => JobEvents.Step(JobId, next, JobEvents.Cancelled, JobRules.Buyer, JobRules.Worker),
        });
    }

    /// <summary>Applies one of the job's transfers; applied now or before, the step's money has moved.</summary>
    async Task Move((LedgerTransfer Transfer, LedgerWrite Details) step)
    {
        if (job.State.PriceCents == 0) return;
        var moved = await ledger.Transfer(step.Transfer, step.Details);
        switch (moved.Status)
        {
            case TransferStatus.Insufficient:
                // The escrow is the job's alone and holds the price from payment to payout: this is a bug, not a refusal.
                throw new InvalidOperationException($"Job {JobId}: escrow short for {step.Transfer.TransferId}");
            case TransferStatus.Mismatch:
                // Applied before with other amounts (the fee settings changed between a crash and its retry): it moved once.
                logger.LogWarning("Job {JobId}: {TransferId} was applied before with other legs", JobId, step.Transfer.TransferId);
                break;
        }
    }

    /// <summary>A due step (unpaid cancellation, auto-completion) happens now if its time has come.</summary>
    async Task CatchUp()
    {
        var s = job.State;
        if (s.DueAt is not { } due || clock.GetUtcNow() < due) return;
        if (s.Status == JobStatus.Requested && !s.Paid) await Cancel(by: null);
        else if (s.Status == JobStatus.Delivered) await Release(rating: null, review: null);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DueReminder) return;
        if (job.RecordExists) await CatchUp();
        if (!job.RecordExists || job.State.DueAt is null) await ClearReminder();
        else await Remind(); // still ahead (a wait longer than one reminder may cover): aim at it again
    }

    public async Task<Result<IReadOnlyList<JobMessage>>> Messages(string agentId)
    {
        if (!job.RecordExists || RoleOf(agentId) is null) return NotFound();
        return Result<IReadOnlyList<JobMessage>>.Ok(await store.Messages(JobId, MaxMessagesRead));
    }

    public async Task<Result<JobMessage>> PostMessage(string agentId, string? content)
    {
        if (!job.RecordExists || RoleOf(agentId) is not { } role) return NotFound();
        if (JobRules.CheckMessage(content) is { } invalid) return invalid;
        var message = new JobMessage(RandomToken.Id("msg"), JobId, role, agentId, content!, clock.GetUtcNow());
        await store.InsertMessage(message, JobEvents.ForMessage(JobId, job.State, message));
        return Result<JobMessage>.Ok(message);
    }

    string? RoleOf(string agentId) =>
        agentId == job.State.BuyerId ? JobRules.Buyer : agentId == job.State.WorkerId ? JobRules.Worker : null;

    static Problem NotFound() => Problem.NotFound("Job not found");

    /// <summary>Row (with the step's events) from the copy, then the state (see the class comment).</summary>
    async Task Save(JobState next, JobEvents? events = null)
    {
        var existed = job.RecordExists;
        var stored = job.State;
        await store.Upsert(JobId, next, events);
        job.State = next;
        try
        {
            await job.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            job.State = stored;
            try
            {
                if (existed) await store.Upsert(JobId, stored);
                else await store.Delete(JobId);
            }
            catch (Exception undo) when (undo is not OperationCanceledException)
            {
                logger.LogWarning(undo, "Job {JobId}: could not put its row back after a failed state write", JobId);
            }
            throw;
        }
    }

    /// <summary>
    /// Sets the reminder that wakes the job at its due time. It only wakes the job (every call checks
    /// the stored due time), so failing to set it is logged, not answered: the change it follows is
    /// kept. It is set only where a job will wait (an unpaid checkout, a delivery), and never cleared
    /// on the request's path: a tick that finds nothing due clears it then.
    /// </summary>
    async Task Remind()
    {
        if (job.State.DueAt is not { } due) return;
        try
        {
            var wait = due - clock.GetUtcNow();
            wait = wait < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait > MaxReminderWait ? MaxReminderWait : wait;
            await this.RegisterOrUpdateReminder(DueReminder, wait, TimeSpan.FromHours(1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Job {JobId}: could not set its due reminder", JobId);
        }
    }

    async Task ClearReminder()
    {
        if (await this.GetReminder(DueReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Recomputes the worker's jobsCompleted and rating from the read model (so a repeat is harmless).
    /// After the completion is kept; should it fail, the next completion of that worker corrects it.
    /// </summary>
    async Task RecordWork()
    {
        var workerId = job.State.WorkerId;
        try
        {
            var (completed, rating) = await store.WorkerStats(workerId);
            await GrainFactory.GetGrain<IAgentGrain>(workerId).RecordWork(completed, rating);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Job {JobId}: could not record the work of {WorkerId}", JobId, workerId);
        }
    }

    JobEvents CompletedEvents(JobState next) => next.Resolution is null
        ? JobEvents.Step(JobId, next, JobEvents.Completed, JobRules.Worker)
        : JobEvents.Step(JobId, next, JobEvents.Completed, JobRules.Buyer, JobRules.Worker);
}
