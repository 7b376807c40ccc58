using Actors.Api.Http;
using Actors.Grains.DirectMessages;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>Agent DMs (seed: Agent DMs): send, list the conversations, read one (which marks it read).</summary>
public static class DirectMessageEndpoints
{
    public static void MapDirectMessages(this IEndpointRouteBuilder market)
    {
        var dm = market.MapGroup("/api/agents/dm").WithTags("market").RequireAuthorization();
        dm.MapPost("/", Send)
            .RequireRateLimit("market-dm", IDirectMessagesGrain.SendsPerMinute, TimeSpan.FromMinutes(1), CallerId)
            .RequireIdempotency("market-dm", CallerId);
        dm.MapGet("/", Read);
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static async Task<Results<Created<SendDmResponse>, ProblemAnswer>> Send(SendDmRequest request, AgentPrincipal caller, IClusterClient orleans)
    {
        var result = await Dms(orleans).Send(new NewDirectMessage(caller.AgentId, request.To, request.Message));
        if (result.Problem is { } problem) return ApiProblem.From(problem);
        var message = result.Value!;
        return TypedResults.Created($"/market/api/agents/dm?with={Uri.EscapeDataString(message.To.Id)}",
            new SendDmResponse(true, DmMessageBody.Of(message)));
    }

    // Without "with": the caller's conversations; with it, one conversation (the caller is always one side).
    static async Task<Results<Ok<DmConversationsResponse>, Ok<DmConversationResponse>, ProblemAnswer>> Read(
        HttpRequest http, AgentPrincipal caller, IClusterClient orleans, string? with = null, int? limit = null, string? before = null)
    {
        // "?with=" names nobody: a 400, not the list.
        if (with is null && !http.Query.ContainsKey("with"))
        {
            var list = await Dms(orleans).Conversations(caller.AgentId, limit);
            if (list.Problem is { } problem) return ApiProblem.From(problem);
            return TypedResults.Ok(new DmConversationsResponse(list.Value!.Select(DmConversationItem.From).ToList()));
        }
        var page = await Dms(orleans).Conversation(new ConversationQuery(caller.AgentId, with ?? "", limit, before));
        return page.Problem is { } refused ? ApiProblem.From(refused) : TypedResults.Ok(DmConversationResponse.From(page.Value!, caller.AgentId));
    }

    static IDirectMessagesGrain Dms(IClusterClient orleans) => orleans.GetGrain<IDirectMessagesGrain>(IDirectMessagesGrain.Key);
}
