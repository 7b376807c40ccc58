using System.Net.Http.Headers;
using Actors.Api.Hosting;
using Actors.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Actors.Grains.Platform;

namespace Actors.Tests.Infrastructure;

/// <summary>
/// The whole system for a test collection: a throwaway PostgreSQL, one real silo and one real
/// API, both in this process and talking over TCP exactly as in production.
/// </summary>
public sealed class ActorsStack : IAsyncLifetime
{
    public const string OperatorUser = "operator";
    public const string OperatorPassword = "test-operator-password";
    public const string AdminToken = "test-admin-token";

    WebApplication? _silo;
    WebApplication? _api;

    public TestPostgres Postgres { get; private set; } = null!;
    public int SiloPort { get; } = FreePort.Next();
    public int GatewayPort { get; } = FreePort.Next();
    public Uri SiloUrl { get; } = new($"http://127.0.0.1:{FreePort.Next()}");
    public Uri ApiUrl { get; } = new($"http://127.0.0.1:{FreePort.Next()}");
    public string MailDrop { get; } = Directory.CreateTempSubdirectory("actors-mail-").FullName;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The silo's clock: <see cref="TestClock.Advance"/> moves every grain's "now" forward.</summary>
    public TestClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        Postgres = await TestPostgres.Start();
        await StartSilo();
        // The API's rate-limit leases run on the same clock as the grains that grant them.
        _api = ApiApp.Build(["--urls", ApiUrl.ToString()], b =>
        {
            Configure(b, new()
            {
                ["Cluster:GatewayListRefreshPeriod"] = "00:00:01",
                ["Cluster:ResponseTimeout"] = "00:00:05",
                ["Auth:KeyCacheFor"] = "00:00:01",
                ["Memory:RegistrationsPerHourPerAddress"] = "10000",
                // Every test connects its taskboard agents from 127.0.0.1.
                ["Taskboard:ConnectsPerHourPerAddress"] = "100000",
                ["Admin:Token"] = AdminToken,
                // The tests' webhook receivers listen on 127.0.0.1: the SSRF guard lets them through.
                ["Webhooks:AllowPrivateNetworks"] = "true",
            });
            b.Services.AddKeyedSingleton<TimeProvider>(Grains.Platform.DomainClock.Key, Clock);
            LogCapture.Of(this).AddTo(b.Logging, "api");
        });
        await _api.StartAsync();
        Http = new HttpClient { BaseAddress = ApiUrl };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_api is not null) { await _api.StopAsync(); await _api.DisposeAsync(); }
        await StopSilo();
        await Postgres.DisposeAsync();
        try { Directory.Delete(MailDrop, recursive: true); } catch (IOException) { }
    }

    /// <summary>Settings every silo of this stack shares: one cluster on one database, fast failure detection.</summary>
    public Dictionary<string, string?> SiloSettings(int siloPort, int gatewayPort) => new()
    {
        ["Cluster:SiloPort"] = siloPort.ToString(),
        ["Cluster:GatewayPort"] = gatewayPort.ToString(),
        ["Cluster:Membership:ProbeTimeout"] = "00:00:01",
        ["Cluster:Membership:NumMissedProbesLimit"] = "2",
        ["Cluster:Membership:IAmAliveTablePublishTimeout"] = "00:00:02",
        ["Cluster:Membership:TableRefreshTimeout"] = "00:00:01",
        ["Cluster:Membership:DeathVoteExpirationTimeout"] = "00:00:10",
        ["Cluster:Reminders:MinimumReminderPeriod"] = "00:00:01",
        ["Operator:Username"] = OperatorUser,
        ["Operator:Password"] = OperatorPassword,
        ["Memory:FingerprintKey"] = "test-memory-fingerprint-key-0123456789abcdef",
        ["DataProtection:KeyEncryptionKey"] = "test-key-encryption-key-0123456789abcdef",
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        // The fake clock moves in jumps no reminder sees: the sweep wakes what is due at once.
        ["Subscriptions:SweepEvery"] = "00:00:00.250",
        ["Subscriptions:SweepGrace"] = "00:00:00",
        ["Subscriptions:MinReminderWait"] = "00:00:01",
        ["Taskboard:SweepEvery"] = "00:00:00.250",
        ["Taskboard:SweepGrace"] = "00:00:00",
        ["Taskboard:MinReminderWait"] = "00:00:01",
        // Within the API's 5 s grain-call timeout above, with room for a loaded machine.
        ["Webhooks:TestTimeout"] = "00:00:02",
    };

    public async Task StartSilo()
    {
        _silo = SiloApp.Build(["--urls", SiloUrl.ToString()], b =>
        {
            Configure(b, SiloSettings(SiloPort, GatewayPort));
            b.Services.AddKeyedSingleton<TimeProvider>(Grains.Platform.DomainClock.Key, Clock);
            LogCapture.Of(this).AddTo(b.Logging, "silo");
        });
        await SiloApp.StartAsync(_silo);
    }

    public async Task StopSilo()
    {
        if (_silo is null) return;
        await _silo.StopAsync();
        await _silo.DisposeAsync();
        _silo = null;
    }

    public IServiceProvider SiloServices => _silo?.Services ?? throw new InvalidOperationException("The silo is not running");

    /// <summary>The API's services: its cluster client calls grains over the gateway, as every request does.</summary>
    public IServiceProvider ApiServices => _api?.Services ?? throw new InvalidOperationException("The API is not running");

    /// <summary>Every activation of the silo collected: the next call of any grain starts from its stored state.</summary>
    public Task CollectActivations() =>
        SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    /// <summary>An HTTP client that acts as one agent.</summary>
    public HttpClient AsAgent(string apiKey)
    {
        var client = new HttpClient { BaseAddress = ApiUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    void Configure(WebApplicationBuilder builder, Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Actors"] = Postgres.ConnectionString;
        settings["Actors:PublicBaseUrl"] = ApiUrl.ToString();
        settings["Actors:MailDropPath"] = MailDrop;
        settings["Logging:LogLevel:Default"] = "Warning";
        settings["Logging:LogLevel:Orleans"] = "Error";
        builder.Configuration.AddInMemoryCollection(settings);
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<ActorsStack>
{
    public const string Name = "stack";
}
