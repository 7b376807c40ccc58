namespace Actors.Grains.Platform;

/// <summary>
/// The clock that domain rules read (expiries, periods, timestamps). It is a keyed
/// <see cref="TimeProvider"/> of its own so tests can move it forward without moving the clock
/// Orleans itself runs membership and activation collection on.
/// </summary>
public static class DomainClock
{
    public const string Key = "domain";
}
