namespace Actors.Grains.Webhooks;

/// <summary>One delivery attempt's outcome, as the dispatcher tells the endpoint. <see cref="StatusCode"/> null: no answer.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookAttemptReport(
    [property: Id(0)] int? StatusCode,
    [property: Id(1)] bool Succeeded);
