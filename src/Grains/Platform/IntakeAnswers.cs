using Microsoft.Extensions.Logging;

namespace Actors.Grains.Platform;

/// <summary>
/// The answers of one batch an intake grain takes from an API process (the usage reports, the
/// authorizations): each item is answered on its own, at once (a refusal), by a fast path (a
/// group-commit write, <typeparamref name="TFast"/>) or by the grain that owns it, whose answer
/// is the one it gives a lone request. An item that fails is answered with its failure alone
/// (and logged); the others still count.
/// </summary>
/// <param name="count">Items in the batch; every one of them is answered, decided or sent on.</param>
/// <param name="owner">Hands item i to its owning grain.</param>
/// <param name="failure">The warning logged for a failed item: a message template with one placeholder, <paramref name="subject"/>.</param>
public sealed class IntakeAnswers<TFast, T>(
    int count, Func<int, Task<Result<T>>> owner, ILogger logger, string failure, Func<int, object?> subject)
{
    readonly BatchAnswer<T>?[] _answers = new BatchAnswer<T>?[count];
    readonly Task<TFast>?[] _fast = new Task<TFast>?[count];
    readonly Task<Result<T>>?[] _owned = new Task<Result<T>>?[count];

    /// <summary>Item i has its answer, or is on its way to one.</summary>
    public bool Taken(int i) => _answers[i] is not null || _fast[i] is not null || _owned[i] is not null;

    public void Answer(int i, Result<T> answer) => _answers[i] = BatchAnswer<T>.Of(answer);

    public void Fail(int i, Exception e)
    {
        logger.LogWarning(e, failure, subject(i));
        _answers[i] = BatchAnswer<T>.Failed(StorageFailures.Translate(e));
    }

    public void Fast(int i, Task<TFast> write) => _fast[i] = write;

    public void ToOwner(int i) => _owned[i] = owner(i);

    /// <summary>
    /// Every item's answer, once all are known. <paramref name="settle"/> turns a fast path's outcome
    /// into item i's answer, or into null: then its owning grain decides after all.
    /// </summary>
    public async Task<BatchAnswer<T>[]> All(Func<int, TFast, Result<T>?> settle)
    {
        for (var i = 0; i < _fast.Length; i++)
        {
            if (_fast[i] is not { } write) continue;
            try
            {
                if (settle(i, await write) is { } answer) Answer(i, answer);
                else ToOwner(i);
            }
            catch (Exception e)
            {
                Fail(i, e);
            }
        }

        for (var i = 0; i < _owned.Length; i++)
        {
            if (_owned[i] is not { } call) continue;
            try
            {
                Answer(i, await call);
            }
            catch (Exception e)
            {
                Fail(i, e);
            }
        }
        return _answers!;
    }
}
