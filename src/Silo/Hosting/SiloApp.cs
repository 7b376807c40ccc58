using System.Net;
using Actors.Grains.Platform;
using Actors.Grains.Access;
using Actors.Grains.Email;
using Actors.Grains.Offset;
using Actors.Grains.Memory;
using Actors.Grains.Ledger;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime;
using Actors.Grains.Market;
using Actors.Grains.Idempotency;

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

        if (!builder.Services.Any(d => d.IsKeyedService && Equals(d.ServiceKey, DomainClock.Key) && d.ServiceType == typeof(TimeProvider)))
            builder.Services.AddKeyedSingleton(DomainClock.Key, TimeProvider.System);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.Configure<ActorsOptions>(config.GetSection("Actors"));
        builder.Services.Configure<OperatorOptions>(config.GetSection("Operator"));
        builder.Services.AddSingleton<AgentDirectoryStore>();
        builder.Services.AddSingleton<EmailOutbox>();
        builder.Services.AddOptions<MemoryOptions>().Bind(config.GetSection("Memory"))
            .Validate(o => o.FingerprintKey is { Length: >= MachineFingerprint.MinKeyLength },
                $"Memory:FingerprintKey must be set to a secret of at least {MachineFingerprint.MinKeyLength} characters")
            .ValidateOnStart();
        builder.Services.AddSingleton<MachineFingerprint>();
        builder.Services.AddSingleton<MemoryStore>();
        builder.Services.AddSingleton<LedgerStore>();
        builder.Services.Configure<LedgerOptions>(config.GetSection("Ledger"));
        builder.Services.AddSingleton<LedgerGroupCommit>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<ContentPathStore>();
        builder.Services.AddSingleton<AccessTokenStore>();
        builder.Services.AddSingleton<Actors.Grains.Payments.IPaymentProvider, Actors.Grains.Payments.SandboxPaymentProvider>();
        builder.Services.AddSingleton<AccessUrls>();
        builder.Services.AddHostedService<MailDispatcher>();
        builder.Services.AddDataProtection().SetApplicationName("Actors");
        builder.Services.AddSingleton<DataProtectionKeyStore>();
        builder.Services.AddOptions<KeyRingOptions>().Bind(config.GetSection("DataProtection"))
            .Validate(o => o.KeyEncryptionKey is { Length: >= KeyRingOptions.MinKeyLength },
                $"DataProtection:KeyEncryptionKey must be set to a secret of at least {KeyRingOptions.MinKeyLength} characters")
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyRingEncryptor>();
        // The ring lives in PostgreSQL; each key in it is encrypted with a key that does not.
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DataProtectionKeyStore, KeyRingEncryptor>((o, store, encryptor) =>
            {
                o.XmlRepository = store;
                o.XmlEncryptor = encryptor;
            });
        builder.Services.Configure<OffsetOptions>(config.GetSection("Offset"));
        builder.Services.AddSingleton<UsageEventStore>();
        builder.Services.AddSingleton<UsageEventWriter>();
        builder.Services.AddSingleton<ProviderKeys>();

        builder.UseOrleans(silo =>
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
        });

        builder.Services.AddAuthentication(OperatorAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("operator", policy => policy.RequireRole("operator"));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization("operator");
        app.MapMailbox();
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        app.MapGet("/health/ready", Ready);
        return app;
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
