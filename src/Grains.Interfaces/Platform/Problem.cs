namespace Actors.Grains.Platform;

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
