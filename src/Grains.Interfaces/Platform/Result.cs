namespace Actors.Grains.Platform;

/// <summary>Why a grain refused a request; the API turns the kind into a status code.</summary>
public enum ProblemKind
{
    Invalid,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    TooManyRequests,
    /// <summary>Not enough credits or money for the request; nothing was spent.</summary>
    PaymentRequired,
}

[GenerateSerializer, Immutable]
public sealed record Problem(
    [property: Id(0)] ProblemKind Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] int? RetryAfterSeconds = null)
{
    public static Problem Invalid(string field, string message) => new(ProblemKind.Invalid, message, field);
    public static Problem NotFound(string message) => new(ProblemKind.NotFound, message);
    public static Problem Conflict(string message) => new(ProblemKind.Conflict, message);
    public static Problem Gone(string message) => new(ProblemKind.Gone, message);
    public static Problem Forbidden(string message) => new(ProblemKind.Forbidden, message);
    public static Problem TooManyRequests(string message, int retryAfterSeconds) =>
        new(ProblemKind.TooManyRequests, message, null, retryAfterSeconds);
    public static Problem PaymentRequired(string message) => new(ProblemKind.PaymentRequired, message);
}

/// <summary>Either a value or the problem that prevented it; grains never throw for bad input.</summary>
[GenerateSerializer, Immutable]
public sealed record Result<T>(
    [property: Id(0)] T? Value,
    [property: Id(1)] Problem? Problem)
{
    public bool IsOk => Problem is null;

    public static Result<T> Ok(T value) => new(value, null);

    public static implicit operator Result<T>(Problem problem) => new(default, problem);
}

/// <summary>
/// One item's answer in a batched call: the grain's result, or why the item could not be decided
/// (an error such as a failed database call, not a refusal). The other items of the batch still count.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BatchAnswer<T>(
    [property: Id(0)] Result<T>? Answer,
    [property: Id(1)] string? Failure)
{
    public static BatchAnswer<T> Of(Result<T> answer) => new(answer, null);
    public static BatchAnswer<T> Failed(Exception e) => new(null, e.Message);
}
