using System.Security.Cryptography;
using System.Text;

namespace Actors.Api.Http;

/// <summary>
/// The operator's admin API: <c>Authorization: Bearer &lt;token&gt;</c> with the token from
/// configuration <c>Admin:Token</c> (or the <c>ACTORS_ADMIN_TOKEN</c> environment variable).
/// Without a configured token the admin API refuses everything.
/// </summary>
public static class AdminToken
{
    public static TBuilder RequireAdminToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var config = http.RequestServices.GetRequiredService<IConfiguration>();
            var expected = config["Admin:Token"] is { Length: > 0 } configured ? configured : config["ACTORS_ADMIN_TOKEN"];
            if (string.IsNullOrEmpty(expected))
                return ApiProblem.Create(StatusCodes.Status401Unauthorized, "The admin API is disabled: no Admin:Token is configured");

            string? header = http.Request.Headers.Authorization;
            var presented = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
            if (presented is null || !FixedTimeEquals(presented, expected))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return ApiProblem.Create(StatusCodes.Status401Unauthorized, "Send the operator token: Authorization: Bearer <ACTORS_ADMIN_TOKEN>");
            }
            return await next(context);
        });

    static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
