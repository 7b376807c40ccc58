using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Api.Surfaces.Access;
using Actors.Api.Surfaces.Market;
using Actors.Api.Surfaces.Offset;
using Actors.Api.Surfaces.Memory;
using Actors.Grains.Offset;
using Actors.Grains.Platform;
using Orleans.Configuration;
using Scalar.AspNetCore;

namespace Actors.Api.Hosting;

/// <summary>Builds the API host (an Orleans client). Program.cs runs it; the tests start it in-process.</summary>
public static class ApiApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);
        var config = builder.Configuration;

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.UseOrleansClient(client =>
        {
            var orleans = config.GetSection("Cluster");
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans["ClusterId"] ?? "actors";
                o.ServiceId = orleans["ServiceId"] ?? "actors";
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = ConnectionString(config);
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = orleans.GetValue("GatewayListRefreshPeriod", TimeSpan.FromSeconds(10)));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = orleans.GetValue("ResponseTimeout", TimeSpan.FromSeconds(10)));
            // A silo may be restarting: keep trying rather than exiting, and log each attempt.
            client.UseConnectionRetryFilter(async (exception, ct) =>
            {
                Console.Error.WriteLine($"Waiting for a silo: {exception.Message}");
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                return true;
            });
        });

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<RateLimitLeases>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ErrorHandling>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSingleton<AgentKeyCache>();
        builder.Services.AddAuthentication(AgentAuthenticationHandler.SchemeName)
            .AddScheme<AgentAuthenticationOptions, AgentAuthenticationHandler>(AgentAuthenticationHandler.SchemeName,
                o => o.CacheFor = config.GetValue("Auth:KeyCacheFor", TimeSpan.FromSeconds(5)))
            .AddHumanSessions();
        builder.Services.AddAuthorization();
        builder.Services.AddAdminToken();
        builder.Services.AddOpenApi();
        builder.Services.AddOffsetMcp();
        builder.Services.Configure<UsageWriterOptions>(config.GetSection(UsageWriterOptions.Section));
        builder.Services.AddSingleton<UsageReports>();
        builder.Services.AddSingleton<AccessAuthorizations>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => context.HttpContext.Response.HasStarted
            ? Task.CompletedTask
            : ApiProblem.Write(context.HttpContext, context.HttpContext.Response.StatusCode, "Error",
                ReasonFor(context.HttpContext.Response.StatusCode)));
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Actors API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", Ready).ExcludeFromDescription();
        app.MapHumanPages();
        app.MapMarket();
        app.MapOffset();
        app.MapMemory();
        app.MapAccess();
        return app;
    }

    public static string ConnectionString(IConfiguration config)
    {
        var raw = config.GetConnectionString("Actors")
            ?? throw new InvalidOperationException("ConnectionStrings:Actors is not configured");
        // The client only reads the gateway list: a handful of pooled connections is plenty.
        return raw.Contains("Pool Size", StringComparison.OrdinalIgnoreCase) ? raw : raw.TrimEnd(';') + ";Maximum Pool Size=5";
    }

    static async Task<IResult> Ready(IClusterClient orleans, HttpContext context)
    {
        try
        {
            await orleans.GetGrain<IPingGrain>(IPingGrain.Key).Ping().WaitAsync(TimeSpan.FromSeconds(2));
            return TypedResults.Ok(new { status = "ready" });
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            context.Response.Headers.RetryAfter = ErrorHandling.RetryAfterSeconds.ToString();
            return TypedResults.Json(new { status = "no silo reachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    static string ReasonFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "No such endpoint",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed on this endpoint",
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json",
        _ => "Request failed",
    };
}
