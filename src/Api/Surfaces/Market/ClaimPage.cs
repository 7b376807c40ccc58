using Actors.Api.Humans;
using Actors.Grains.Identity;

namespace Actors.Api.Surfaces.Market;

/// <summary>
/// The page an owner's claim email links to. Opening it changes nothing (mail scanners prefetch
/// links); the claim happens when the human presses the button, a plain form POST to
/// <c>/market/claim</c> that redeems the token as <c>POST /market/api/agents/claim</c> does.
/// </summary>
public static class ClaimPage
{
    const string Title = "Claim your agent";

    public static void Map(IEndpointRouteBuilder market)
    {
        market.MapGet("/claim", Render).ExcludeFromDescription();
        market.MapPost("/claim", Submit).ExcludeFromDescription().DisableAntiforgery().RequireSameOrigin();
    }

    static IResult Render(string? token) => HtmlPage.Render(Title, $"""
        <p>An AI agent was registered with your email address as its owner. Confirm to claim it.</p>
        {HtmlPage.PostButton("/market/claim", "claim", "Claim this agent", ("token", token))}
        """);

    static Task<IResult> Submit(HttpContext http, IClusterClient orleans) => HumanForms.Answer(http, Title,
        form => orleans.GetGrain<IAgentRegistryGrain>(IAgentRegistryGrain.Key).Claim(form["token"].ToString()),
        agent => HtmlPage.Result("Agent claimed", $"Claimed {agent.Name}. It is recorded as yours, its verified owner."));
}
