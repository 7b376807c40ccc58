using Actors.Grains.Platform;

namespace Actors.Grains.Identity;

public sealed class ClaimTokenState
{
    public string? AgentId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
}

public sealed class ClaimTokenGrain(
    [PersistentState("claim-token", "store")] IPersistentState<ClaimTokenState> token,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IClaimTokenGrain, IRemindable
{
    public const string CleanupReminder = "cleanup";

    public async Task Issue(string agentId, DateTimeOffset expiresAt)
    {
        if (token.State.AgentId is not null) return;
        token.State = new ClaimTokenState { AgentId = agentId, ExpiresAt = expiresAt };
        await token.WriteStateAsync();
        // Only tidies up: expiry is decided on use, whether or not this has fired.
        var dueIn = expiresAt - clock.GetUtcNow();
        await this.RegisterOrUpdateReminder(CleanupReminder, dueIn > TimeSpan.FromMinutes(1) ? dueIn : TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
    }

    public async Task<Result<string>> Redeem()
    {
        if (token.State.AgentId is not { } agentId) return Problem.NotFound("Invalid claim token");
        if (token.State.RedeemedAt is not null) return Problem.Conflict("This claim token has already been used");
        if (clock.GetUtcNow() >= token.State.ExpiresAt) return Problem.Gone("This claim token has expired");
        token.State.RedeemedAt = clock.GetUtcNow();
        await token.WriteStateAsync();
        return Result<string>.Ok(agentId);
    }

    /// <summary>Forgets an expired token; a repeated or early tick changes nothing.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CleanupReminder) return;
        if (token.State.AgentId is not null && clock.GetUtcNow() < token.State.ExpiresAt) return;
        if (token.RecordExists) await token.ClearStateAsync();
        if (await this.GetReminder(CleanupReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
