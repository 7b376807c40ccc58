using Actors.Api.Http;
using Actors.Grains.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>The notification inbox (seed: Notifications): list, filter by unread, mark read.</summary>
public static class NotificationEndpoints
{
    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        var inbox = app.MapGroup("/market/api/agents/notifications").WithTags("market").RequireAuthorization();
        inbox.MapGet("/", List);
        // Marking creates nothing and is idempotent by nature (marking twice marks nothing more): no Idempotency-Key.
        inbox.MapPost("/", Mark);
    }

    static async Task<Results<Ok<NotificationListResponse>, ProblemAnswer>> List(
        AgentPrincipal caller, IClusterClient orleans, bool? unread = null, int? limit = null, int? offset = null) =>
        ApiProblem.Answer(await Inbox(orleans).List(new NotificationQuery(caller.AgentId, unread, limit, offset)), NotificationListResponse.From);

    static async Task<Results<Ok<MarkNotificationsResponse>, ProblemAnswer>> Mark(
        MarkNotificationsRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await Inbox(orleans).Mark(new NotificationMarks(caller.AgentId, request.Ids, request.All)),
            marked => new MarkNotificationsResponse(marked));

    static INotificationInboxGrain Inbox(IClusterClient orleans) => orleans.GetGrain<INotificationInboxGrain>(INotificationInboxGrain.Key);
}
