namespace Actors.Grains.Platform;

/// <summary>The <c>limit</c> and <c>offset</c> of a listed page, checked alike everywhere (each refusal naming its parameter).</summary>
public static class Paging
{
    /// <summary>The deepest offset a list pages to: deeper pages cost a scan of every row before them.</summary>
    public const int MaxOffset = 100_000;

    /// <summary>Null (absent) passes; else limit 1…<paramref name="maxLimit"/>, offset 0…<paramref name="maxOffset"/>.</summary>
    public static Problem? Check(int? limit, int? offset, int maxLimit, int maxOffset = MaxOffset) =>
        limit < 1 || limit > maxLimit ? Problem.Invalid("limit", $"limit must be between 1 and {maxLimit}")
        : offset < 0 || offset > maxOffset ? Problem.Invalid("offset", $"offset must be between 0 and {maxOffset}")
        : null;
}
