namespace Actors.Grains.Platform;

/// <summary>
/// One item's answer in a batched call: the grain's result, or why the item could not be decided
/// (an error such as a failed database call, not a refusal). The other items of the batch still count.
/// <see cref="Unavailable"/>: it failed because storage was unreachable (retry shortly).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BatchAnswer<T>(
    [property: Id(0)] Result<T>? Answer,
    [property: Id(1)] string? Failure,
    [property: Id(2)] bool Unavailable = false)
{
    public static BatchAnswer<T> Of(Result<T> answer) => new(answer, null);
    public static BatchAnswer<T> Failed(Exception e) => new(null, e.Message, e is StorageUnavailableException);
}
