namespace Actors.Grains.Access;

/// <summary>The seed's license object, echoed in authorize answers.</summary>
[GenerateSerializer, Immutable]
public sealed record ContentLicense(
    [property: Id(0)] string Summary,
    [property: Id(1)] bool InternalAnalysis,
    [property: Id(2)] bool Summarisation,
    [property: Id(3)] bool ShortQuotes,
    [property: Id(4)] bool Redistribution,
    [property: Id(5)] bool ModelTraining,
    [property: Id(6)] int CacheTtlSeconds);
