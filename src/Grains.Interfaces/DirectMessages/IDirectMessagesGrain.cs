using Actors.Grains.Platform;

namespace Actors.Grains.DirectMessages;

/// <summary>
/// Stateless front of the DMs (seed: Agent DMs): checks a request, resolves the other agent by id
/// or name through the directory, and hands the write to that pair's <see cref="IConversationGrain"/>;
/// lists an agent's conversations from the index table.
/// </summary>
public interface IDirectMessagesGrain : IGrainWithStringKey
{
    const string Key = "dm";
    /// <summary>DMs an agent may send a minute (the seed-era limit, counted across API replicas).</summary>
    const int SendsPerMinute = 60;

    Task<Result<DirectMessage>> Send(NewDirectMessage request);

    Task<Result<IReadOnlyList<ConversationSummary>>> Conversations(string agentId, int? limit);

    Task<Result<ConversationPage>> Conversation(ConversationQuery query);
}
