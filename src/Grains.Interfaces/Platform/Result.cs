namespace Actors.Grains.Platform;

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
