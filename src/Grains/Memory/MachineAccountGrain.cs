using System.Security.Cryptography;
using System.Text;
using Actors.Grains.Platform;
using Actors.Grains.Email;
using Actors.Grains.Humans;
using Actors.Grains.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Memory;

public sealed class MachineAccountState
{
    public DateTimeOffset CreatedAt { get; set; }
    public string? Platform { get; set; }
    public string? Hostname { get; set; }
    public List<string> AgentIds { get; set; } = [];
    public PendingClaim? Claim { get; set; }
    public DateTimeOffset? LastClaimExpiredAt { get; set; }
    /// <summary>Wrong codes and claim starts of the last hour (bounded by the hourly caps).</summary>
    public List<DateTimeOffset> RecentFailures { get; set; } = [];
    public List<DateTimeOffset> RecentClaimStarts { get; set; } = [];
    public string? ClaimedByUserId { get; set; }
    public string? ClaimedByEmail { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    /// <summary>The completed claim's code hash, so a retried verify gets the same answer.</summary>
    public string? CompletedCodeHash { get; set; }
    public string? CompletedClaimId { get; set; }
}

public sealed class PendingClaim
{
    public string ClaimId { get; set; } = "";
    public string Email { get; set; } = "";
    public string CodeHash { get; set; } = "";
    public string ConfirmTokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
}

public sealed class MachineAccountGrain(
    [PersistentState("machine-account", "store")] IPersistentState<MachineAccountState> machine,
    MachineFingerprint hashes,
    MemoryStore memories,
    EmailOutbox outbox,
    IOptions<ActorsOptions> options,
    ILogger<MachineAccountGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IMachineAccountGrain, IRemindable
{
    public const string KeyPrefix = "omx";
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(10);
    public const int MaxAttemptsPerClaim = 5;
    public const int MaxFailuresPerHour = 10;
    public const int MaxClaimStartsPerHour = 5;
    public const int MaxClaimEmailsPerRecipientPerHour = 3;
    public const int MaxAgents = 50;
    const string ExpiryReminder = "claim-expiry";
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    static readonly Problem Unknown = Problem.NotFound("Machine not found");

    string MachineId => this.GetPrimaryKeyString();
    MachineAccountState S => machine.State;
    bool IsMember(string? agentId) => machine.RecordExists && agentId is not null && S.AgentIds.Contains(agentId);

    public async Task<Result<MachineRegistered>> Register(string? platform, string? hostname, string? callerAgentId)
    {
        if (machine.RecordExists)
        {
            // An unauthenticated caller who knows a fingerprint learns only that it is registered:
            // keys are never stored in clear, and a new one goes only to an agent of this machine.
            if (!IsMember(callerAgentId))
                return Result<MachineRegistered>.Ok(new MachineRegistered(MachineId, null, null, false, S.CreatedAt));
            if (S.AgentIds.Count >= MaxAgents)
                return Problem.Conflict($"This machine already has {MaxAgents} agents");
            var extra = await CreateAgent(platform ?? S.Platform);
            if (extra.Problem is { } p) return p;
            S.AgentIds.Add(extra.Value!.Agent.Id);
            await WriteOrRevoke(extra.Value.ApiKey);
            return Result<MachineRegistered>.Ok(new MachineRegistered(MachineId, extra.Value.Agent.Id, extra.Value.ApiKey, false, S.CreatedAt));
        }

        var created = await CreateAgent(platform);
        if (created.Problem is { } problem) return problem;
        machine.State = new MachineAccountState
        {
            CreatedAt = clock.GetUtcNow(),
            Platform = platform,
            Hostname = hostname,
            AgentIds = [created.Value!.Agent.Id],
        };
        await WriteOrRevoke(created.Value.ApiKey);
        return Result<MachineRegistered>.Ok(new MachineRegistered(MachineId, created.Value.Agent.Id, created.Value.ApiKey, true, S.CreatedAt));
    }

    // The agent and its binding are written before the account: if anything after fails, the key
    // was never shown to anyone, so the orphan agent authorises nothing.
    async Task<Result<AgentCreated>> CreateAgent(string? platform)
    {
        var created = await GrainFactory.GetGrain<IAgentRegistryGrain>(IAgentRegistryGrain.Key).Register(new AgentRegistration(
            $"Machine agent ({platform ?? "unknown platform"})", "An agent registered by machine fingerprint on the memory surface",
            null, null, KeyPrefix, ListedInDirectory: false));
        if (created.Problem is not null) return created;
        bool bound;
        try
        {
            bound = await GrainFactory.GetGrain<IMachineAgentGrain>(created.Value!.Agent.Id).Bind(MachineId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await IssuedKeys.RevokeUnshown(GrainFactory, created.Value!.ApiKey, logger);
            throw;
        }
        if (!bound)
        {
            await IssuedKeys.RevokeUnshown(GrainFactory, created.Value.ApiKey, logger);
            return Problem.Conflict("Agent already belongs to another machine");
        }
        return created;
    }

    /// <summary>Stores the account; if that fails, the new agent's key (not yet shown) is revoked: both or neither.</summary>
    async Task WriteOrRevoke(string apiKey)
    {
        try
        {
            await machine.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await IssuedKeys.RevokeUnshown(GrainFactory, apiKey, logger);
            throw;
        }
    }

    public async Task<Result<ClaimStarted>> InitClaim(string email, string callerAgentId)
    {
        if (!IsMember(callerAgentId)) return Unknown;
        var now = clock.GetUtcNow();
        await memories.CountCall(MachineId, now);
        if (S.ClaimedAt is not null) return Problem.Conflict("This machine is already claimed by a human account");
        S.RecentClaimStarts.RemoveAll(t => now - t >= Hour);
        if (S.RecentClaimStarts.Count >= MaxClaimStartsPerHour)
            return TooMany($"Too many claims started for this machine; try again in {MinutesUntil(S.RecentClaimStarts.Min() + Hour, now)} minutes",
                S.RecentClaimStarts.Min() + Hour - now);

        var normalized = AgentRules.NormalizeEmail(email);
        var emails = await GrainFactory.GetGrain<IRateLimitGrain>(RateLimitKey.For("memory-claim-email", normalized))
            .TryAcquire(MaxClaimEmailsPerRecipientPerHour, Hour);
        if (!emails.Allowed)
            return TooMany($"Too many claim emails to this address; try again in {Math.Max(1, (int)Math.Ceiling(emails.ResetAfter.TotalMinutes))} minutes",
                emails.ResetAfter);

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var token = RandomToken.Secret("mcc");
        var claim = new PendingClaim
        {
            ClaimId = RandomToken.Id("mcl"),
            Email = normalized,
            CreatedAt = now,
            ExpiresAt = now + ClaimLifetime,
        };
        claim.CodeHash = hashes.ClaimCode(MachineId, claim.ClaimId, code);
        claim.ConfirmTokenHash = SecretHash.Of(token);
        S.Claim = claim;
        S.RecentClaimStarts.Add(now);
        await machine.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ExpiryReminder, ClaimLifetime, TimeSpan.FromHours(1));
        await SendConfirmationEmail(claim, token);
        return Result<ClaimStarted>.Ok(new ClaimStarted(code, claim.ExpiresAt));
    }

    public async Task<Result<ClaimConfirmed>> ConfirmClaim(string token)
    {
        var invalid = Problem.NotFound("This confirmation link is not valid: the claim was completed, replaced by a newer one, or never existed");
        if (!machine.RecordExists || S.Claim is not { } claim) return invalid;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash.Of(token)), Encoding.ASCII.GetBytes(claim.ConfirmTokenHash)))
            return invalid;
        var now = clock.GetUtcNow();
        if (now >= claim.ExpiresAt) return Problem.Gone("This claim has expired; ask your agent to start a new one");
        if (claim.Attempts >= MaxAttemptsPerClaim) return Problem.Gone("This claim was locked after too many wrong codes; ask your agent to start a new one");
        if (claim.ConfirmedAt is null)
        {
            claim.ConfirmedAt = now;
            await machine.WriteStateAsync();
        }
        return Result<ClaimConfirmed>.Ok(new ClaimConfirmed(S.Hostname, claim.Email));
    }

    public async Task<Result<ClaimCompleted>> VerifyClaim(string code, string callerAgentId)
    {
        if (!IsMember(callerAgentId)) return Unknown;
        var now = clock.GetUtcNow();
        await memories.CountCall(MachineId, now);
        if (S.Claim is not { } claim)
        {
            if (S.ClaimedAt is not null)
                return S.CompletedCodeHash is { } done && S.ClaimedByUserId is { } userId && Matches(done, code)
                    ? Result<ClaimCompleted>.Ok(new ClaimCompleted(userId))
                    : Problem.Conflict("This machine is already claimed by a human account");
            return S.LastClaimExpiredAt is not null
                ? Problem.Gone("The verification code expired; start a new claim with claim/init")
                : Problem.Conflict("No claim in progress for this machine; start one with claim/init");
        }

        S.RecentFailures.RemoveAll(t => now - t >= Hour);
        if (S.RecentFailures.Count >= MaxFailuresPerHour)
            return TooMany($"Too many wrong codes for this machine; try again in {MinutesUntil(S.RecentFailures.Min() + Hour, now)} minutes",
                S.RecentFailures.Min() + Hour - now);
        if (now >= claim.ExpiresAt) return Problem.Gone("The verification code expired; start a new claim with claim/init");
        if (claim.Attempts >= MaxAttemptsPerClaim)
            return Problem.Gone($"This claim is locked after {MaxAttemptsPerClaim} wrong codes; start a new claim with claim/init");

        if (!Matches(claim.CodeHash, code, claim.ClaimId))
        {
            claim.Attempts++;
            S.RecentFailures.Add(now);
            await machine.WriteStateAsync();
            var left = MaxAttemptsPerClaim - claim.Attempts;
            return left > 0
                ? Problem.Invalid("verification_code", $"Wrong verification code; {left} attempt{(left == 1 ? "" : "s")} left")
                : Problem.Gone($"Wrong verification code; the claim is now locked after {MaxAttemptsPerClaim} wrong codes: start a new claim with claim/init");
        }

        if (claim.ConfirmedAt is null)
            return Problem.Conflict($"Waiting for the human: {claim.Email} must open the link in the confirmation email and confirm, then call claim/verify again");

        var human = GrainFactory.GetGrain<IHumanGrain>(HumanKey.For(claim.Email));
        var account = await human.EnsureAccount();
        if (!await human.AttachMachine(MachineId))
            return Problem.Conflict("The human account already has the maximum number of machines");

        S.ClaimedByUserId = account.UserId;
        S.ClaimedByEmail = claim.Email;
        S.ClaimedAt = now;
        S.CompletedCodeHash = claim.CodeHash;
        S.CompletedClaimId = claim.ClaimId;
        S.Claim = null;
        await machine.WriteStateAsync();
        await StopExpiryReminder();
        return Result<ClaimCompleted>.Ok(new ClaimCompleted(account.UserId));
    }

    bool Matches(string expectedHash, string code, string? claimId = null)
    {
        var actual = hashes.ClaimCode(MachineId, claimId ?? S.CompletedClaimId ?? "", code);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(expectedHash));
    }

    public async Task<MachineSummary?> GetSummary()
    {
        if (!machine.RecordExists) return null;
        var (total, projects, bytes) = await memories.Totals(MachineId);
        return new MachineSummary(MachineId, S.Platform, S.Hostname, S.CreatedAt, S.ClaimedByUserId, S.ClaimedByEmail, S.ClaimedAt,
            [.. S.AgentIds], total, projects, bytes);
    }

    public async Task<Result<MachineStats>> GetStats(string callerAgentId)
    {
        if (!IsMember(callerAgentId)) return Unknown;
        var now = clock.GetUtcNow();
        await memories.CountCall(MachineId, now);
        var (total, projects, bytes) = await memories.Totals(MachineId);
        var calls = await memories.CallsInLastDay(MachineId, now);
        return Result<MachineStats>.Ok(new MachineStats(total, projects, calls, bytes, S.CreatedAt));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder) return;
        var now = clock.GetUtcNow();
        if (S.Claim is { } claim && now >= claim.ExpiresAt)
        {
            S.Claim = null;
            S.LastClaimExpiredAt = claim.ExpiresAt;
            await machine.WriteStateAsync();
        }
        if (S.Claim is null) await StopExpiryReminder();
    }

    async Task StopExpiryReminder()
    {
        var reminder = await this.GetReminder(ExpiryReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    async Task SendConfirmationEmail(PendingClaim claim, string token)
    {
        var url = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/memory/claim?machine={Uri.EscapeDataString(MachineId)}&token={Uri.EscapeDataString(token)}";
        var what = S.Hostname is { Length: > 0 } host ? $"the machine \"{host}\"" : "a machine";
        await outbox.Enqueue(
            claim.Email,
            "Confirm the claim of a machine account",
            $"""
            An AI agent on {what} ({S.Platform ?? "unknown platform"}) asked to link its machine account and memories to this email address.

            If that was you, open this link and confirm:

            {url}

            The link and the agent's verification code expire in 10 minutes. If you did not expect this email, ignore it: nothing is linked without your confirmation.
            """);
    }

    static Problem TooMany(string message, TimeSpan retryAfter) =>
        Problem.TooManyRequests(message, Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));

    static int MinutesUntil(DateTimeOffset when, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((when - now).TotalMinutes));
}
