using System.Net;
using System.Net.Sockets;

namespace Actors.Grains.Platform;

/// <summary>
/// Keeps requests the server makes on an agent's behalf (webhook deliveries, later the profile
/// verification) away from the server's own networks: loopback, private (RFC 1918, CGNAT,
/// unique-local), link-local, multicast, unspecified and the cloud metadata addresses, IPv4 and
/// IPv6 (IPv4-mapped IPv6 judged as the IPv4 it carries). The check runs at connect time, on the
/// addresses the name resolves to then (<see cref="Connect"/>): a name that resolved to a public
/// address when the URL was registered and to 127.0.0.1 now (DNS rebinding) is still refused.
/// <paramref name="allowPrivateNetworks"/> (configuration <c>Webhooks:AllowPrivateNetworks</c>)
/// lifts the address rule, for tests and a developer receiving on their own machine.
/// </summary>
public sealed class SsrfGuard(bool allowPrivateNetworks)
{
    public bool AllowPrivateNetworks => allowPrivateNetworks;

    static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>
    /// A URL the server may be asked to call: absolute http(s) and, unless private networks are
    /// allowed, not a literal forbidden address (names are checked again at connect time).
    /// </summary>
    public Problem? CheckUrl(string field, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return Problem.Invalid(field, $"{field} must be an absolute http(s) URL");
        if (allowPrivateNetworks) return null;
        if (uri.IsLoopback || string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
            || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return Problem.Invalid(field, $"{field} must not point at a loopback, private, link-local or metadata address");
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) && IsForbidden(literal))
            return Problem.Invalid(field, $"{field} must not point at a loopback, private, link-local or metadata address");
        return null;
    }

    /// <summary>True for an address no outbound request may reach while private networks are not allowed.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => true,                                  // 0.0.0.0/8, "this network"
                10 => true,                                 // RFC 1918
                127 => true,                                // loopback
                100 => b[1] is >= 64 and <= 127,            // CGNAT 100.64/10
                169 => b[1] == 254,                         // link-local, metadata 169.254.169.254 among them
                172 => b[1] is >= 16 and <= 31,             // RFC 1918
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0), // RFC 1918; IETF protocol assignments
                >= 224 => true,                             // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6Any)) return true;
            if (address.Equals(AwsMetadataV6)) return true;
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return true;
            var b = address.GetAddressBytes();
            if ((b[0] & 0xFE) == 0xFC) return true;         // unique-local fc00::/7
            // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) carry an IPv4 address: judge it.
            if (b.Take(12).All(x => x == 0)) return IsForbidden(new IPAddress(b[12..]));
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].All(x => x == 0))
                return IsForbidden(new IPAddress(b[12..]));
            return false;
        }
        return true;
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses when any
    /// address it resolves to is forbidden, and connects to the checked addresses only.
    /// </summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0) throw new SsrfRefusedException($"{host} resolves to no address");
        if (!allowPrivateNetworks && addresses.FirstOrDefault(IsForbidden) is { } forbidden)
            throw new SsrfRefusedException($"{host} resolves to {forbidden}, a loopback, private, link-local or metadata address");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handler that connects through <see cref="Connect"/> and follows no redirect.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = Connect,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // A kept connection is re-checked only when a new one is made: keep them short-lived.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxConnectionsPerServer = 16,
    };
}

/// <summary>A connection the <see cref="SsrfGuard"/> refused to make.</summary>
public sealed class SsrfRefusedException(string message) : IOException(message);
