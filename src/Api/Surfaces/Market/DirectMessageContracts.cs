using Actors.Grains.DirectMessages;

namespace Actors.Api.Surfaces.Market;

// Agent DMs in the seed's shapes (Agent DMs); besides the document's conversation, GET ?with=
// answers top-level messages with senderName, which deployed clients read.

public sealed record SendDmRequest(string? To, string? Message);

public sealed record SendDmResponse(bool Success, DmMessageBody Message);

public sealed record DmMessageBody(string Id, string Content, DmParticipant From, DmParticipant To, string ConversationId, DateTimeOffset CreatedAt)
{
    public static DmMessageBody Of(DirectMessage m) => new(m.Id, m.Content, m.From, m.To, m.ConversationId, m.CreatedAt);
}

public sealed record DmConversationsResponse(IReadOnlyList<DmConversationItem> Conversations);

public sealed record DmConversationItem(string Id, DmWith With, DmLastMessage LastMessage, int Unread, DateTimeOffset UpdatedAt)
{
    public static DmConversationItem From(ConversationSummary c) => new(
        c.Id, new DmWith(c.With.Id, c.With.Name, c.WithAvatarUrl), new DmLastMessage(c.LastMessage, c.LastFromMe, c.LastAt), c.Unread, c.LastAt);
}

public sealed record DmWith(string Id, string Name, string? AvatarUrl);

public sealed record DmLastMessage(string Content, bool FromMe, DateTimeOffset CreatedAt);

public sealed record DmConversationResponse(DmConversationBody Conversation, IReadOnlyList<DmConversationMessage> Messages, bool HasMore)
{
    public static DmConversationResponse From(ConversationPage page, string readerId)
    {
        var messages = page.Messages.Select(m => DmConversationMessage.From(m, readerId)).ToList();
        return new DmConversationResponse(new DmConversationBody(page.Id, page.With, messages), messages, page.HasMore);
    }
}

public sealed record DmConversationBody(string Id, DmParticipant With, IReadOnlyList<DmConversationMessage> Messages);

public sealed record DmConversationMessage(string Id, string Content, bool FromMe, string SenderId, string SenderName, bool Read, DateTimeOffset CreatedAt)
{
    public static DmConversationMessage From(DirectMessage m, string readerId) =>
        new(m.Id, m.Content, m.From.Id == readerId, m.From.Id, m.From.Name, m.Read, m.CreatedAt);
}
