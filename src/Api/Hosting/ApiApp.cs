using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Api.Surfaces.Access;
using Actors.Api.Surfaces.Market;
using Actors.Api.Surfaces.Memory;
using Actors.Api.Surfaces.Offset;
using Actors.Api.Surfaces.Taskboard;
using Actors.Grains.Platform;
using Orleans.Configuration;
using Scalar.AspNetCore;

namespace Actors.Api.Hosting;

/// <summary>
/// Builds the API host (an Orleans client): the shared edge (errors, authentication, rate limits,
/// OpenAPI, health, human pages) and one line per domain. Program.cs runs it; the tests start it in-process.
/// </summary>
public static class ApiApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        AddClusterClient(builder);
        builder.Services.AddMemoryCache(); // human sessions, resolved per replica
        builder.Services.AddInputRules(); // before the error answers: its exception handler runs first
        builder.Services.AddErrorAnswers();
        builder.Services.AddAgentKeys(builder.Configuration).AddHumanSessions();
        builder.Services.AddAuthorization();
        builder.Services.AddAdminToken();
        builder.Services.AddAgentOrOperator();
        builder.Services.AddRateLimits();
        builder.Services.AddOpenApi();

        builder.AddMarket();
        builder.AddOffset();
        builder.AddMemory();
        builder.AddAccess();
        builder.AddTaskboard();

        var app = builder.Build();
        app.UseErrorAnswers();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseInputRules();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Actors API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", Ready).ExcludeFromDescription();
        app.MapHumanPages();

        app.MapMarket();
        app.MapOffset();
        app.MapMemory();
        app.MapAccess();
        app.MapTaskboard();
        return app;
    }

    static void AddClusterClient(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
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
    }

    public static string ConnectionString(IConfiguration config)
    {
        var raw = config.GetConnectionString("Actors")
            ?? throw new InvalidOperationException("ConnectionStrings:Actors is not configured");
        // The client only reads the gateway list: a handful of pooled connections is plenty.
        return raw.Contains("Pool Size", StringComparison.OrdinalIgnoreCase) ? raw : raw.TrimEnd(';') + ";Maximum Pool Size=5";
    }

    /// <summary>Ready while a silo answers and reaches the database: without it every grain-backed call is a 503.</summary>
    static async Task<IResult> Ready(IClusterClient orleans)
    {
        try
        {
            await orleans.GetGrain<IPingGrain>(IPingGrain.Key).Ready().WaitAsync(TimeSpan.FromSeconds(3));
            return TypedResults.Ok(new { status = "ready" });
        }
        catch (Exception e) when (ErrorHandling.IsStorageUnavailable(e))
        {
            return ErrorJson.Create(StatusCodes.Status503ServiceUnavailable, new { status = "storage unavailable" }, ErrorHandling.RetryAfterSeconds);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or InvalidOperationException)
        {
            return ErrorJson.Create(StatusCodes.Status503ServiceUnavailable, new { status = "no silo reachable" }, ErrorHandling.RetryAfterSeconds);
        }
    }
}
