using Actors.Grains.Platform;

namespace Actors.Grains.Humans;

public sealed class HumanSessionState
{
    public string? HumanKey { get; set; }
    public string Email { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
    public bool Ended { get; set; }

    /// <summary>The account's <c>usr_…</c>; null in sessions started before it was kept (the API then asks the human's grain).</summary>
    public string? UserId { get; set; }
}

public sealed class HumanSessionGrain(
    [PersistentState("human-session", "store")] IPersistentState<HumanSessionState> session,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IHumanSessionGrain
{
    public async Task Start(string humanKey, string email, DateTimeOffset expiresAt, string? userId = null)
    {
        if (session.State.HumanKey is not null) return;
        session.State = new HumanSessionState { HumanKey = humanKey, Email = email, ExpiresAt = expiresAt, UserId = userId };
        await session.WriteStateAsync();
    }

    public Task<HumanSession?> Resolve() => Task.FromResult(
        session.State.HumanKey is { } key && !session.State.Ended && clock.GetUtcNow() < session.State.ExpiresAt
            ? new HumanSession(key, session.State.Email, session.State.ExpiresAt, session.State.UserId)
            : null);

    public async Task End()
    {
        if (session.State.HumanKey is null || session.State.Ended) return;
        session.State.Ended = true;
        await session.WriteStateAsync();
    }
}
