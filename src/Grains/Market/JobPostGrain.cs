using Actors.Grains.Feed;
using Actors.Grains.Identity;
using Actors.Grains.Ledger;
using Actors.Grains.Platform;
using Actors.Grains.Wallets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Market;

/// <summary>
/// One job post: the single writer of its bids (<c>market_bids</c>) and of its <c>market_job_posts</c>
/// row. Its state is the post's definition alone (<see cref="JobPostState"/>, written once); what it
/// decides from is in memory: one <see cref="BidEntry"/> per bid (no text: bounded by
/// <see cref="JobPostLimits.MaxBidsPerPost"/>), loaded from the table on activation.
/// <para>
/// Decide in memory, write once: the bids of one <see cref="SubmitBids"/> call (the API batches the
/// bids that arrive together) are decided in order against the entries, their rows and events are
/// gathered in a <see cref="JobPostWrite"/> and written as ONE batch at the end; only then are they
/// answered. A write that fails leaves the entries ahead of the table: the activation refuses every
/// further call and deactivates, and the next one reloads from the table. Nothing is answered that
/// is not durable.
/// </para>
/// <para>
/// Money before state, as a job's: an acceptance first writes what is decided so far (the bid's row
/// as PENDING included), then moves the bid's escrow (its transfer id is the bid's, so it moves once,
/// ever), then marks it ACCEPTED; a completion, split or refund moves the money, then writes the
/// status. A crash in between leaves money that moved under a row that lags; the next activation
/// (<see cref="Recover"/>) looks the transfers of the bids that could have moved money up in one query
/// and finishes those steps, with their events under the same ids.
/// </para>
/// <para>
/// Outbid notices have a bounded fan-out: a bid (new, or an update that lowers its price) newly
/// undercuts the other agents' live PENDING bids priced above it (for an update: above its new price
/// and at or below its old one). Each undercut bidder is told once per price of theirs (the entry's
/// <see cref="BidEntry.OutbidNotified"/>, reset when it changes its price), never once per bid that
/// undercuts it: a storm of n bids writes O(n) notices, not O(n²).
/// </para>
/// <para>
/// Time: the post is OPEN until its accepted bids reach its maximum or its deadline passes; every call
/// first catches up with the clock (the deadline expires the pending bids; a delivery the poster
/// neither completes nor disputes within the market's auto-complete time completes). The reminder,
/// aimed at the earliest due time, only wakes the grain to do the same.
/// </para>
/// </summary>
public sealed class JobPostGrain(
    [PersistentState("market-job-post", "store")] IPersistentState<JobPostState> post,
    JobPostStore store,
    JobPostAudience audience,
    JobStore jobs,
    FeedStore feed,
    LedgerGroupCommit ledger,
    IOptions<MarketOptions> options,
    ILogger<JobPostGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IJobPostGrain, IRemindable
{
    const string DueReminder = "job-post-due";
    static readonly TimeSpan MaxReminderWait = TimeSpan.FromDays(30);

    readonly List<BidEntry> _bids = [];
    readonly Dictionary<string, BidEntry> _byId = new(StringComparer.Ordinal);
    /// <summary>Each agent's bid that still counts as its one bid (every status but WITHDRAWN).</summary>
    readonly Dictionary<string, BidEntry> _byBidder = new(StringComparer.Ordinal);
    int _live;
    int _accepted;
    int _delivered;
    bool _rowExists;
    /// <summary>The post's row changed (it closed) with no bid changing: the next write carries it anyway.</summary>
    bool _rowChanged;
    DateTimeOffset _updatedAt;
    DateTimeOffset? _closedAt;
    DateTimeOffset? _reminderFor;
    double _posterRating;
    bool _broken;
    JobPostWrite _write = new();
    /// <summary>Called after each write that committed (the answers waiting for it are durable now).</summary>
    Action? _written;
    readonly List<string> _workDone = [];

    string PostId => this.GetPrimaryKeyString();

    JobPostState Post => post.State;

    MarketOptions Options => options.Value;

    bool Open => _closedAt is null;

    public override Task OnActivateAsync(CancellationToken ct) => StorageFailures.Activating(async () =>
    {
        if (!post.RecordExists) return;
        var (row, bids) = await store.Load(PostId);
        _rowExists = row is not null;
        _updatedAt = row?.UpdatedAt ?? Post.CreatedAt;
        _closedAt = row?.ClosedAt;
        foreach (var bid in bids) Track(bid);
        _posterRating = (await GrainFactory.GetGrain<IAgentGrain>(Post.PosterId).GetProfile())?.Rating ?? 0;
        // The creation's batch never committed (its state write did): write it now, under its ids.
        if (!_rowExists) await WriteCreation();
        await Recover();
        await RecordWork();
        await Remind(force: true);
    });

    /// <summary>Finishes the steps whose money moved but whose rows lag (see the class comment).</summary>
    async Task Recover()
    {
        var ids = new List<string>();
        foreach (var bid in _bids)
        {
            if (bid.Status == BidStatus.Pending) ids.Add(JobMoney.EscrowId(bid.Id));
            else if (BidStatus.HoldsEscrow(bid.Status)) ids.AddRange([JobMoney.ReleaseId(bid.Id), JobMoney.SplitId(bid.Id), JobMoney.RefundId(bid.Id)]);
        }
        if (ids.Count == 0) return;
        var moved = await jobs.ExistingTransfers([.. ids]);
        if (moved.Count == 0) return;
        var now = clock.GetUtcNow();
        foreach (var bid in _bids.ToList())
        {
            var before = bid.Status;
            if (bid.Status == BidStatus.Pending && moved.Contains(JobMoney.EscrowId(bid.Id)))
            {
                Accept(bid, now);
                // An instant accept tells the poster of the bid only once its escrow is decided: the same
                // id, so a notice written before (a bid the poster accepted by hand) is not written again.
                JobPostEvents.TellReceived(_write, PostId, Post, bid, "", JobPostEvents.Instant.Accepted);
            }
            else if (!BidStatus.HoldsEscrow(bid.Status)) continue;
            else if (moved.Contains(JobMoney.ReleaseId(bid.Id))) Completed(bid, bid.Status == BidStatus.Disputed ? JobOutcomes.Release : null, now);
            else if (moved.Contains(JobMoney.SplitId(bid.Id))) Completed(bid, JobOutcomes.Split, now);
            else if (moved.Contains(JobMoney.RefundId(bid.Id))) Refunded(bid, now);
            if (bid.Status != before)
                logger.LogWarning("Job post {PostId}: money of bid {BidId} had moved ahead of its row ({Status}); finished as {Next}", PostId, bid.Id, before, bid.Status);
        }
        await Flush();
    }

    public async Task<Result<JobPostView>> Create(NewJobPost request)
    {
        ThrowIfBroken();
        if (post.RecordExists)
        {
            // The same post again (its Idempotency-Key named it): answer it.
            if (Post.PosterId != request.PosterId) return Problem.Conflict("This job post already exists");
            if (!_rowExists) await WriteCreation();
            await CatchUp();
            return Result<JobPostView>.Ok(View());
        }
        var now = clock.GetUtcNow();
        if (JobPostRules.CheckNewPost(request, now) is { } invalid) return invalid;
        var poster = await GrainFactory.GetGrain<IAgentGrain>(request.PosterId).GetProfile();
        if (poster is null) return Problem.NotFound("Agent not found");

        post.State = new JobPostState
        {
            PosterId = poster.Id,
            PosterName = poster.Name,
            PosterAvatarUrl = poster.AvatarUrl,
            Title = request.Title!.Trim(),
            Description = request.Description!.Trim(),
            Category = JobPostRules.Category(request.Category!),
            Tags = JobPostRules.Tags(request.Tags),
            BudgetCents = request.BudgetCents!.Value,
            Deadline = request.Deadline?.ToUniversalTime(),
            InstantAcceptCents = request.InstantAcceptCents,
            MultiBid = request.MultiBid is true,
            MaxAcceptedBids = JobPostRules.MaxAccepted(request.MultiBid, request.MaxAcceptedBids),
            CreatedAt = now,
        };
        _posterRating = poster.Rating;
        _updatedAt = now;
        try
        {
            await post.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not created: a retry starts over.
            DeactivateOnIdle();
            throw;
        }
        await WriteCreation();
        await Remind(force: true);
        return Result<JobPostView>.Ok(View());
    }

    /// <summary>The post's first row with its announcement: the JOB_POSTED feed post, and the matching agents' event and notice.</summary>
    async Task WriteCreation()
    {
        var agents = await audience.Matching(Post.Category, Post.Tags, Post.PosterId);
        _write.FeedPosts.Add(JobPostEvents.PostedPost(feed, PostId, Post));
        JobPostEvents.Announced(_write, View(), agents);
        await Flush();
    }

    public async Task<JobPostView?> Get()
    {
        ThrowIfBroken();
        if (!post.RecordExists) return null;
        await CatchUp();
        return View();
    }

    public async Task<BatchAnswer<BidPlaced>[]> SubmitBids(NewBid[] bids)
    {
        var answers = new BatchAnswer<BidPlaced>?[bids.Length];
        if (!post.RecordExists)
        {
            Array.Fill(answers, BatchAnswer<BidPlaced>.Of(NotFound()));
            return answers!;
        }
        var waiting = new List<(int Index, Result<BidPlaced> Answer)>();
        var next = 0;
        try
        {
            ThrowIfBroken();
            await CatchUp();
            var ids = bids.Select(b => b.BidderId).Distinct(StringComparer.Ordinal).ToArray();
            var found = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IAgentGrain>(id).GetProfile()));
            var profiles = new Dictionary<string, AgentProfile?>(StringComparer.Ordinal);
            for (var i = 0; i < ids.Length; i++) profiles[ids[i]] = found[i];

            _written = () =>
            {
                foreach (var (index, answer) in waiting) answers[index] = BatchAnswer<BidPlaced>.Of(answer);
                waiting.Clear();
            };
            var now = clock.GetUtcNow();
            for (; next < bids.Length; next++)
            {
                var answer = await Place(bids[next], profiles[bids[next].BidderId], now);
                waiting.Add((next, answer));
            }
            await Flush();
            _written();
            await Remind();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Job post {PostId}: a batch of {Count} bids failed", PostId, bids.Length);
            Break(e);
            var failed = BatchAnswer<BidPlaced>.Failed(StorageFailures.Translate(e));
            foreach (var (index, _) in waiting) answers[index] = failed;
            for (var i = 0; i < answers.Length; i++) answers[i] ??= failed;
        }
        finally
        {
            _written = null;
        }
        return answers!;
    }

    /// <summary>Decides one new bid (see the class comment); flushes first when it is accepted on arrival.</summary>
    async Task<Result<BidPlaced>> Place(NewBid request, AgentProfile? bidder, DateTimeOffset now)
    {
        if (JobPostRules.CheckBid(request.PriceCents, request.Message) is { } invalid) return invalid;
        if (bidder is null) return Problem.NotFound("Agent not found");
        if (bidder.Id == Post.PosterId) return Problem.Invalid("jobPostId", "You cannot bid on your own job post");
        if (!Open) return Closed();
        if (_byBidder.TryGetValue(bidder.Id, out var mine))
            return Problem.Conflict(mine.Status == BidStatus.Pending
                ? $"You already have a bid on this post: update it with PATCH /api/agents/jobs/{PostId}/bids/{mine.Id}"
                : $"You already bid on this post (your bid {mine.Id} is {mine.Status})");
        if (_bids.Count >= JobPostLimits.MaxBidsPerPost) return Problem.Conflict($"This post takes no more bids (at most {JobPostLimits.MaxBidsPerPost})");

        var message = request.Message ?? "";
        var bid = new BidEntry
        {
            Id = RandomToken.Id("bid"),
            BidderId = bidder.Id,
            BidderName = bidder.Name,
            Seq = _bids.Count + 1,
            CreatedAt = now,
            PriceCents = request.PriceCents!.Value,
            PriceSetAt = now,
            UpdatedAt = now,
        };
        Track(bid);
        _write.Insert(bid, message);
        _write.FeedPosts.Add(JobPostEvents.SubmittedPost(feed, Post, bid));
        var outbid = TellUndercut(bid, oldPriceCents: null);

        if (!JobPostRules.AcceptsInstantly(Post.InstantAcceptCents, bid.PriceCents, _accepted, Post.MaxAcceptedBids))
        {
            JobPostEvents.TellReceived(_write, PostId, Post, bid, message, JobPostEvents.Instant.No);
            return Placed(bid, message, bidder, outbid);
        }
        await Flush(); // the bid durable as PENDING before its escrow moves
        if (await Escrow(bid) is not null)
        {
            JobPostEvents.TellReceived(_write, PostId, Post, bid, message, JobPostEvents.Instant.Unpaid);
            return Placed(bid, message, bidder, outbid);
        }
        var rejected = Accept(bid, now);
        JobPostEvents.TellReceived(_write, PostId, Post, bid, message, JobPostEvents.Instant.Accepted);
        return Placed(bid, message, bidder, outbid, View(), rejected);
    }

    Result<BidPlaced> Placed(BidEntry bid, string message, AgentProfile bidder, int outbid, JobPostView? after = null, int rejected = 0) =>
        Result<BidPlaced>.Ok(new BidPlaced(
            new BidView(bid.Id, PostId, bid.BidderId, bid.BidderName, bidder.Rating, bid.PriceCents, message, bid.Status, [], null, null,
                bid.Resolution, bid.CreatedAt, bid.UpdatedAt, bid.AcceptedAt, bid.DeliveredAt, bid.CompletedAt),
            _live, outbid, JobPostRules.Standing(_bids, bid), after, rejected));

    /// <summary>Tells the bidders <paramref name="bid"/> newly undercuts, once per price of theirs; how many it undercuts.</summary>
    int TellUndercut(BidEntry bid, long? oldPriceCents)
    {
        var undercut = JobPostRules.Undercut(_bids, bid, oldPriceCents);
        foreach (var other in undercut)
        {
            if (other.OutbidNotified) continue;
            other.OutbidNotified = true;
            _write.Update(other);
            JobPostEvents.TellOutbid(_write, PostId, Post, other, bid.PriceCents);
        }
        return undercut.Count;
    }

    /// <summary>
    /// Moves the bid's price from the poster's wallet into the bid's escrow (or finds it moved before).
    /// Null when the escrow holds it now; otherwise the 402 that says what the wallet holds.
    /// </summary>
    async Task<Problem?> Escrow(BidEntry bid)
    {
        var (transfer, details) = JobMoney.Escrow(bid.Id, Post.PosterId, bid.PriceCents,
            $"Accepted {bid.BidderName}'s bid on {Post.Title}", walletJobId: PostId);
        var moved = await ledger.Transfer(transfer, details);
        switch (moved.Status)
        {
            case TransferStatus.Insufficient:
                var holds = moved.BalanceOf(WalletLedger.Wallet(Post.PosterId));
                return Problem.PaymentRequired(
                    $"Your wallet holds ${Usd.Format(holds)} but this bid is ${Usd.Format(bid.PriceCents)}: deposit the difference to accept it");
            case TransferStatus.Mismatch:
                logger.LogWarning("Job post {PostId}: the escrow of bid {BidId} was moved before with other legs", PostId, bid.Id);
                break;
        }
        return null;
    }

    /// <summary>
    /// Marks a bid whose escrow holds its price ACCEPTED; when that fills the post, it closes and its
    /// other pending bids are rejected. How many it rejected.
    /// </summary>
    int Accept(BidEntry bid, DateTimeOffset now)
    {
        SetStatus(bid, BidStatus.Accepted, now);
        bid.AcceptedAt = now;
        JobPostEvents.TellAccepted(_write, PostId, Post, bid);
        _write.FeedPosts.Add(JobPostEvents.AcceptedPost(feed, Post, bid));
        if (_accepted < Post.MaxAcceptedBids || !Open) return 0;
        _closedAt = now;
        var rejected = 0;
        foreach (var other in _bids)
        {
            if (other.Status != BidStatus.Pending) continue;
            SetStatus(other, BidStatus.Rejected, now);
            JobPostEvents.TellRejected(_write, PostId, Post, other, closed: true);
            rejected++;
        }
        return rejected;
    }

    public async Task<Result<BidList>> ListBids()
    {
        ThrowIfBroken();
        if (!post.RecordExists) return NotFound();
        await CatchUp();
        var bids = await store.Bids(PostId);
        long? lowest = null;
        foreach (var bid in _bids)
            if (bid.IsLive && (lowest is null || bid.PriceCents < lowest)) lowest = bid.PriceCents;
        return Result<BidList>.Ok(new BidList(bids, lowest, _live));
    }

    public async Task<Result<BidChanged>> ChangeBid(string bidId, BidChange change)
    {
        ThrowIfBroken();
        if (!post.RecordExists) return NotFound();
        if (!_byId.TryGetValue(bidId, out var bid)) return Problem.NotFound("Bid not found");
        if (change.Status is { Length: <= 32 } named) change = change with { Status = named.Trim().ToUpperInvariant() }; // "accepted" is ACCEPTED
        if (JobPostRules.CheckChange(change) is { } invalid) return invalid;
        await CatchUp();
        var role = change.AgentId == Post.PosterId ? JobPostRules.Poster : change.AgentId == bid.BidderId ? JobPostRules.Bidder : null;
        if (JobPostRules.Allowed(change, role, bid.Status, Open) is { } refused) return refused;

        var now = clock.GetUtcNow();
        int rejected = 0, outbid = 0;
        try
        {
            switch (change.Status)
            {
                case null:
                    outbid = Update(bid, change.PriceCents, change.Message, now);
                    break;
                case BidStatus.Withdrawn:
                    SetStatus(bid, BidStatus.Withdrawn, now);
                    JobPostEvents.TellWithdrawn(_write, PostId, Post, bid);
                    break;
                case BidStatus.Delivered:
                    SetStatus(bid, BidStatus.Delivered, now);
                    bid.DeliveredAt = now;
                    var note = string.IsNullOrWhiteSpace(change.DeliveryNote) ? null : change.DeliveryNote;
                    var url = string.IsNullOrWhiteSpace(change.DeliveryUrl) ? null : change.DeliveryUrl.Trim();
                    _write.Deliveries[bid.Id] = (note, url);
                    JobPostEvents.TellDelivered(_write, PostId, Post, bid, note, url);
                    break;
                case BidStatus.Accepted:
                    if (await Escrow(bid) is { } shortWallet) return shortWallet;
                    rejected = Accept(bid, now);
                    break;
                case BidStatus.Rejected:
                    SetStatus(bid, BidStatus.Rejected, now);
                    JobPostEvents.TellRejected(_write, PostId, Post, bid, closed: false);
                    break;
                case BidStatus.Completed:
                    await Release(bid, resolution: null);
                    break;
                case BidStatus.Disputed:
                    // The escrow stays where it is, frozen, until the operator resolves the dispute.
                    SetStatus(bid, BidStatus.Disputed, now);
                    JobPostEvents.TellDisputed(_write, PostId, Post, bid);
                    break;
            }
            await Flush();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Break(e);
            throw;
        }
        await Remind();
        await RecordWork();
        return Result<BidChanged>.Ok(new BidChanged(await BidView(bid), View(), rejected, outbid));
    }

    /// <summary>A new price and/or message; the price pushed onto the history, the bids it now undercuts told. How many it undercuts.</summary>
    int Update(BidEntry bid, long? priceCents, string? message, DateTimeOffset now)
    {
        var old = bid.PriceCents;
        if (priceCents is { } price && price != old)
        {
            _write.EarlierPrices[bid.Id] = new BidPrice(old, bid.PriceSetAt);
            bid.PriceCents = price;
            bid.PriceSetAt = now;
            bid.OutbidNotified = false;
        }
        if (message is not null) _write.Messages[bid.Id] = message;
        bid.UpdatedAt = now;
        _write.Update(bid);
        JobPostEvents.TellUpdated(_write, PostId, Post, bid, old, message);
        return bid.PriceCents < old ? TellUndercut(bid, old) : 0;
    }

    public async Task<Result<BidView>> ResolveBid(string bidId, JobResolution resolution)
    {
        ThrowIfBroken();
        if (!post.RecordExists) return NotFound();
        if (!_byId.TryGetValue(bidId, out var bid)) return Problem.NotFound("Bid not found");
        await CatchUp();
        if (JobRules.CheckResolution(resolution, bid.PriceCents) is { } invalid) return invalid;
        if (bid.Status != BidStatus.Disputed) return Problem.Conflict($"Only a DISPUTED bid can be resolved; this one is {bid.Status}");
        var now = clock.GetUtcNow();
        try
        {
            switch (resolution.Outcome)
            {
                case JobOutcomes.Refund:
                    await Move(bid, JobMoney.Refund(bid.Id, Post.PosterId, bid.PriceCents, $"Refund (dispute resolved): {Post.Title}", PostId));
                    Refunded(bid, now);
                    break;
                case JobOutcomes.Split:
                    var referrer = await ReferrerOf(bid.BidderId);
                    var shares = JobMoney.Split(bid.PriceCents, resolution.WorkerCents!.Value, Options.PlatformFeePercent, Options.ReferralPercent, referrer is not null);
                    await Move(bid, JobMoney.Payout(bid.Id, WalletLedger.JobSplit, bid.PriceCents, shares, bid.BidderId, Post.PosterId, referrer,
                        $"Dispute split: {Post.Title}", PostId));
                    Completed(bid, JobOutcomes.Split, now);
                    break;
                default:
                    await Release(bid, JobOutcomes.Release);
                    break;
            }
            await Flush();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Break(e);
            throw;
        }
        await RecordWork();
        return Result<BidView>.Ok(await BidView(bid));
    }

    /// <summary>Escrow → bidder (price less the fee), platform (fee less the referral), the bidder's referrer; then COMPLETED.</summary>
    async Task Release(BidEntry bid, string? resolution)
    {
        var referrer = await ReferrerOf(bid.BidderId);
        var shares = JobMoney.Release(bid.PriceCents, Options.PlatformFeePercent, Options.ReferralPercent, referrer is not null);
        await Move(bid, JobMoney.Payout(bid.Id, WalletLedger.JobRelease, bid.PriceCents, shares, bid.BidderId, Post.PosterId, referrer,
            $"Bid completed: {Post.Title}", PostId));
        Completed(bid, resolution, clock.GetUtcNow());
    }

    async Task<string?> ReferrerOf(string agentId) => (await GrainFactory.GetGrain<IAgentGrain>(agentId).GetProfile())?.ReferredBy;

    void Completed(BidEntry bid, string? resolution, DateTimeOffset now)
    {
        SetStatus(bid, BidStatus.Completed, now);
        bid.CompletedAt ??= now;
        bid.Resolution ??= resolution;
        JobPostEvents.TellCompleted(_write, PostId, Post, bid);
        _workDone.Add(bid.BidderId);
    }

    void Refunded(BidEntry bid, DateTimeOffset now)
    {
        SetStatus(bid, BidStatus.Cancelled, now);
        bid.Resolution ??= JobOutcomes.Refund;
        JobPostEvents.TellCancelled(_write, PostId, Post, bid);
    }

    /// <summary>Applies one of a bid's transfers; applied now or before, the step's money has moved.</summary>
    async Task Move(BidEntry bid, (LedgerTransfer Transfer, LedgerWrite Details) step)
    {
        var moved = await ledger.Transfer(step.Transfer, step.Details);
        switch (moved.Status)
        {
            case TransferStatus.Insufficient:
                // The escrow is the bid's alone and holds its price from acceptance to payout: a bug, not a refusal.
                throw new InvalidOperationException($"Job post {PostId}: escrow of bid {bid.Id} short for {step.Transfer.TransferId}");
            case TransferStatus.Mismatch:
                logger.LogWarning("Job post {PostId}: {TransferId} was applied before with other legs", PostId, step.Transfer.TransferId);
                break;
        }
    }

    /// <summary>What is due by now happens now: the deadline closes the post and expires its pending bids; idle deliveries complete.</summary>
    async Task CatchUp()
    {
        var now = clock.GetUtcNow();
        if (Open && Post.Deadline is { } deadline && now >= deadline)
        {
            _closedAt = deadline;
            _rowChanged = true;
            foreach (var bid in _bids)
            {
                if (bid.Status != BidStatus.Pending) continue;
                SetStatus(bid, BidStatus.Expired, now);
                JobPostEvents.TellExpired(_write, PostId, Post, bid);
            }
        }
        if (_delivered > 0)
            foreach (var bid in _bids.Where(b => b.Status == BidStatus.Delivered && b.DeliveredAt + Options.AutoCompleteAfter <= now).ToList())
                await Release(bid, resolution: null);
        await Flush();
        await RecordWork();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DueReminder || _broken) return;
        if (post.RecordExists) await CatchUp();
        if (!post.RecordExists || DueAt() is null)
        {
            if (await this.GetReminder(DueReminder) is { } reminder) await this.UnregisterReminder(reminder);
            _reminderFor = null;
        }
        else await Remind(force: true); // still ahead (a wait longer than one reminder may cover): aim at it again
    }

    /// <summary>The earliest time the post changes by itself: its deadline while OPEN, a delivery's auto-completion.</summary>
    DateTimeOffset? DueAt()
    {
        DateTimeOffset? due = Open ? Post.Deadline : null;
        if (_delivered > 0)
            foreach (var bid in _bids)
                if (bid.Status == BidStatus.Delivered && bid.DeliveredAt + Options.AutoCompleteAfter is { } at && (due is null || at < due))
                    due = at;
        return due;
    }

    /// <summary>
    /// Aims the reminder at the due time when that changed (never on the bid path otherwise). It only
    /// wakes the post (every call checks the clock), so failing to set it is logged, not answered.
    /// </summary>
    async Task Remind(bool force = false)
    {
        if (DueAt() is not { } due || (!force && due == _reminderFor)) return;
        try
        {
            var wait = due - clock.GetUtcNow();
            wait = wait < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait > MaxReminderWait ? MaxReminderWait : wait;
            await this.RegisterOrUpdateReminder(DueReminder, wait, TimeSpan.FromHours(1));
            _reminderFor = due;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Job post {PostId}: could not set its due reminder", PostId);
        }
    }

    /// <summary>
    /// Writes what was decided since the last write, with the post's row, as one batch. A failure
    /// leaves the entries ahead of the table: this activation takes no further call.
    /// </summary>
    async Task Flush()
    {
        if (_write.IsEmpty && _rowExists && !_rowChanged) return;
        var write = _write;
        _write = new JobPostWrite();
        _updatedAt = clock.GetUtcNow();
        try
        {
            await store.Write(PostId, Post, new JobPostStore.PostCounts(Open ? JobPostStatus.Open : JobPostStatus.Closed, _live, _accepted, _updatedAt, _closedAt), write);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Break(e);
            throw;
        }
        _rowExists = true;
        _rowChanged = false;
        _written?.Invoke();
    }

    void Break(Exception e)
    {
        if (_broken) return;
        _broken = true;
        logger.LogWarning(e, "Job post {PostId}: a write failed; the activation reloads from the table", PostId);
        DeactivateOnIdle();
    }

    void ThrowIfBroken()
    {
        if (_broken) throw new StorageUnavailableException("This job post is reloading after a failed write; try again");
    }

    /// <summary>
    /// Recomputes the completed bidders' jobsCompleted from the read models (a repeat is harmless).
    /// After the completion is kept; should it fail, the next completion of that agent corrects it.
    /// </summary>
    async Task RecordWork()
    {
        if (_workDone.Count == 0) return;
        var agents = _workDone.Distinct().ToList();
        _workDone.Clear();
        foreach (var agentId in agents)
        {
            try
            {
                var (completed, rating) = await jobs.WorkerStats(agentId);
                await GrainFactory.GetGrain<IAgentGrain>(agentId).RecordWork(completed, rating);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Job post {PostId}: could not record the work of {AgentId}", PostId, agentId);
            }
        }
    }

    void Track(BidEntry bid)
    {
        _bids.Add(bid);
        _byId[bid.Id] = bid;
        if (bid.Status != BidStatus.Withdrawn) _byBidder[bid.BidderId] = bid;
        Count(bid.Status, +1);
    }

    /// <summary>Every status change goes through here: it keeps the counts and marks the bid for the next write.</summary>
    void SetStatus(BidEntry bid, string status, DateTimeOffset now)
    {
        Count(bid.Status, -1);
        bid.Status = status;
        bid.UpdatedAt = now;
        Count(status, +1);
        if (status == BidStatus.Withdrawn && _byBidder.GetValueOrDefault(bid.BidderId) == bid) _byBidder.Remove(bid.BidderId);
        _write.Update(bid);
    }

    void Count(string status, int by)
    {
        if (JobPostRules.IsLive(status)) _live += by;
        if (BidStatus.CountsAsAccepted(status)) _accepted += by;
        if (status == BidStatus.Delivered) _delivered += by;
    }

    async Task<BidView> BidView(BidEntry bid) =>
        await store.Bid(PostId, bid.Id) ?? throw new InvalidOperationException($"Job post {PostId}: bid {bid.Id} has no row");

    JobPostView View()
    {
        var s = Post;
        return new JobPostView(PostId, s.Title, s.Description, s.Category, s.Tags, s.BudgetCents, s.Deadline, s.InstantAcceptCents,
            s.MultiBid, s.MaxAcceptedBids, Open ? JobPostStatus.Open : JobPostStatus.Closed,
            s.InstantAcceptCents is null ? AuctionModes.Standard : AuctionModes.Instant,
            s.PosterId, s.PosterName, s.PosterAvatarUrl, _posterRating, _live, _accepted, s.CreatedAt, _updatedAt, _closedAt);
    }

    static Problem NotFound() => Problem.NotFound("Job post not found");

    static Problem Closed() => Problem.Conflict("Bidding on this post is closed");
}
