namespace Actors.Grains.Idempotency;

public static class IdempotencyServices
{
    /// <summary>The store of first responses that <c>Idempotency-Key</c> replays.</summary>
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddSingleton<IdempotencyStore>();
        return services;
    }
}
