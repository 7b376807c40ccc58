using System.Net;
using System.Net.Sockets;
using System.Text;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Platform;

/// <summary>
/// The SSRF guard with private networks not allowed (the default): it refuses loopback, private,
/// link-local and metadata targets when it connects (so a name resolving to them is refused too),
/// and lets public addresses through.
/// </summary>
public sealed class SsrfGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.1.1")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("64:ff9b::7f00:1")]
    public void Loopback_private_link_local_multicast_and_metadata_addresses_are_forbidden(string address) =>
        Assert.True(SsrfGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.False(SsrfGuard.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]:8080/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative")]
    public void Registration_refuses_urls_that_are_not_http_or_name_a_forbidden_literal(string url)
    {
        var problem = new SsrfGuard(allowPrivateNetworks: false).CheckUrl("webhookUrl", url);
        Assert.NotNull(problem);
        Assert.Equal(ProblemKind.Invalid, problem.Kind);
        Assert.Equal("webhookUrl", problem.Field);
    }

    [Theory]
    [InlineData("https://93.184.216.34/hook")]
    [InlineData("https://example.com/webhook")]
    [InlineData("http://[2606:4700:4700::1111]/hook")]
    public void Registration_accepts_public_literals_and_names_checked_again_at_connect_time(string url) =>
        Assert.Null(new SsrfGuard(allowPrivateNetworks: false).CheckUrl("webhookUrl", url));

    [Fact]
    public void With_private_networks_allowed_a_loopback_url_may_be_registered() =>
        Assert.Null(new SsrfGuard(allowPrivateNetworks: true).CheckUrl("webhookUrl", "http://127.0.0.1:5000/hook"));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task Connecting_to_a_listening_local_receiver_is_refused_at_connect_time_unless_allowed(string host)
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0) { Server = { DualMode = true } };
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var url = $"http://{host}:{port}/hook";
        var answering = Answer204(listener);

        using (var guarded = new HttpClient(new SsrfGuard(allowPrivateNetworks: false).CreateHandler()))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.PostAsync(url, new StringContent("{}")));
            Assert.IsType<SsrfRefusedException>(refused.InnerException);
        }

        // The same receiver is reachable: the refusal above is the guard's, not a closed port.
        using var allowed = new HttpClient(new SsrfGuard(allowPrivateNetworks: true).CreateHandler());
        var response = await allowed.PostAsync(url, new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await answering;
    }

    [Theory]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://[fd00:ec2::254]/")]
    public async Task Forbidden_literals_are_refused_before_any_connection_is_attempted(string url)
    {
        using var guarded = new HttpClient(new SsrfGuard(allowPrivateNetworks: false).CreateHandler()) { Timeout = TimeSpan.FromSeconds(5) };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(url));
        Assert.IsType<SsrfRefusedException>(refused.InnerException);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answering = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await ReadRequest(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        });
        using var http = new HttpClient(new SsrfGuard(allowPrivateNetworks: true).CreateHandler());
        var response = await http.GetAsync($"http://127.0.0.1:{port}/");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        await answering;
    }

    static Task Answer204(TcpListener listener) => Task.Run(async () =>
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        await ReadRequest(stream);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    });

    static async Task ReadRequest(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var seen = new StringBuilder();
        while (!seen.ToString().Contains("\r\n\r\n"))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) return;
            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        // Small bodies (the test's "{}") arrive with or right after the headers; the answer does not depend on them.
    }
}
