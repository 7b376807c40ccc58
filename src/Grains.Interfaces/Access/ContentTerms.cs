namespace Actors.Grains.Access;

/// <summary>What discovery and authorization need; no text.</summary>
[GenerateSerializer, Immutable]
public sealed record ContentTerms(
    [property: Id(0)] string PublisherId,
    [property: Id(1)] string Domain,
    [property: Id(2)] string ContentId,
    [property: Id(3)] string Path,
    [property: Id(4)] int Tier,
    [property: Id(5)] string LicenseId,
    [property: Id(6)] ContentLicense License,
    [property: Id(7)] string CanonicalUrl,
    [property: Id(8)] string ContentUrl,
    [property: Id(9)] string Title);
