using Actors.Grains.Platform;
using Actors.Grains.Identity;
using Actors.Grains.Ledger;
using Microsoft.Extensions.Logging;

namespace Actors.Grains.Access;

public sealed class OrgState
{
    public string? Name { get; set; }
    public string Plan { get; set; } = "";
    public long MonthlyLimit { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public DateTimeOffset PeriodEnd { get; set; }
    /// <summary>The period whose credits the ledger already holds; behind <see cref="PeriodStart"/> while a renewal is unfinished.</summary>
    public DateTimeOffset? CreditedPeriod { get; set; }
    public List<string> MemberAgentIds { get; set; } = [];
    /// <summary>The human who created the org on the Account page; null for operator-provisioned orgs.</summary>
    public string? OwnerHumanKey { get; set; }
    /// <summary>Every key issued (bounded by <see cref="OrgGrain.MaxKeys"/>), so owners can list and revoke them.</summary>
    public List<OrgKeyRecord> Keys { get; set; } = [];
    /// <summary>The most recent checkouts applied (bounded), so a retried completion changes nothing.</summary>
    public List<string> AppliedCheckouts { get; set; } = [];
}

public sealed class OrgKeyRecord
{
    public string AgentId { get; set; } = "";
    public string ApiKeyGrainId { get; set; } = "";
    public string Hint { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// Credits are the ledger account <see cref="LedgerAccount.OrgCredits"/>: set to the monthly
/// limit when a period opens (by this grain), spent by authorizations. Most authorizations are
/// spent by <see cref="AuthorizeIntakeGrain"/> with this grain's <see cref="GetSpending"/> answer,
/// the rest here; either way the ledger decides whether the credits suffice, atomically.
/// </summary>
public sealed class OrgGrain(
    [PersistentState("org", "store")] IPersistentState<OrgState> org,
    LedgerStore ledger,
    LedgerGroupCommit ledgerBatch,
    ILogger<OrgGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IOrgGrain, IRemindable
{
    public const int MaxKeys = 100;
    public const string KeyPrefix = "agnt";
    const int AppliedCheckoutsKept = 50;
    const string RenewalReminder = "renewal";
    static readonly Problem Unknown = Problem.NotFound("Organisation not found");

    string OrgId => this.GetPrimaryKeyString();
    string Credits => LedgerAccount.OrgCredits(OrgId);
    bool Exists => org.State.Name is not null;

    public async Task<Result<OrgView>> Create(NewOrg request)
    {
        var problem = AccessRules.CheckText("name", request.Name, AccessRules.MaxName)
            ?? AccessRules.CheckText("plan", request.Plan, AccessRules.MaxPlan)
            ?? (request.MonthlyLimit is null ? Problem.Invalid("monthlyLimit", "monthlyLimit is required") : null)
            ?? (request.MonthlyLimit is < 0 or > AccessRules.MaxMonthlyLimit
                ? Problem.Invalid("monthlyLimit", $"monthlyLimit must be from 0 to {AccessRules.MaxMonthlyLimit}") : null);
        if (problem is not null) return problem;
        if (Exists) return Problem.Conflict("Organisation already exists");

        var now = clock.GetUtcNow();
        var (start, end) = AccessRules.MonthOf(now);
        org.State = new OrgState
        {
            Name = request.Name!.Trim(),
            Plan = request.Plan!.Trim(),
            MonthlyLimit = request.MonthlyLimit!.Value,
            CreatedAt = now,
            PeriodStart = start,
            PeriodEnd = end,
        };
        await org.WriteStateAsync();
        await EnsurePeriod();
        return Result<OrgView>.Ok(new OrgView(OrgId, org.State.Name, org.State.Plan, org.State.MonthlyLimit));
    }

    public async Task<Result<string>> IssueKey()
    {
        if (!Exists) return Unknown;
        var issued = await Issue();
        return issued.Problem is { } problem ? problem : Result<string>.Ok(issued.Value!.ApiKey);
    }

    async Task<Result<IssuedOrgKey>> Issue()
    {
        if (org.State.Keys.Count >= MaxKeys || org.State.MemberAgentIds.Count >= MaxKeys)
            return Problem.Conflict($"An organisation holds at most {MaxKeys} keys");

        var created = await GrainFactory.GetGrain<IAgentRegistryGrain>(IAgentRegistryGrain.Key).Register(new AgentRegistration(
            KeyAgentName(org.State.Name!), $"API key of organisation {OrgId}", null, null, KeyPrefix,
            // An org key is an identity for content access, not a marketplace agent.
            ListedInDirectory: false));
        if (created.Problem is { } problem) return problem;
        var agentId = created.Value!.Agent.Id;
        var apiKey = created.Value.ApiKey;
        // Bound before the key is returned: a key that is shown is always a member. A key that is
        // not returned (refused, or a write below failed) is revoked: both or neither.
        OrgKeyRecord record;
        try
        {
            if (!await GrainFactory.GetGrain<IOrgMemberGrain>(agentId).Join(OrgId))
            {
                await IssuedKeys.RevokeUnshown(GrainFactory, apiKey, logger);
                return Problem.Conflict("The new key's agent already belongs to another organisation");
            }
            record = new OrgKeyRecord
            {
                AgentId = agentId,
                ApiKeyGrainId = SecretHash.ApiKeyGrainId(apiKey),
                Hint = apiKey[..(KeyPrefix.Length + 5)] + "…" + apiKey[^4..],
                CreatedAt = clock.GetUtcNow(),
            };
            org.State.MemberAgentIds.Add(agentId);
            org.State.Keys.Add(record);
            await org.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await IssuedKeys.RevokeUnshown(GrainFactory, apiKey, logger);
            throw;
        }
        return Result<IssuedOrgKey>.Ok(new IssuedOrgKey(KeyView(record), apiKey));
    }

    public async Task<Result<OrgView>> CreateOwned(string? name, string ownerHumanKey)
    {
        if (AccessRules.CheckText("name", name, AccessPlans.MaxOrgName) is { } problem) return problem;
        if (Exists) return Problem.Conflict("Organisation already exists");
        var created = await Create(new NewOrg(name, AccessPlans.None, 0));
        if (created.Problem is not null) return created;
        org.State.OwnerHumanKey = ownerHumanKey;
        await org.WriteStateAsync();
        return created;
    }

    public async Task<Result<OrgAccount>> GetForOwner(string humanKey)
    {
        if (!IsOwner(humanKey)) return Unknown;
        var subscription = await GetSubscription();
        if (subscription.Problem is { } problem) return problem;
        return Result<OrgAccount>.Ok(new OrgAccount(View(), subscription.Value!, [.. org.State.Keys.Select(KeyView)]));
    }

    public async Task<Result<IssuedOrgKey>> IssueKeyForOwner(string humanKey) =>
        IsOwner(humanKey) ? await Issue() : Unknown;

    public async Task<Result<OrgKeyView>> RevokeKey(string humanKey, string keyId)
    {
        if (!IsOwner(humanKey)) return Unknown;
        if (org.State.Keys.Find(k => k.AgentId == keyId) is not { } key) return Problem.NotFound("Key not found");
        // The key grain first: once it answers, the key authorises nothing (API caches expire within seconds).
        await GrainFactory.GetGrain<IApiKeyGrain>(key.ApiKeyGrainId).Revoke();
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await org.WriteStateAsync();
        }
        return Result<OrgKeyView>.Ok(KeyView(key));
    }

    public async Task<Result<Payments.CheckoutView>> StartCheckout(string humanKey, string? plan)
    {
        if (!IsOwner(humanKey)) return Unknown;
        if (AccessPlans.Find(plan) is not { } chosen)
            return Problem.Invalid("plan", $"plan must be one of {string.Join(", ", AccessPlans.All.Select(p => p.Name))}");
        return await GrainFactory.GetGrain<Payments.ICheckoutGrain>(RandomToken.Id("chk")).Open(new Payments.NewCheckout(
            OrgId, org.State.Name!, humanKey, chosen.Name, chosen.MonthlyCredits, chosen.PriceCents));
    }

    public async Task<Result<OrgView>> ApplyPlan(string checkoutId, string plan, long monthlyLimit)
    {
        if (!Exists) return Unknown;
        if (monthlyLimit is < 0 or > AccessRules.MaxMonthlyLimit) return Problem.Invalid("monthlyLimit", "monthlyLimit is out of range");
        if (org.State.AppliedCheckouts.Contains(checkoutId)) return Result<OrgView>.Ok(View());
        await EnsurePeriod();

        // An upgrade adds the difference to this period at once; a downgrade keeps this period's
        // credits and its lower limit applies from the next period. Keyed by the checkout, so a
        // retry after the transfer but before the state write adds nothing more.
        var transferId = "checkout:" + checkoutId;
        var delta = monthlyLimit - org.State.MonthlyLimit;
        if (delta > 0 && !await ledger.TransferExists(transferId))
            await ledger.Transfer(LedgerTransfer.Move(transferId, "org.plan-purchase", LedgerAccount.World, Credits, delta));

        org.State.Plan = plan;
        org.State.MonthlyLimit = monthlyLimit;
        org.State.AppliedCheckouts.Add(checkoutId);
        if (org.State.AppliedCheckouts.Count > AppliedCheckoutsKept) org.State.AppliedCheckouts.RemoveAt(0);
        await org.WriteStateAsync();
        await EnsurePeriod();
        return Result<OrgView>.Ok(View());
    }

    bool IsOwner(string humanKey) => Exists && org.State.OwnerHumanKey is { } owner && owner == humanKey;

    OrgView View() => new(OrgId, org.State.Name!, org.State.Plan, org.State.MonthlyLimit);

    static OrgKeyView KeyView(OrgKeyRecord k) => new(k.AgentId, k.Hint, k.CreatedAt, k.RevokedAt);

    public async Task<Result<SubscriptionStatus>> GetSubscription()
    {
        if (!Exists) return Problem.NotFound("Organisation not found");
        await EnsurePeriod();
        var now = clock.GetUtcNow();
        var limit = org.State.MonthlyLimit;
        // Read, not remembered: authorizations spend these credits without passing through this grain.
        var remaining = await ledger.Balance(Credits);
        var used = Math.Max(0, limit - remaining);
        return Result<SubscriptionStatus>.Ok(new SubscriptionStatus(
            org.State.Name!, org.State.Plan, org.State.Plan == AccessPlans.None ? "inactive" : "active", used, limit, remaining,
            limit == 0 ? 0 : Math.Round(used * 100.0 / limit, 2),
            org.State.PeriodStart, org.State.PeriodEnd,
            Math.Max(0, (int)Math.Ceiling((org.State.PeriodEnd - now).TotalDays))));
    }

    public async Task<Result<Authorization>> Authorize(string agentId, AuthorizeCommand command)
    {
        if (!Exists) return Unknown;
        if (!org.State.MemberAgentIds.Contains(agentId)) return OrgMemberGrain.NoOrg;
        if (AccessSpending.CheckCommand(command) is { } problem) return problem;
        var terms = await GrainFactory.GetGrain<IContentGrain>(AccessSpending.ContentKey(command)).GetTerms();
        if (AccessSpending.CheckTerms(command, terms) is { } refused) return refused;

        await EnsurePeriod();
        // Group commit: applied with other orgs' transfers in one transaction, answered after it commits.
        var spend = AccessSpending.Prepare(OrgId, agentId, command, terms!, clock.GetUtcNow());
        return AccessSpending.Answer(spend, await ledgerBatch.Transfer(spend.Transfer, spend.Token));
    }

    public async Task<OrgSpending?> GetSpending()
    {
        if (!Exists) return null;
        await EnsurePeriod();
        return new OrgSpending(org.State.PeriodEnd, [.. org.State.MemberAgentIds]);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Exists) await EnsurePeriod();
    }

    /// <summary>
    /// Moves to the period that contains now and sets the credits to the monthly limit for it.
    /// Safe to repeat at any point: the ledger transfer is keyed by the period, and
    /// <see cref="OrgState.CreditedPeriod"/> is written only after it.
    /// </summary>
    async Task EnsurePeriod()
    {
        var now = clock.GetUtcNow();
        if (now >= org.State.PeriodEnd)
        {
            (org.State.PeriodStart, org.State.PeriodEnd) = AccessRules.MonthOf(now);
            await org.WriteStateAsync();
        }
        if (org.State.CreditedPeriod != org.State.PeriodStart)
        {
            var transferId = $"org-period:{OrgId}:{org.State.PeriodStart:yyyy-MM}";
            if (!await ledger.TransferExists(transferId))
            {
                // Unused credits do not roll over: the new period starts at exactly the limit.
                var delta = org.State.MonthlyLimit - await ledger.Balance(Credits);
                if (delta != 0)
                    await ledger.Transfer(delta > 0
                        ? LedgerTransfer.Move(transferId, "org.period-credits", LedgerAccount.World, Credits, delta)
                        : LedgerTransfer.Move(transferId, "org.period-credits", Credits, LedgerAccount.World, -delta));
            }
            org.State.CreditedPeriod = org.State.PeriodStart;
            await org.WriteStateAsync();
            var due = org.State.PeriodEnd - now;
            await this.RegisterOrUpdateReminder(RenewalReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, TimeSpan.FromDays(1));
        }
    }

    static string KeyAgentName(string orgName)
    {
        var name = $"{orgName} key";
        return name.Length <= AgentRules.MaxName ? name : name[..AgentRules.MaxName];
    }
}
