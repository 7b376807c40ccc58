namespace Actors.Grains.Webhooks;

/// <summary>What a test delivery got back: the receiver's status code (null when it never answered) and the body sent.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookTestOutcome(
    [property: Id(0)] string Url,
    [property: Id(1)] bool Success,
    [property: Id(2)] int? StatusCode,
    [property: Id(3)] string Message,
    [property: Id(4)] string PayloadSent);
