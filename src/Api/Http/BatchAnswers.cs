using Actors.Grains.Platform;

namespace Actors.Api.Http;

public static class BatchAnswers
{
    /// <summary>The item's result; an item the silo could not decide is a 503 (retry shortly), like any unreachable grain or storage.</summary>
    public static Result<T> Unwrap<T>(this BatchAnswer<T> answer) =>
        answer.Answer ?? throw (answer.Unavailable
            ? new StorageUnavailableException(answer.Failure ?? "Storage is temporarily unavailable")
            : new BatchItemFailedException(answer.Failure ?? "The request failed in the cluster"));
}

/// <summary>One item of a batched grain call failed in the silo (a database error, a failed grain).</summary>
public sealed class BatchItemFailedException(string message) : OrleansException(message);
