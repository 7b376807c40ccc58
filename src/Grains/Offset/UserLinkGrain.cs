using System.Security.Cryptography;
using System.Text;
using Actors.Grains.Platform;
using Actors.Grains.Email;
using Actors.Grains.Humans;
using Actors.Grains.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Offset;

public sealed class UserLinkState
{
    public string? AgentId { get; set; }
    public string AgentName { get; set; } = "";
    public string? AgentDescription { get; set; }
    public string? AgentWebsiteUrl { get; set; }
    public string HumanKey { get; set; } = "";
    public string UserEmail { get; set; } = "";
    public string? UserName { get; set; }
    public bool ExclusiveAgent { get; set; }
    public string ApprovalTokenHash { get; set; } = "";
    /// <summary>pending, approved, revoked, or expired (written by the reminder; decided on every use from <see cref="ExpiresAt"/>).</summary>
    public string Status { get; set; } = LinkStatus.Pending;
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public StoredPlan? Plan { get; set; }
    public List<StoredProvider> Providers { get; set; } = [];
}

public sealed class StoredPlan
{
    public string Type { get; set; } = "";
    public string? Band { get; set; }
    public long MonthlyAmountCents { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

public sealed class StoredProvider
{
    public string Provider { get; set; } = "";
    /// <summary>The admin key, encrypted with Data Protection; never leaves the grain in clear.</summary>
    public string ProtectedKey { get; set; } = "";
    public string Hint { get; set; } = "";
    public DateTimeOffset ConnectedAt { get; set; }
}

/// <summary>
/// Both or neither (issue 12). <see cref="Open"/>: the pending state, then the approval email in
/// the outbox; when the email cannot be written the state is cleared again, so the failed signup
/// leaves no pending link that no email announced, and its retry opens a fresh one.
/// <see cref="Approve"/>: the state, then <c>reportable_links</c> (the table must never allow more
/// than the grain, so its row cannot go first); a failed row write drops the activation and the
/// next activation adds the row for an approved link (<see cref="OnActivateAsync"/>), so approval
/// is never half-kept past the next call. <see cref="Revoke"/>: the row goes first, for the same reason.
/// </summary>
public sealed class UserLinkGrain(
    [PersistentState("user-link", "store")] IPersistentState<UserLinkState> link,
    UsageEventWriter usageWriter,
    UsageEventStore usage,
    EmailOutbox outbox,
    ProviderKeys providerKeys,
    IOptions<ActorsOptions> actors,
    IOptions<OffsetOptions> options,
    ILogger<UserLinkGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IUserLinkGrain, IRemindable
{
    const string ExpiryReminder = "approval-expiry";
    const long MinCustomAmountCents = UsageBands.MinCustomAmountCents;
    const long MaxCustomAmountCents = UsageBands.MaxCustomAmountCents;

    string LinkId => this.GetPrimaryKeyString();

    // Links approved before reportable_links existed, or whose approval failed after its state
    // write (the failed call drops the activation), join the batched path when next activated.
    public override Task OnActivateAsync(CancellationToken ct) => StorageFailures.Activating(async () =>
    {
        if (link.State.AgentId is not null && link.State.Status == LinkStatus.Approved)
            await usage.AllowReports(LinkId, link.State.AgentId);
    });

    public async Task<Result<LinkView>> Open(NewLink request)
    {
        if (link.State.AgentId is not null)
            return link.State.AgentId == request.AgentId ? Result<LinkView>.Ok(View()) : Problem.Conflict("Link id already in use");

        var now = clock.GetUtcNow();
        var token = RandomToken.Base62(40);
        link.State = new UserLinkState
        {
            AgentId = request.AgentId,
            AgentName = request.AgentName,
            AgentDescription = request.AgentDescription,
            AgentWebsiteUrl = request.AgentWebsiteUrl,
            HumanKey = request.HumanKey,
            UserEmail = request.UserEmail,
            UserName = request.UserName,
            ExclusiveAgent = request.ExclusiveAgent,
            ApprovalTokenHash = SecretHash.Of(token),
            Status = LinkStatus.Pending,
            RequestedAt = now,
            ExpiresAt = now + options.Value.ApprovalWindow,
        };
        await link.WriteStateAsync();
        try
        {
            await outbox.Enqueue(request.UserEmail, $"{request.AgentName} asks to link to your Token Offset account", ApprovalEmail(token));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try
            {
                await link.ClearStateAsync();
            }
            catch (Exception undo)
            {
                // The call fails anyway (and its activation is dropped); the link left pending is
                // one no answer named and no email announced, and it expires with its window.
                logger.LogWarning(undo, "Link {LinkId}: its pending state could not be cleared after its email failed", LinkId);
            }
            throw;
        }
        try
        {
            // The reminder only tidies up; expiry is decided on every use against the domain clock.
            // The link and its email are both kept by now, so a failure here must not answer an error.
            await this.RegisterOrUpdateReminder(ExpiryReminder, options.Value.ApprovalWindow, TimeSpan.FromHours(1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Link {LinkId}: its expiry reminder could not be registered; expiry is still decided on use", LinkId);
        }
        return Result<LinkView>.Ok(View());
    }

    string ApprovalEmail(string token)
    {
        var url = $"{actors.Value.PublicBaseUrl.TrimEnd('/')}/offset/approve?link={LinkId}&token={token}";
        var s = link.State;
        var text = new StringBuilder()
            .Append("Hello").Append(string.IsNullOrWhiteSpace(s.UserName) ? "" : " " + s.UserName).Append(",\n\n")
            .Append(s.AgentName).Append(" asked to link to your Token Offset account (").Append(s.UserEmail).Append(")\n")
            .Append("so it can report the tokens it processes for you and offset them.\n\n")
            .Append("To review and approve, open this link (valid for ").Append((int)options.Value.ApprovalWindow.TotalDays).Append(" days):\n")
            .Append(url).Append('\n').Append('\n')
            .Append("Nothing happens until you press Approve on that page. If you did not expect this, ignore this email.\n");
        if (s.ExclusiveAgent)
            text.Append("\nThis agent asked to manage your account exclusively; you can still sign in with a magic link at any time.\n");
        return text.ToString();
    }

    public Task<Result<LinkView>> GetStatus(string agentId) =>
        Task.FromResult(Owned(agentId) is { } problem ? problem : Result<LinkView>.Ok(View()));

    public async Task<Result<UsageRecorded>> ReportUsage(string agentId, UsageReport report)
    {
        if (Usable(agentId) is { } problem) return problem;
        var row = UsageRules.Check(LinkId, report, clock.GetUtcNow());
        if (row.Problem is { } invalid) return invalid;
        var appended = await usageWriter.Append(row.Value!)
            ?? throw new InvalidOperationException("A decided usage report was refused by the store");
        return Result<UsageRecorded>.Ok(new UsageRecorded(appended.EventId, appended.Duplicate, appended.ReportedAt));
    }

    public async Task<Result<UsagePage>> GetUsageLog(string agentId, UsageLogQuery query)
    {
        if ((Owned(agentId) ?? Revoked()) is { } problem) return problem;
        var limit = query.Limit ?? 50;
        if (limit is < 1 or > 500) return Problem.Invalid("limit", "limit must be between 1 and 500");
        long after = 0;
        if (!string.IsNullOrEmpty(query.Cursor) && (!long.TryParse(query.Cursor, out after) || after < 0))
            return Problem.Invalid("cursor", "cursor is not one this API returned");
        var session = string.IsNullOrWhiteSpace(query.SessionId) ? null : query.SessionId.Trim();
        var (events, hasMore) = await usage.Page(LinkId, session, after, limit);
        return Result<UsagePage>.Ok(new UsagePage(LinkId, session, events,
            hasMore ? events[^1].EventId.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    public async Task<Result<UsageSummary>> GetUsageSummary(string agentId)
    {
        if ((Owned(agentId) ?? Revoked()) is { } problem) return problem;
        var co2e = options.Value.Co2e;
        var breakdown = await usage.Breakdown(LinkId);
        var byModel = breakdown.ByModel
            .Select(m => new ModelUsage(m.Model, m.Totals, Math.Round(co2e.Grams(m.Model, m.Totals), 3), co2e.FactorFor(m.Model)))
            .ToList();
        return Result<UsageSummary>.Ok(new UsageSummary(View(), breakdown.Totals, byModel, breakdown.BySession,
            breakdown.SessionsTruncated, Plan(), Providers(),
            Math.Round(breakdown.ByModel.Sum(m => co2e.Grams(m.Model, m.Totals)), 3), Co2eOptions.Method));
    }

    public async Task<Result<LinkPlan>> SetPlan(string agentId, PlanChoice choice)
    {
        if (Usable(agentId) is { } problem) return problem;
        StoredPlan plan;
        if (choice.Band is not null && choice.MonthlyAmountCents is not null)
            return Problem.Invalid("band", "Send either band or monthlyAmountCents, not both");
        if (choice.Band is not null)
        {
            if (UsageBands.Find(choice.Band) is not { } band)
                return Problem.Invalid("band", $"band must be one of: {string.Join(", ", UsageBands.All.Select(b => b.Id))}");
            plan = new StoredPlan { Type = "band", Band = band.Id, MonthlyAmountCents = band.MonthlyAmountCents };
        }
        else if (choice.MonthlyAmountCents is { } cents)
        {
            if (cents is < MinCustomAmountCents or > MaxCustomAmountCents)
                return Problem.Invalid("monthlyAmountCents", $"monthlyAmountCents must be between {MinCustomAmountCents} and {MaxCustomAmountCents}");
            plan = new StoredPlan { Type = "custom", MonthlyAmountCents = cents };
        }
        else return Problem.Invalid("band", "band (a usage band id) or monthlyAmountCents is required");

        plan.SetAt = clock.GetUtcNow();
        link.State.Plan = plan;
        await link.WriteStateAsync();
        return Result<LinkPlan>.Ok(Plan()!);
    }

    public async Task<Result<ProviderConnection>> ConnectProvider(string agentId, string? provider, string? apiKey)
    {
        if (Usable(agentId) is { } problem) return problem;
        var checkedKey = ProviderKeys.Check(provider, apiKey);
        if (checkedKey.Problem is { } invalid) return invalid;
        var (name, key) = checkedKey.Value;
        var stored = new StoredProvider
        {
            Provider = name,
            ProtectedKey = providerKeys.Protect(key),
            Hint = ProviderKeys.Hint(name, key),
            ConnectedAt = clock.GetUtcNow(),
        };
        link.State.Providers.RemoveAll(p => p.Provider == name);
        link.State.Providers.Add(stored);
        await link.WriteStateAsync();
        return Result<ProviderConnection>.Ok(new ProviderConnection(stored.Provider, stored.Hint, stored.ConnectedAt));
    }

    public Task<ApprovalPrompt?> GetApprovalPrompt(string approvalToken)
    {
        if (!TokenMatches(approvalToken)) return Task.FromResult<ApprovalPrompt?>(null);
        var s = link.State;
        return Task.FromResult<ApprovalPrompt?>(new ApprovalPrompt(LinkId, s.AgentName, s.AgentDescription, s.AgentWebsiteUrl,
            s.UserEmail, StatusNow(), s.ExclusiveAgent, s.ExpiresAt));
    }

    public async Task<Result<LinkView>> Approve(string approvalToken)
    {
        if (!TokenMatches(approvalToken)) return Problem.NotFound("This approval link is not valid");
        switch (StatusNow())
        {
            case LinkStatus.Approved: return Result<LinkView>.Ok(View());
            case LinkStatus.Revoked: return Problem.Conflict("This link was revoked; ask the agent to sign you up again");
            case LinkStatus.Expired: return Problem.Gone("This approval link expired; ask the agent to sign you up again");
        }
        link.State.Status = LinkStatus.Approved;
        link.State.ApprovedAt = clock.GetUtcNow();
        await link.WriteStateAsync();
        await usage.AllowReports(LinkId, link.State.AgentId!);
        if (link.State.ExclusiveAgent)
            await GrainFactory.GetGrain<IHumanGrain>(link.State.HumanKey).SetExclusiveLink(LinkId, new AgentLinkRef(LinkId, link.State.AgentId!));
        await ClearReminder();
        return Result<LinkView>.Ok(View());
    }

    public async Task<Result<LinkView>> Revoke(string humanKey)
    {
        if (link.State.AgentId is null || link.State.HumanKey != humanKey) return Problem.NotFound("Link not found");
        if (link.State.Status != LinkStatus.Revoked)
        {
            // Batched reports stop before the state says revoked: the table never allows more than the grain.
            await usage.StopReports(LinkId);
            link.State.Status = LinkStatus.Revoked;
            link.State.RevokedAt = clock.GetUtcNow();
            await link.WriteStateAsync();
            await GrainFactory.GetGrain<IHumanGrain>(humanKey).SetExclusiveLink(LinkId, null);
            await ClearReminder();
        }
        return Result<LinkView>.Ok(View());
    }

    public async Task<HumanLinkView?> GetForHuman(string humanKey)
    {
        if (link.State.AgentId is null || link.State.HumanKey != humanKey) return null;
        var totals = await usage.Totals(LinkId);
        return new HumanLinkView(View(), link.State.AgentId, link.State.AgentName, totals, Plan());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Idempotent tidy-up: record the expiry (already decided on every use) and stop ticking.
        if (link.State.AgentId is not null && link.State.Status == LinkStatus.Pending && StatusNow() == LinkStatus.Expired)
        {
            link.State.Status = LinkStatus.Expired;
            await link.WriteStateAsync();
        }
        if (link.State.AgentId is null || link.State.Status != LinkStatus.Pending) await ClearReminder();
    }

    async Task ClearReminder()
    {
        if (await this.GetReminder(ExpiryReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>Another agent's link (or none) is "not found": no one learns that a link id exists.</summary>
    Problem? Owned(string agentId) =>
        link.State.AgentId is null || link.State.AgentId != agentId ? Problem.NotFound("Link not found") : null;

    Problem? Revoked() =>
        link.State.Status == LinkStatus.Revoked ? Problem.Forbidden("The user revoked this agent's access to the link") : null;

    Problem? Usable(string agentId) => Owned(agentId) ?? StatusNow() switch
    {
        LinkStatus.Approved => null,
        LinkStatus.Revoked => Revoked(),
        LinkStatus.Expired => Problem.Gone("The approval request expired before the user approved it; call signup-user again"),
        _ => Problem.Conflict("The link is pending: the user has not approved it yet (poll link-status)"),
    };

    string StatusNow() =>
        link.State.Status == LinkStatus.Pending && clock.GetUtcNow() >= link.State.ExpiresAt ? LinkStatus.Expired : link.State.Status;

    bool TokenMatches(string token) =>
        link.State.AgentId is not null && !string.IsNullOrEmpty(token) && token.Length <= 200 &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash.Of(token)), Encoding.ASCII.GetBytes(link.State.ApprovalTokenHash));

    LinkView View() => new(LinkId, StatusNow(), link.State.ExclusiveAgent, link.State.RequestedAt, link.State.ApprovedAt,
        link.State.ExpiresAt, link.State.RevokedAt);

    LinkPlan? Plan() => link.State.Plan is { } p ? new LinkPlan(p.Type, p.Band, p.MonthlyAmountCents, UsageBands.Currency, p.SetAt) : null;

    List<ProviderConnection> Providers() =>
        link.State.Providers.Select(p => new ProviderConnection(p.Provider, p.Hint, p.ConnectedAt)).ToList();
}
