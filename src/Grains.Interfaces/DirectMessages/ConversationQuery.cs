namespace Actors.Grains.DirectMessages;

/// <summary>
/// A page of the conversation between <see cref="AgentId"/> and <see cref="With"/> (an id or a
/// name): at most <see cref="Limit"/> messages, older than the message <see cref="Before"/> when given.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConversationQuery(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string? With,
    [property: Id(2)] int? Limit,
    [property: Id(3)] string? Before);
