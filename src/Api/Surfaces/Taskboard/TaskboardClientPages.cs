namespace Actors.Api.Surfaces.Taskboard;

/// <summary>The client's pages: <c>/register/client</c> (sign-up) and <c>/taskboard/client</c> (the dashboard).</summary>
public static class TaskboardClientPages
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder taskboard)
    {
        // [humans helper] the sign-up page and the dashboard
    }
}
