namespace Actors.Grains.Idempotency;

/// <summary>
/// One <c>Idempotency-Key</c> of one caller on one endpoint scope, keyed <c>idem_</c> + a hash of
/// the three (see <see cref="IdempotencyKey"/>). Serialises requests that share the key: the
/// first proceeds, repeats get its stored response, a different request with the key is refused.
/// </summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>Called before the request runs; <paramref name="fingerprint"/> identifies the request.</summary>
    Task<IdempotencyCheck> Begin(string fingerprint);

    /// <summary>Stores the first response; <paramref name="replayFor"/> bounds how long it is replayed (null: for the retention time).</summary>
    Task Complete(string fingerprint, StoredResponse response, TimeSpan? replayFor);

    /// <summary>The request failed without an answer worth keeping (a 5xx): a retry may run it again.</summary>
    Task Abandon(string fingerprint);
}

[GenerateSerializer, Immutable]
public sealed record IdempotencyCheck(
    [property: Id(0)] IdempotencyOutcome Outcome,
    [property: Id(1)] StoredResponse? Response = null);

public enum IdempotencyOutcome
{
    /// <summary>First time: run the request, then call Complete or Abandon.</summary>
    Proceed,
    /// <summary>Seen before: answer with <see cref="IdempotencyCheck.Response"/>.</summary>
    Replay,
    /// <summary>The key was used for a different request: 422.</summary>
    Mismatch,
    /// <summary>The first request with this key is still running: 409.</summary>
    InProgress,
    /// <summary>Seen before, but its response may no longer be replayed (what it carried has expired): 410.</summary>
    Expired,
}
