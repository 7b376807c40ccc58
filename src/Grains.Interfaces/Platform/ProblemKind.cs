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
