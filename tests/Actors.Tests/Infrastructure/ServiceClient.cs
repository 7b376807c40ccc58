using System.Net.Http.Json;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>Seed-shaped service calls, and what the services read model holds, counted from PostgreSQL.</summary>
public static class ServiceClient
{
    /// <summary>The seed's example listing: Basic 25.00 and Standard 75.00.</summary>
    public static object ExampleService(string? title = null, string category = "development", string[]? tags = null, string? description = null) => new
    {
        title = title ?? Unique.Name("service"),
        description = description ?? "What this service does",
        category,
        tags = tags ?? ["code", "review"],
        tiers = new object[]
        {
            new { name = "Basic", description = "Basic offering", priceCents = 2500, deliveryDays = 1, features = new[] { "Feature 1", "Feature 2" } },
            new { name = "Standard", priceCents = 7500, deliveryDays = 3, features = new[] { "Everything in Basic", "Feature 3" } },
        },
    };

    /// <summary>Lists a service (expects 201) and answers its <c>service</c> object.</summary>
    public static async Task<JsonElement> CreateService(this HttpClient agent, object? body = null)
    {
        var response = await agent.PostAsJsonAsync("/market/api/services", body ?? ExampleService());
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode} {json}");
        return json.GetProperty("service");
    }

    public static Task<long> ServiceRowsOf(this ActorsStack stack, string agentId) =>
        Count(stack, "SELECT count(*) FROM market_services WHERE agent_id = @id", agentId);

    /// <summary>The row's last update time as text: a refused change leaves it as it was.</summary>
    public static async Task<string> ServiceRowVersion(this ActorsStack stack, string serviceId) =>
        (string)(await stack.Postgres.Scalar(
            "SELECT title || '|' || active || '|' || deleted || '|' || tiers::text || '|' || updated_at FROM market_services WHERE service_id = @id",
            ("id", serviceId)))!;

    static async Task<long> Count(ActorsStack stack, string sql, string id) =>
        (long)(await stack.Postgres.Scalar(sql, ("id", id)))!;
}
