using System.Net;
using System.Net.Sockets;
using Actors.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Infrastructure;

/// <summary>
/// Another API replica of the stack, in this process, on its own port and with settings of its
/// own (a limit the shared API lifts, say): same database, same cluster, same domain clock.
/// </summary>
public sealed class ExtraApi : IAsyncDisposable
{
    readonly WebApplication _app;

    public Uri Url { get; }

    ExtraApi(WebApplication app, Uri url) => (_app, Url) = (app, url);

    public static async Task<ExtraApi> Start(ActorsStack stack, Dictionary<string, string?> overrides)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Actors"] = stack.Postgres.ConnectionString,
            ["Actors:PublicBaseUrl"] = stack.ApiUrl.ToString(),
            ["Actors:MailDropPath"] = stack.MailDrop,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Cluster:GatewayListRefreshPeriod"] = "00:00:01",
            ["Cluster:ResponseTimeout"] = "00:00:05",
            ["Auth:KeyCacheFor"] = "00:00:01",
            ["Admin:Token"] = ActorsStack.AdminToken,
        };
        foreach (var (key, value) in overrides) settings[key] = value;
        var app = ApiApp.Build(["--urls", url.ToString()], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.Services.AddKeyedSingleton<TimeProvider>(Grains.Platform.DomainClock.Key, stack.Clock);
        });
        await app.StartAsync();
        return new ExtraApi(app, url);
    }

    /// <summary>
    /// A client whose connections come from <paramref name="source"/> (any 127.x.y.z is this
    /// machine): the API sees a client address of its own, counted apart from every other test's.
    /// </summary>
    public HttpClient ClientFrom(IPAddress source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = Url };

    /// <summary>A loopback address no other test connects from.</summary>
    public static IPAddress FreshLoopbackAddress() =>
        new([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
