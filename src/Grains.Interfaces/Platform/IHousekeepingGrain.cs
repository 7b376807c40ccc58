namespace Actors.Grains.Platform;

/// <summary>
/// One grain ("housekeeping") whose reminder deletes what nobody can use any more: expired
/// access tokens, idempotent responses past their retention. Registered at silo start.
/// </summary>
public interface IHousekeepingGrain : IGrainWithStringKey
{
    /// <summary>One grain does the housekeeping.</summary>
    const string Key = "housekeeping";

    /// <summary>Makes sure the reminder is registered (idempotent).</summary>
    Task Ensure();

    /// <summary>One round of clean-up now (what the reminder does); returns how many rows went.</summary>
    Task<HousekeepingReport> RunNow();
}

[GenerateSerializer, Immutable]
public sealed record HousekeepingReport(
    [property: Id(0)] int AccessTokens,
    [property: Id(1)] int IdempotentResponses,
    [property: Id(2)] int WebhookRows = 0);
