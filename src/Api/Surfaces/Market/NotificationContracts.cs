using System.Text.Json;
using Actors.Grains.Notifications;

namespace Actors.Api.Surfaces.Market;

// The notification inbox in the seed's shapes (Notifications).

public sealed record MarkNotificationsRequest(IReadOnlyList<string?>? Ids, bool? All);

public sealed record MarkNotificationsResponse(int Marked);

public sealed record NotificationBody(string Id, string Type, string Title, string Body, string? Link, JsonElement Data, bool Read, DateTimeOffset CreatedAt)
{
    public static NotificationBody From(NotificationEntry n)
    {
        using var data = JsonDocument.Parse(n.DataJson);
        return new(n.Id, n.Type, n.Title, n.Body, n.Link, data.RootElement.Clone(), n.Read, n.CreatedAt);
    }
}

public sealed record NotificationListResponse(IReadOnlyList<NotificationBody> Notifications, long Total, long UnreadCount)
{
    public static NotificationListResponse From(NotificationPage page) =>
        new([.. page.Notifications.Select(NotificationBody.From)], page.Total, page.UnreadCount);
}
