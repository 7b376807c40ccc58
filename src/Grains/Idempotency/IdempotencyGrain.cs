using Actors.Grains.Platform;

namespace Actors.Grains.Idempotency;

/// <summary>
/// The stored response lives in PostgreSQL (<see cref="IdempotencyStore"/>); the grain only
/// caches it and remembers, in memory, that a first request is running. Losing that memory
/// (a silo dies mid-request) lets a retry run again, which is why money-moving handlers also
/// derive their ledger transfer id from the key: the retry can never spend twice.
/// Collected after 2 idle minutes, not the silo's 15: one activation per keyed POST would otherwise
/// stay that long. That is well past <see cref="RunningLease"/> (no request runs longer than the
/// calls' timeout), and a later repeat reloads the stored answer.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class IdempotencyGrain(
    IdempotencyStore store,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IIdempotencyGrain
{
    /// <summary>How long a response is kept for repeats.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A first request that neither completes nor abandons within this time stops blocking retries.</summary>
    static readonly TimeSpan RunningLease = TimeSpan.FromSeconds(30);

    StoredIdempotentResponse? _stored;
    bool _loaded;
    string? _runningFingerprint;
    DateTimeOffset _runningUntil;

    string KeyId => this.GetPrimaryKeyString();

    public async Task<IdempotencyCheck> Begin(string fingerprint)
    {
        var now = clock.GetUtcNow();
        if (!_loaded)
        {
            _stored = await store.Find(KeyId);
            _loaded = true;
        }
        if (_stored is not null && now >= _stored.CreatedAt + Retention) _stored = null;

        if (_stored is { } stored)
        {
            if (stored.Fingerprint != fingerprint) return new IdempotencyCheck(IdempotencyOutcome.Mismatch);
            if (stored.ReplayUntil is { } until && now >= until)
            {
                if (stored.Response.Body.Length > 0)
                {
                    await store.ForgetBody(KeyId);
                    _stored = stored with { Response = stored.Response with { Body = [] } };
                }
                return new IdempotencyCheck(IdempotencyOutcome.Expired);
            }
            return new IdempotencyCheck(IdempotencyOutcome.Replay, stored.Response);
        }

        if (_runningFingerprint is not null && now < _runningUntil)
            return new IdempotencyCheck(_runningFingerprint == fingerprint ? IdempotencyOutcome.InProgress : IdempotencyOutcome.Mismatch);

        _runningFingerprint = fingerprint;
        _runningUntil = now + RunningLease;
        return new IdempotencyCheck(IdempotencyOutcome.Proceed);
    }

    public async Task Complete(string fingerprint, StoredResponse response, TimeSpan? replayFor)
    {
        if (_runningFingerprint != fingerprint) return;
        var now = clock.GetUtcNow();
        _stored = await store.Insert(KeyId, new StoredIdempotentResponse(fingerprint, response, now + replayFor, now));
        _loaded = true;
        _runningFingerprint = null;
    }

    public Task Abandon(string fingerprint)
    {
        if (_runningFingerprint == fingerprint) _runningFingerprint = null;
        return Task.CompletedTask;
    }
}
