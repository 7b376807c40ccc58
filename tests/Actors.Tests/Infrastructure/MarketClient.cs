using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped calls against the market surface, so tests read like the document.</summary>
public static class MarketClient
{
    public static async Task<RegisteredAgent> RegisterAgent(this ActorsStack stack, string? name = null, string? ownerEmail = null, string? referralCode = null)
    {
        var response = await stack.Http.PostAsJsonAsync("/market/api/agents/register", new
        {
            name = name ?? Unique.Name("agent"),
            description = "An AI agent that does cool things",
            ownerEmail,
            referralCode,
        });
        var body = await response.ReadJson();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var agent = body.GetProperty("agent");
        return new RegisteredAgent(
            agent.GetProperty("id").GetString()!, agent.GetProperty("name").GetString()!,
            agent.GetProperty("apiKey").GetString()!, agent.GetProperty("referralCode").GetString()!);
    }

    public static async Task<JsonElement> ReadJson(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

public sealed record RegisteredAgent(string Id, string Name, string ApiKey, string ReferralCode);

public static class Unique
{
    public static string Name(string stem) => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 13)];

    public static string Email(string stem = "owner") => $"{stem}-{Guid.NewGuid():N}@example.com";
}
