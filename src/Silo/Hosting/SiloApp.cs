using System.Net;
using Actors.Grains.Access;
using Actors.Grains.DirectMessages;
using Actors.Grains.Email;
using Actors.Grains.Feed;
using Actors.Grains.Idempotency;
using Actors.Grains.Ledger;
using Actors.Grains.Market;
using Actors.Grains.Notifications;
using Actors.Grains.Webhooks;
using Actors.Grains.Memory;
using Actors.Grains.Offset;
using Actors.Grains.Payments;
using Actors.Grains.Platform;
using Actors.Grains.Subscriptions;
using Actors.Grains.Taskboard;
using Actors.Grains.Wallets;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime;

namespace Actors.Silo.Hosting;

/// <summary>Builds the silo host. Program.cs runs it; the tests start it in-process.</summary>
public static class SiloApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        customize?.Invoke(builder);
        var config = builder.Configuration;
        var connectionString = ConnectionString(config);

        builder.Services
            .AddPlatform(config, connectionString)
            .AddMarket()
            .AddMarketJobs(config)
            .AddEmail()
            .AddMemory(config)
            .AddLedger(config)
            .AddIdempotency()
            .AddAccess()
            .AddPayments()
            .AddWallets()
            .AddWebhooks(config)
            .AddNotifications()
            .AddDirectMessages()
            .AddFeed()
            .AddSubscriptions(config)
            .AddTaskboard(config)
            .AddOffset(config);

        builder.UseOrleans(silo => ConfigureSilo(silo, config, connectionString));
        builder.Services.AddOperatorAuthentication(config);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization("operator");
        app.MapMailbox();
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        app.MapGet("/health/ready", Ready);
        return app;
    }

    /// <summary>The cluster's identity and endpoints, its ADO.NET providers on PostgreSQL, and the dashboard.</summary>
    static void ConfigureSilo(ISiloBuilder silo, IConfiguration config, string connectionString)
    {
        var orleans = config.GetSection("Cluster");
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans["ClusterId"] ?? "actors";
            o.ServiceId = orleans["ServiceId"] ?? "actors";
        });
        silo.ConfigureEndpoints(
            IPAddress.Parse(orleans["AdvertisedIP"] ?? "127.0.0.1"),
            orleans.GetValue("SiloPort", 11111),
            orleans.GetValue("GatewayPort", 30000),
            listenOnAnyHostAddress: orleans.GetValue("ListenOnAnyHostAddress", false));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage("store", o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new JsonGrainStateSerializer();
        });
        OutageAwareGrainStorage.Decorate(silo.Services, "store");
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.Services.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
        silo.Services.Configure<ReminderOptions>(orleans.GetSection("Reminders"));
        silo.AddDashboard();
        silo.AddIncomingGrainCallFilter<FailedCallRecovery>();
        silo.AddStartupTask((services, _) =>
            services.GetRequiredService<IGrainFactory>().GetGrain<IHousekeepingGrain>(IHousekeepingGrain.Key).Ensure());
    }

    /// <summary>Applies the schema, then starts the silo: membership tables must exist before it joins.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken ct = default)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Actors.Schema");
        await SchemaMigrator.Apply(ConnectionString(app.Configuration), logger, ct);
        await app.StartAsync(ct);
    }

    /// <summary>
    /// Pooled connections skip <c>DISCARD ALL</c> on return (it halves write throughput). A silo
    /// holds two pools of this size (the Orleans providers' and the stores' data source), so the
    /// default of 20 keeps two silos and their APIs within PostgreSQL's default 100 connections.
    /// </summary>
    public static string ConnectionString(IConfiguration config)
    {
        var raw = config.GetConnectionString("Actors")
            ?? throw new InvalidOperationException("ConnectionStrings:Actors is not configured");
        var builder = new NpgsqlConnectionStringBuilder(raw) { NoResetOnClose = true };
        if (!raw.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            && !raw.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = 20;
        return builder.ConnectionString;
    }

    static async Task<IResult> Ready(
        IClusterMembershipService membership, ILocalSiloDetails silo, NpgsqlDataSource db, CancellationToken ct)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
            return TypedResults.Json(new { status = "starting", silo = status.ToString() }, statusCode: StatusCodes.Status503ServiceUnavailable);
        try
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return TypedResults.Json(new { status = "database unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return TypedResults.Ok(new { status = "ready", silo = silo.SiloAddress.ToString() });
    }
}
