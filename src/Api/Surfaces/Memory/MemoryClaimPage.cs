using Actors.Api.Humans;
using Actors.Grains.Memory;

namespace Actors.Api.Surfaces.Memory;

/// <summary>
/// The page a claim email links to. Opening it changes nothing (mail scanners prefetch links);
/// the confirmation happens when the human presses the button, a plain form POST to
/// <c>/memory/claim</c> that confirms as <c>POST /memory/api/v1/agents/claim/confirm</c> does.
/// </summary>
public static class MemoryClaimPage
{
    const string Title = "Confirm the claim of a machine";

    public static void Map(IEndpointRouteBuilder memory)
    {
        memory.MapGet("/claim", Render).ExcludeFromDescription();
        memory.MapPost("/claim", Submit).ExcludeFromDescription().DisableAntiforgery().RequireSameOrigin();
    }

    static IResult Render(string? machine, string? token) => HtmlPage.Render(Title, $"""
        <p>An AI agent asked to link its machine account, and the memories stored on it, to your email address.
        Confirm only if you started this from your own machine. Your agent then completes the claim with its verification code.</p>
        {HtmlPage.PostButton("/memory/claim", "confirm", "Confirm this claim", ("machine", machine), ("token", token))}
        """);

    static Task<IResult> Submit(HttpContext http, IClusterClient orleans) => HumanForms.Answer(http, Title,
        form => orleans.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key).ConfirmClaim(form["machine"], form["token"]),
        claim => HtmlPage.Result("Claim confirmed", $"Claim confirmed for {claim.Email}: your agent can now complete it with its verification code."));
}
