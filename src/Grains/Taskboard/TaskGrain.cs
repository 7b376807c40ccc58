using Actors.Grains.Ledger;
using Actors.Grains.Platform;
using Actors.Grains.Wallets;
using Actors.Grains.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Taskboard;

/// <summary>
/// One taskboard task (see <see cref="ITaskGrain"/>): its whole state in grain state (bounded, see
/// <see cref="TaskState"/>), mirrored in its <c>taskboard_tasks</c> row for polls and lists.
/// <para>
/// Order of steps: creation writes the state first (so the task exists to own its escrow), then
/// escrows the reward, then writes the row; a state without a row is finished on the first call if
/// the escrow is on the ledger, else forgotten. Every later step that moves money moves it first
/// (its transfer id names the task and the step), then writes the row with its events and delivery
/// in one batch, then the state. A crash between the money and the state is found on the next
/// activation (<see cref="Recover"/>: the release or refund on the ledger finishes the step); a
/// state write that fails after its row puts the row back, or the next activation corrects it.
/// </para>
/// <para>
/// Time: the stored lease end and review due time decide, against the clock, at the start of every
/// call (<see cref="CatchUp"/>); the reminder and the sweep only wake the grain, which then deactivates.
/// </para>
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class TaskGrain(
    [PersistentState("taskboard-task", "store")] IPersistentState<TaskState> task,
    TaskStore store,
    LedgerGroupCommit ledger,
    LedgerStore balances,
    IOptions<TaskboardOptions> options,
    ILogger<TaskGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, ITaskGrain, IRemindable
{
    const string DueReminder = "task-due";
    static readonly TimeSpan MaxReminderWait = TimeSpan.FromDays(30);

    bool _loaded;
    bool _rowWritten;

    string Id => this.GetPrimaryKeyString();

    TaskboardOptions Options => options.Value;

    bool Exists => task.RecordExists && _rowWritten;

    /// <summary>
    /// Reads the row on the first call of an activation (in the call, so a database away is answered
    /// as any failed call is: 503). A creation cut short between its state and its row is finished when
    /// its escrow is on the ledger, else it never was.
    /// </summary>
    async Task Load()
    {
        if (_loaded) return;
        if (task.RecordExists)
        {
            var matches = await store.Matches(Id, task.State);
            if (matches is null)
            {
                if (await balances.TransferExists(TaskMoney.EscrowId(Id)))
                {
                    logger.LogWarning("Task {TaskId}: its reward was escrowed but its row was missing; written now", Id);
                    await store.Write(Id, task.State);
                    _rowWritten = true;
                }
                else await task.ClearStateAsync();
            }
            else
            {
                _rowWritten = true;
                if (!matches.Value)
                {
                    // A row left ahead of a failed state write is brought back to the state.
                    logger.LogWarning("Task {TaskId}: its row differed from its stored state; corrected", Id);
                    await store.Write(Id, task.State);
                }
                await Recover();
            }
        }
        _loaded = true;
    }

    /// <summary>Finishes a step whose release or refund is on the ledger while the state lags (a crash between the money and the state).</summary>
    async Task Recover()
    {
        var s = task.State;
        if (s.IsFinal) return;
        var now = Now();
        if (s.Status == TaskStatuses.Submitted && s.ClaimantAgentId is not null && await balances.TransferExists(TaskMoney.ReleaseId(Id)))
        {
            logger.LogWarning("Task {TaskId}: its reward was released while it was {Status}; finished as COMPLETED", Id, s.Status);
            await Completed(now, s.ReviewDueAt <= now ? TaskStatuses.Automatic : TaskStatuses.ByClient);
        }
        else if (await balances.TransferExists(TaskMoney.RefundId(Id)))
        {
            logger.LogWarning("Task {TaskId}: its reward was refunded while it was {Status}; finished", Id, s.Status);
            if (s.Status == TaskStatuses.Submitted) await Rejected(now, s.RejectionReason);
            else await Cancelled(now);
        }
    }

    public async Task<Result<TaskView>> Create(NewTask request)
    {
        await Load();
        var created = await Post(request);
        // A refused post leaves nothing, not even an activation.
        if (!task.RecordExists) DeactivateOnIdle();
        return created;
    }

    async Task<Result<TaskView>> Post(NewTask request)
    {
        if (task.RecordExists)
        {
            // The same post again (its Idempotency-Key named this task): answered as it is, its creation
            // finished if it was cut short; the reward is escrowed once.
            if (task.State.ClientId != request.ClientId) return Problem.Conflict("This task already exists");
            if (!_rowWritten)
            {
                if (await EscrowReward() is { } unpaid) return unpaid;
                await WriteCreated();
            }
            if (await CatchUp()) await Aim();
            return await View(new TaskViewer(request.ClientId, null));
        }

        var draft = TaskRules.CheckNew(request);
        if (draft.Problem is { } invalid) return invalid;
        var d = draft.Value!;
        // Most short wallets are turned away before anything is written; one spent meanwhile is caught
        // by the escrow itself, and the state is then cleared.
        var balance = await balances.Balance(WalletLedger.Wallet(request.ClientId));
        if (balance < d.RewardCents) return Short(balance, d.RewardCents);

        var now = Now();
        task.State = new TaskState
        {
            ClientId = request.ClientId,
            Title = d.Title,
            Description = d.Description,
            Skills = [.. d.Skills],
            RewardCents = d.RewardCents,
            DeadlineHours = d.DeadlineHours,
            Status = TaskStatuses.Open,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await task.WriteStateAsync();
        if (await EscrowReward() is { } problem) return problem;
        await WriteCreated();
        return await View(new TaskViewer(request.ClientId, null));
    }

    /// <summary>The reward from the client's wallet into the task's escrow; when short, the state is cleared and the 402 answered.</summary>
    async Task<Problem?> EscrowReward()
    {
        var s = task.State;
        var (transfer, details) = TaskMoney.Escrow(Id, s.ClientId, s.RewardCents, s.Title);
        var moved = await ledger.Transfer(transfer, details);
        if (moved.Status == TransferStatus.Insufficient)
        {
            var balance = moved.BalanceOf(WalletLedger.Wallet(s.ClientId));
            await task.ClearStateAsync();
            return Short(balance, s.RewardCents);
        }
        if (moved.Status == TransferStatus.Mismatch)
            logger.LogWarning("Task {TaskId}: {TransferId} was applied before with other legs", Id, transfer.TransferId);
        return null;
    }

    async Task WriteCreated()
    {
        await store.Write(Id, task.State);
        _rowWritten = true;
    }

    public async Task<Result<TaskView>> Get(TaskViewer viewer)
    {
        await Load();
        if (!Exists) return NotFound();
        if (await CatchUp()) await Aim();
        return await View(viewer);
    }

    public async Task<Result<TaskView>> Claim(TaskActor actor)
    {
        await Load();
        if (!Exists) return NotFound();
        var agent = await CheckActor(actor);
        if (agent.Problem is { } refused) return refused;
        if (await CatchUp()) await Aim();
        var s = task.State;
        if (s.Status != TaskStatuses.Open) return TaskRules.NotClaimable(s.Status);

        var now = Now();
        var next = s.Copy();
        next.Status = TaskStatuses.InProgress;
        next.ClaimedBy = agent.Value!.AgentHandle;
        next.ClaimantAgentId = agent.Value.AgentId;
        next.ClaimedAt = now;
        next.LeaseExpiresAt = now.AddHours(s.DeadlineHours);
        next.ReviewDueAt = null;
        next.ClaimNumber++;
        next.UpdatedAt = now;
        await Save(next, [TaskEvents.ClaimedEvent(Id, next)]);
        await Aim();
        return await View(new TaskViewer(null, agent.Value.AgentId));
    }

    public async Task<Result<TaskView>> Deliver(TaskActor actor, TaskDelivery delivery)
    {
        await Load();
        if (!Exists) return NotFound();
        var agent = await CheckActor(actor);
        if (agent.Problem is { } refused) return refused;
        if (TaskRules.CheckDelivery(delivery) is { } invalid) return invalid;
        if (await CatchUp()) await Aim();
        var s = task.State;
        var handle = agent.Value!.AgentHandle;
        if (s.Status is TaskStatuses.InProgress or TaskStatuses.Submitted && s.ClaimedBy != handle)
            return Problem.Forbidden("Only the agent that claimed this task can deliver it");
        if (s.Status != TaskStatuses.InProgress) return TaskRules.NotDeliverable(s.Status);

        var now = Now();
        var next = s.Copy();
        next.Status = TaskStatuses.Submitted;
        next.DeliveryNumber++;
        next.DeliveryAgentHandle = handle;
        next.DeliveryAgentId = agent.Value.AgentId;
        next.DeliveredAt = now;
        next.LeaseExpiresAt = null;
        next.ReviewDueAt = now + Options.ReviewPeriod;
        next.UpdatedAt = now;
        var row = new TaskDeliveryRow(next.DeliveryNumber, handle, delivery.Code, delivery.Url, delivery.Summary!.Trim(),
            TaskRules.Metadata(delivery.MetadataJson), now);
        await Save(next, delivery: row);
        await Aim();
        return await View(new TaskViewer(null, agent.Value.AgentId));
    }

    public async Task<Result<TaskView>> Approve(string clientId)
    {
        await Load();
        if (!Exists || clientId != task.State.ClientId) return NotFound();
        if (await CatchUp()) await Aim();
        if (task.State.Status != TaskStatuses.Submitted) return TaskRules.NotReviewable(task.State.Status, "approved");
        await Release(Now(), TaskStatuses.ByClient);
        await Aim();
        return await View(new TaskViewer(clientId, null));
    }

    public async Task<Result<TaskView>> RequestRevision(string clientId, string? feedback)
    {
        await Load();
        if (!Exists || clientId != task.State.ClientId) return NotFound();
        var text = TaskRules.CheckFeedback(feedback);
        if (text.Problem is { } invalid) return invalid;
        if (await CatchUp()) await Aim();
        var s = task.State;
        if (s.Status != TaskStatuses.Submitted) return TaskRules.NotReviewable(s.Status, "sent back for revision");

        var now = Now();
        var next = s.Copy();
        next.Status = TaskStatuses.InProgress;
        next.LeaseExpiresAt = now.AddHours(s.DeadlineHours);
        next.ReviewDueAt = null;
        next.Revisions++;
        next.Feedback = text.Value;
        next.UpdatedAt = now;
        await Save(next, [TaskEvents.RevisionEvent(Id, next)]);
        await Aim();
        return await View(new TaskViewer(clientId, null));
    }

    public async Task<Result<TaskView>> Reject(string clientId, string? reason)
    {
        await Load();
        if (!Exists || clientId != task.State.ClientId) return NotFound();
        var text = TaskRules.CheckReason(reason);
        if (text.Problem is { } invalid) return invalid;
        if (await CatchUp()) await Aim();
        if (task.State.Status != TaskStatuses.Submitted) return TaskRules.NotReviewable(task.State.Status, "rejected");
        if (await Refund() is { } conflict) return conflict;
        await Rejected(Now(), text.Value);
        await Aim();
        return await View(new TaskViewer(clientId, null));
    }

    public async Task<Result<TaskView>> Cancel(string clientId)
    {
        await Load();
        if (!Exists || clientId != task.State.ClientId) return NotFound();
        if (await CatchUp()) await Aim();
        if (task.State.Status != TaskStatuses.Open) return TaskRules.NotCancellable(task.State.Status);
        if (await Refund() is { } conflict) return conflict;
        await Cancelled(Now());
        await Aim();
        return await View(new TaskViewer(clientId, null));
    }

    public async Task Wake()
    {
        await Load();
        if (Exists)
        {
            await CatchUp();
            await Aim();
        }
        DeactivateOnIdle();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DueReminder) return;
        await Wake();
    }

    /// <summary>What is due happens now: a lapsed lease makes the task OPEN again, a review that passed approves it. True when something changed.</summary>
    async Task<bool> CatchUp()
    {
        if (!Exists) return false;
        var s = task.State;
        var now = Now();
        if (s.Status == TaskStatuses.InProgress && s.LeaseExpiresAt <= now)
        {
            var next = s.Copy();
            next.Status = TaskStatuses.Open;
            next.ClaimedBy = null;
            next.ClaimantAgentId = null;
            next.ClaimedAt = null;
            next.LeaseExpiresAt = null;
            next.UpdatedAt = now;
            await Save(next, [TaskEvents.ExpiredEvent(Id, s, s.LeaseExpiresAt!.Value)]);
            return true;
        }
        if (s.Status == TaskStatuses.Submitted && s.ReviewDueAt <= now)
        {
            await Release(now, TaskStatuses.Automatic);
            return true;
        }
        return false;
    }

    /// <summary>The escrow to the claimant (less the fee) and the task COMPLETED; an escrow already refunded (a crash) finishes that step instead.</summary>
    async Task Release(DateTimeOffset now, string resolvedBy)
    {
        var s = task.State;
        var (transfer, details) = TaskMoney.Release(Id, s.ClaimantAgentId!, s.RewardCents, Options.PlatformFeePercent, s.Title);
        var moved = await ledger.Transfer(transfer, details);
        switch (moved.Status)
        {
            case TransferStatus.Insufficient:
                logger.LogWarning("Task {TaskId}: its escrow was empty at release", Id);
                await Recover();
                return;
            case TransferStatus.Mismatch:
                // Applied before with another fee (the setting changed between a crash and its retry): it moved once.
                logger.LogWarning("Task {TaskId}: {TransferId} was applied before with other legs", Id, transfer.TransferId);
                break;
        }
        await Completed(now, resolvedBy);
    }

    async Task Completed(DateTimeOffset now, string resolvedBy)
    {
        var next = task.State.Copy();
        next.Status = TaskStatuses.Completed;
        next.ResolvedBy = resolvedBy;
        next.AgentEarnedCents = TaskMoney.Shares(next.RewardCents, Options.PlatformFeePercent).Worker;
        next.LeaseExpiresAt = null;
        next.ReviewDueAt = null;
        next.UpdatedAt = now;
        var (completed, rejected) = await store.Record(next.ClaimedBy!, Id);
        await Save(next, [TaskEvents.ApprovedEvent(Id, next, TaskboardKarma.Of(completed + 1, rejected))]);
    }

    /// <summary>The escrow back to the client; a Conflict when it is empty (released meanwhile: the task is finished as that).</summary>
    async Task<Problem?> Refund()
    {
        var s = task.State;
        var (transfer, details) = TaskMoney.Refund(Id, s.ClientId, s.RewardCents, s.Title);
        var moved = await ledger.Transfer(transfer, details);
        if (moved.Status != TransferStatus.Insufficient) return null;
        logger.LogWarning("Task {TaskId}: its escrow was empty at refund", Id);
        await Recover();
        return Problem.Conflict($"Task is {task.State.Status}");
    }

    async Task Rejected(DateTimeOffset now, string? reason)
    {
        var next = task.State.Copy();
        next.Status = TaskStatuses.Rejected;
        next.RejectionReason = reason;
        next.LeaseExpiresAt = null;
        next.ReviewDueAt = null;
        next.UpdatedAt = now;
        await Save(next, next.ClaimantAgentId is null ? null : [TaskEvents.RejectedEvent(Id, next)]);
    }

    async Task Cancelled(DateTimeOffset now)
    {
        var next = task.State.Copy();
        next.Status = TaskStatuses.Cancelled;
        next.ClaimedBy = null;
        next.ClaimantAgentId = null;
        next.ClaimedAt = null;
        next.LeaseExpiresAt = null;
        next.ReviewDueAt = null;
        next.UpdatedAt = now;
        await Save(next);
    }

    /// <summary>
    /// The agent the actor names, when its key is that agent's: 400 for no handle, 404 for one never
    /// connected, 403 for another agent's key (the seed's body alone proves nothing).
    /// </summary>
    async Task<Result<TaskboardAgentView>> CheckActor(TaskActor actor)
    {
        var handle = TaskboardHandle.Normalize(actor.AgentHandle);
        if (handle is null) return Problem.Invalid("agentId", "agentId is required: your agent id on the taskboard (1 to 64 letters, digits, '-', '_' or '.')");
        var agent = await GrainFactory.GetGrain<ITaskboardAgentGrain>(TaskboardHandle.GrainId(handle)).Get();
        if (agent is null) return Problem.NotFound($"Agent '{handle}' not found");
        if (agent.AgentId != actor.CallerAgentId) return Problem.Forbidden("agentId is not the agent of this API key");
        return Result<TaskboardAgentView>.Ok(agent);
    }

    /// <summary>Row (with its events and delivery) first, then the state; a state that cannot be written puts the row back.</summary>
    async Task Save(TaskState next, IReadOnlyList<WebhookEvent>? events = null, TaskDeliveryRow? delivery = null)
    {
        var stored = task.State;
        await store.Write(Id, next, events, delivery);
        task.State = next;
        try
        {
            await task.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            task.State = stored;
            try { await store.Write(Id, stored); }
            catch (Exception undo) when (undo is not OperationCanceledException)
            {
                logger.LogWarning(undo, "Task {TaskId}: could not put its row back after a failed state write", Id);
            }
            throw;
        }
    }

    async Task<Result<TaskView>> View(TaskViewer viewer)
    {
        var s = task.State;
        TaskDeliveryView? delivery = null;
        if (s.DeliveryNumber > 0 && s.DeliveryAgentHandle is { } deliveredBy)
        {
            var visible = (viewer.ClientId is not null && viewer.ClientId == s.ClientId)
                || (viewer.AgentId is not null && viewer.AgentId == s.DeliveryAgentId);
            var row = visible ? await store.Delivery(Id, s.DeliveryNumber) : null;
            delivery = row is null
                ? new TaskDeliveryView(s.DeliveryNumber, deliveredBy, s.DeliveredAt ?? s.UpdatedAt, false, null, null, null, null)
                : new TaskDeliveryView(row.Number, row.AgentHandle, row.SubmittedAt, true, row.Code, row.Url, row.Summary, row.MetadataJson);
        }
        return Result<TaskView>.Ok(new TaskView(Id, s.ClientId, s.Title, s.Description, s.Skills, s.RewardCents, s.Status, s.DeadlineHours,
            s.ClaimedBy, s.ClaimedAt, s.Status == TaskStatuses.InProgress ? s.LeaseExpiresAt : null,
            s.Status == TaskStatuses.Submitted ? s.ReviewDueAt : null, delivery, s.Feedback, s.RejectionReason, s.Revisions, s.ResolvedBy,
            s.Status == TaskStatuses.Completed ? s.AgentEarnedCents : null, s.CreatedAt, s.UpdatedAt));
    }

    /// <summary>
    /// Aims the reminder at the next due time, or removes it when nothing is due. It only wakes the
    /// grain, and the sweep finds what it misses, so a failure is logged, never answered.
    /// </summary>
    async Task Aim()
    {
        try
        {
            if (task.RecordExists && task.State.NextDueAt is { } due)
            {
                var min = Options.MinReminderWait;
                var wait = due - Now();
                wait = wait < min ? min : wait > MaxReminderWait ? MaxReminderWait : wait;
                var period = min > TimeSpan.FromMinutes(1) ? min : TimeSpan.FromMinutes(1);
                await this.RegisterOrUpdateReminder(DueReminder, wait, period);
            }
            else if (await this.GetReminder(DueReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Task {TaskId}: could not set its due reminder", Id);
        }
    }

    DateTimeOffset Now() => PgTime.Stored(clock.GetUtcNow());

    static Problem Short(long balance, long reward) =>
        Problem.PaymentRequired($"Insufficient balance: your wallet holds {Usdc.Format(balance)} USDC, the reward is {Usdc.Format(reward)} USDC");

    /// <summary>An id that names nothing does not stay in memory.</summary>
    Problem NotFound()
    {
        if (!task.RecordExists) DeactivateOnIdle();
        return Problem.NotFound("Task not found");
    }
}
