namespace Actors.Grains.Feed;

public static class FeedServices
{
    /// <summary>The feed's store (<c>feed_posts</c>), which other domains use to add system posts.</summary>
    public static IServiceCollection AddFeed(this IServiceCollection services)
    {
        services.AddSingleton<FeedStore>();
        return services;
    }
}
