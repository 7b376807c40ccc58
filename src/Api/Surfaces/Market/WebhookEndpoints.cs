using Actors.Api.Http;
using Actors.Grains.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>The caller's webhook (seed: Webhooks), under <c>/market/api/agents/me/webhooks</c>.</summary>
public static class WebhookEndpoints
{
    const string SaveSecretWarning = "⚠️ Save your signing secret! It verifies the webhook-signature header of every delivery and is not shown again.";
    const int DefaultDeliveries = 20;
    const int MaxDeliveries = 100;

    /// <summary>Each test (and each manual retry) makes the server call out: a caller may not turn it into a request cannon.</summary>
    public const int TestsPerMinute = 10;
    public const int RetriesPerMinute = 60;

    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder me)
    {
        var webhooks = me.MapGroup("/webhooks");
        webhooks.MapPost("/", Register).RequireIdempotency("market-webhooks", CallerId);
        webhooks.MapGet("/", Get);
        webhooks.MapDelete("/", Delete);
        webhooks.MapPost("/test", Test).RequireRateLimit("market-webhook-test", TestsPerMinute, TimeSpan.FromMinutes(1), CallerId);
        webhooks.MapPost("/rotate-secret", Rotate).RequireIdempotency("market-webhook-secrets", CallerId);
        webhooks.MapGet("/deliveries", Deliveries);
        webhooks.MapPost("/deliveries/{id}/retry", Retry)
            .RequireRateLimit("market-webhook-retry", RetriesPerMinute, TimeSpan.FromMinutes(1), CallerId);
        return webhooks;
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static IWebhookEndpointGrain Endpoint(IClusterClient orleans, AgentPrincipal caller) =>
        orleans.GetGrain<IWebhookEndpointGrain>(caller.AgentId);

    static async Task<Results<Ok<RegisterWebhookResponse>, ProblemAnswer>> Register(
        RegisterWebhookRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await Endpoint(orleans, caller).Register(request.WebhookUrl),
            r => new RegisterWebhookResponse(true, r.Url, r.Secret, SaveSecretWarning));

    static async Task<Ok<WebhookConfigResponse>> Get(AgentPrincipal caller, IClusterClient orleans) =>
        TypedResults.Ok(WebhookConfigResponse.From(await Endpoint(orleans, caller).GetSettings()));

    static async Task<Results<Ok<WebhookDeletedResponse>, ProblemAnswer>> Delete(AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await Endpoint(orleans, caller).Remove(), _ => new WebhookDeletedResponse(true, "Webhook removed"));

    static async Task<Results<Ok<WebhookTestResponse>, ProblemAnswer>> Test(AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await Endpoint(orleans, caller).SendTest(), WebhookTestResponse.From);

    static async Task<Results<Ok<RotateSecretResponse>, ProblemAnswer>> Rotate(AgentPrincipal caller, IClusterClient orleans) =>
        ApiProblem.Answer(await Endpoint(orleans, caller).RotateSecret(), r => new RotateSecretResponse(
            true, r.Url, r.Secret, r.PreviousSecretExpiresAt,
            SaveSecretWarning + " Deliveries carry a signature with the previous secret too until previousSecretExpiresAt."));

    static async Task<Results<Ok<WebhookDeliveriesResponse>, ProblemAnswer>> Deliveries(
        AgentPrincipal caller, IClusterClient orleans, int? limit = null)
    {
        if (limit is < 1 or > MaxDeliveries)
            return ApiProblem.Create(StatusCodes.Status400BadRequest, $"limit must be between 1 and {MaxDeliveries}", "limit");
        var list = await Endpoint(orleans, caller).Deliveries(limit ?? DefaultDeliveries);
        return TypedResults.Ok(new WebhookDeliveriesResponse([.. list.Select(WebhookDeliveryBody.From)]));
    }

    static async Task<Results<Ok<WebhookRetryResponse>, ProblemAnswer>> Retry(string id, AgentPrincipal caller, IClusterClient orleans) =>
        !IsDeliveryId(id) ? ApiProblem.Create(StatusCodes.Status404NotFound, "Delivery not found")
        : ApiProblem.Answer(await Endpoint(orleans, caller).Retry(id),
            r => new WebhookRetryResponse(true, r.EventId, WebhookEventStatus.Pending, r.DueAt));

    // Delivery ids are ours (whd_ and base62): anything else names no delivery.
    static bool IsDeliveryId(string id) => PrefixedId.Is(id, "whd_");
}
