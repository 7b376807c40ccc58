using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped calls against the memory surface, so tests read like the document.</summary>
public static class MemoryClient
{
    public const string Base = "/memory/api/v1";

    public static string NewFingerprint() => "fp_" + Guid.NewGuid().ToString("N");

    /// <summary>Registers a fresh machine and returns its fingerprint, account id and key.</summary>
    public static async Task<Machine> RegisterMachine(this ActorsStack stack, string? fingerprint = null, string platform = "linux")
    {
        fingerprint ??= NewFingerprint();
        var response = await stack.Http.PostAsJsonAsync($"{Base}/agents/auto-register",
            new { machine_fingerprint = fingerprint, platform, hostname = "macmini-office" });
        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = body.GetProperty("data");
        return new Machine(fingerprint, data.GetProperty("user_id").GetString()!, data.GetProperty("api_key").GetString()!);
    }

    public static Task<HttpResponseMessage> InitClaim(this HttpClient machine, string fingerprint, string email) =>
        machine.PostAsJsonAsync($"{Base}/agents/claim/init", new { machine_fingerprint = fingerprint, email });

    public static Task<HttpResponseMessage> VerifyClaim(this HttpClient machine, string fingerprint, string code) =>
        machine.PostAsJsonAsync($"{Base}/agents/claim/verify", new { machine_fingerprint = fingerprint, verification_code = code });

    public static Task<HttpResponseMessage> Stats(this HttpClient machine, string fingerprint) =>
        machine.GetAsync($"{Base}/agents/machine-stats?machine_fingerprint={Uri.EscapeDataString(fingerprint)}");

    public static Task<HttpResponseMessage> Remember(this HttpClient machine, string content, string? projectId = null, object? metadata = null) =>
        machine.PostAsJsonAsync($"{Base}/memories", new { content, project_id = projectId, metadata });

    /// <summary>Stores a memory and returns its id.</summary>
    public static async Task<string> Store(this HttpClient machine, string content, string? projectId = null, object? metadata = null)
    {
        var response = await machine.Remember(content, projectId, metadata);
        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("data").GetProperty("id").GetString()!;
    }

    /// <summary>The human's side: the confirmation link from the claim email (query string only).</summary>
    public static async Task<(string MachineId, string Token)> ClaimLink(this ActorsStack stack, string email)
    {
        var query = await MailDrop.WaitForToken(stack.MailDrop, email, new Uri(stack.ApiUrl, "/memory/claim?").ToString());
        var parts = query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return (parts["machine"], parts["token"]);
    }

    public static Task<HttpResponseMessage> ConfirmClaim(this ActorsStack stack, string machineId, string token) =>
        stack.Http.PostAsJsonAsync($"{Base}/agents/claim/confirm", new { machine_id = machineId, token });

    /// <summary>Asserts the seed's error shape and status, returning the error sentence.</summary>
    public static async Task<string> AssertError(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.ReadJson();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.False(body.GetProperty("success").GetBoolean());
        var error = body.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(error));
        if (field is not null) Assert.Equal(field, body.GetProperty("field").GetString());
        return error;
    }

    public static async Task<JsonElement> Data(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.ReadJson();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.True(body.GetProperty("success").GetBoolean());
        return body.GetProperty("data");
    }
}

public sealed record Machine(string Fingerprint, string UserId, string ApiKey);
