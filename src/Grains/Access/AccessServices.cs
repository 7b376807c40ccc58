namespace Actors.Grains.Access;

public static class AccessServices
{
    /// <summary>The access surface's content paths, its access tokens and the URLs it answers with.</summary>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddSingleton<ContentPathStore>();
        services.AddSingleton<AccessTokenStore>();
        services.AddSingleton<AccessUrls>();
        return services;
    }
}
