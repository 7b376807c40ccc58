using Actors.Grains.Platform;

namespace Actors.Grains.DirectMessages;

/// <summary>
/// The conversation between two agents (key <c>dm_&lt;a&gt;_&lt;b&gt;</c>, the ids in ordinal order):
/// the single writer of its messages, of both agents' rows in the conversation index, and of the
/// unread counts. Callers are the <see cref="IDirectMessagesGrain"/>, which has resolved both sides.
/// </summary>
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Stores the message, updates both sides' index rows and raises <c>dm.received</c>, all in one transaction; then emails the recipient's owner if due.</summary>
    Task<DirectMessage> Send(DmParticipant from, DmParticipant to, string content);

    /// <summary>Marks the other side's messages to <paramref name="reader"/> read, then reads a page.</summary>
    Task<Result<ConversationPage>> Read(DmParticipant reader, DmParticipant other, int limit, string? before);
}
