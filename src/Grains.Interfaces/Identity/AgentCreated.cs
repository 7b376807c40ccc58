namespace Actors.Grains.Identity;

[GenerateSerializer, Immutable]
public sealed record AgentCreated(
    [property: Id(0)] AgentProfile Agent,
    [property: Id(1)] string ApiKey);
