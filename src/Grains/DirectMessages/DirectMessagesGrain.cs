using Actors.Grains.Identity;
using Actors.Grains.Platform;

namespace Actors.Grains.DirectMessages;

[StatelessWorker, Reentrant]
public sealed class DirectMessagesGrain(DirectMessageStore store) : Grain, IDirectMessagesGrain
{
    public async Task<Result<DirectMessage>> Send(NewDirectMessage request)
    {
        if ((DirectMessageRules.CheckOther("to", request.To) ?? DirectMessageRules.CheckMessage(request.Message)) is { } invalid) return invalid;
        var pair = await Resolve("to", request.SenderId, request.To!);
        if (pair.Problem is { } problem) return problem;
        var (self, other) = pair.Value;
        var conversation = GrainFactory.GetGrain<IConversationGrain>(DirectMessageRules.ConversationId(self.Id, other.Id));
        return Result<DirectMessage>.Ok(await conversation.Send(self, other, request.Message!));
    }

    public async Task<Result<IReadOnlyList<ConversationSummary>>> Conversations(string agentId, int? limit)
    {
        if (DirectMessageRules.CheckLimit(limit) is { } invalid) return invalid;
        var list = await store.Conversations(agentId, limit ?? DirectMessageRules.DefaultLimit);
        // The other side's current name and avatar (a page is at most MaxLimit agents, read in parallel).
        var profiles = await Task.WhenAll(list.Select(c => GrainFactory.GetGrain<IAgentGrain>(c.With.Id).GetProfile()));
        return Result<IReadOnlyList<ConversationSummary>>.Ok(list.Select((c, i) => profiles[i] is { } p
            ? c with { With = new DmParticipant(p.Id, p.Name), WithAvatarUrl = p.AvatarUrl }
            : c).ToList());
    }

    public async Task<Result<ConversationPage>> Conversation(ConversationQuery query)
    {
        if ((DirectMessageRules.CheckOther("with", query.With) ?? DirectMessageRules.CheckLimit(query.Limit)) is { } invalid) return invalid;
        if (query.Before is { Length: 0 or > 64 }) return Problem.Invalid("before", "before must be the id of a message of this conversation");
        var pair = await Resolve("with", query.AgentId, query.With!);
        if (pair.Problem is { } problem) return problem;
        var (self, other) = pair.Value;
        return await GrainFactory.GetGrain<IConversationGrain>(DirectMessageRules.ConversationId(self.Id, other.Id))
            .Read(self, other, query.Limit ?? DirectMessageRules.DefaultLimit, query.Before);
    }

    /// <summary>The asking agent and the one <paramref name="other"/> names, from one directory query.</summary>
    async Task<Result<(DmParticipant Self, DmParticipant Other)>> Resolve(string field, string selfId, string other)
    {
        var (self, matches) = await store.Match(selfId, other);
        if (self is null) return Problem.NotFound("Agent not found");
        var picked = DirectMessageRules.Pick(field, selfId, other, matches);
        if (picked.Problem is { } problem) return problem;
        return Result<(DmParticipant, DmParticipant)>.Ok((self, picked.Value!));
    }
}
