using Actors.Api.Http;

namespace Actors.Api.Surfaces.Access;

/// <summary>The API's own settings for the access surface (section <c>Access</c>).</summary>
public sealed class AccessApiOptions
{
    public const string Section = "Access";

    /// <summary>The seed's "100 req/min per API key", for each agent key.</summary>
    public int RequestsPerMinute { get; set; } = 100;

    /// <summary>Authorize requests on their way to the silo (<c>Access:Intake:MaxBatch</c>, <c>Access:Intake:InFlight</c>).</summary>
    public IntakeOptions Intake { get; set; } = new();
}

public static class AccessSurface
{
    /// <summary>What the access routes (<see cref="AccessEndpoints.MapAccess"/>) need.</summary>
    public static IHostApplicationBuilder AddAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AccessApiOptions>(builder.Configuration.GetSection(AccessApiOptions.Section));
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<AccessAuthorizations>();
        return builder;
    }
}
