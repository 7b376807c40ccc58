using Npgsql;
using Actors.Grains.Email;
using Actors.Grains.Identity;
using Actors.Grains.Platform;
using Actors.Grains.Webhooks;

namespace Actors.Grains.DirectMessages;

/// <summary>
/// The single writer of one conversation. What it decides from (each side's unread count and when
/// its owner was last emailed) is bounded and lives in the conversation's two index rows, which
/// are written in the same transaction as each message: the grain reads them once on activation
/// and keeps them in memory instead of a second persisted copy that a crash could leave behind
/// the rows. A failed write drops the activation (FailedCallRecovery), so the next call reloads them.
/// </summary>
public sealed class ConversationGrain(
    DirectMessageStore store,
    WebhookOutbox webhooks,
    EmailOutbox email,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IConversationGrain
{
    static readonly DirectMessageStore.Side NoSide = new(0, null);
    Dictionary<string, DirectMessageStore.Side> _sides = [];

    string ConversationId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        StorageFailures.Activating(async () => _sides = await store.Sides(ConversationId));

    public async Task<DirectMessage> Send(DmParticipant from, DmParticipant to, string content)
    {
        var now = clock.GetUtcNow();
        var sender = SideOf(from.Id);
        var recipient = SideOf(to.Id);

        // The owner is looked up only when an email is due (at most hourly per conversation side).
        var ownerEmail = DirectMessageRules.EmailDue(recipient.OwnerEmailedAt, now)
            ? (await GrainFactory.GetGrain<IAgentGrain>(to.Id).GetProfile())?.OwnerEmail
            : null;
        var nextRecipient = new DirectMessageStore.Side(recipient.Unread + 1, ownerEmail is null ? recipient.OwnerEmailedAt : now);

        var message = new DirectMessage(RandomToken.Id("dmsg"), ConversationId, from, to, content, false, now);
        var received = new WebhookEvent(to.Id, "dm.received", new
        {
            message.Id, message.Content, message.From, message.To, message.ConversationId, message.CreatedAt,
        });
        // The event and the owner's email commit with the message: neither is written for a message
        // that was not stored, nor lost for one that was.
        List<NpgsqlBatchCommand> alsoCommit = [webhooks.Command([received])];
        if (ownerEmail is not null)
            alsoCommit.Add(email.Command(ownerEmail, DirectMessageRules.EmailSubject(from), DirectMessageRules.EmailText(from, to, content)));
        await store.Send(message, sender, nextRecipient, alsoCommit);
        _sides[to.Id] = nextRecipient;
        return message;
    }

    public async Task<Result<ConversationPage>> Read(DmParticipant reader, DmParticipant other, int limit, string? before)
    {
        if (before is not null && !await store.HasMessage(ConversationId, before))
            return Problem.Invalid("before", "before must be the id of a message of this conversation");
        if (SideOf(reader.Id) is { Unread: > 0 } side)
        {
            await store.MarkRead(ConversationId, reader.Id, clock.GetUtcNow());
            _sides[reader.Id] = side with { Unread = 0 };
        }
        var (messages, hasMore) = await store.Page(ConversationId, limit, before);
        return Result<ConversationPage>.Ok(new ConversationPage(ConversationId, other, messages, hasMore));
    }

    DirectMessageStore.Side SideOf(string agentId) => _sides.GetValueOrDefault(agentId, NoSide);
}
