namespace Actors.Grains.Platform;

/// <summary>
/// A call could not be decided because the database is unreachable or refusing connections (an
/// outage, a restart, a full pool). Transient: the same call succeeds once the database is back,
/// so the API answers 503 with Retry-After. It crosses grain boundaries as it is, unlike the
/// driver's own exceptions, which have no codec; it carries no inner exception for that reason.
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() : this("Storage is temporarily unavailable") { }

    public StorageUnavailableException(string message) : base(message) { }

    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
