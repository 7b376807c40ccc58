using System.Net;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Memory;

/// <summary>The human's confirmation link in a real browser with JavaScript off: a plain form confirms the claim.</summary>
[Collection(StackCollection.Name)]
public sealed class ClaimPageTests(ActorsStack stack)
{
    [Fact]
    public async Task The_human_confirms_a_machine_claim_from_the_emailed_link_with_JavaScript_off()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var email = Unique.Email("human");
        var code = (await (await agent.InitClaim(machine.Fingerprint, email)).Data()).GetProperty("verification_code").GetString()!;
        var link = await MailDrop.WaitForLine(stack.MailDrop, email, new Uri(stack.ApiUrl, "/memory/claim?").ToString());
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(stack.ApiUrl, javaScript: false);

        await page.GotoAsync(link);
        Assert.Contains("Waiting for the human", await (await agent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Conflict));
        var confirmed = await page.Submit("#confirm");

        Assert.Equal(200, confirmed.Status);
        Assert.Equal($"Claim confirmed for {email}: your agent can now complete it with its verification code.", await page.TextContentAsync("#result"));
        var verified = await (await agent.VerifyClaim(machine.Fingerprint, code)).Data();
        Assert.StartsWith("usr_", verified.GetProperty("merged_to_user_id").GetString());

        // The claim is complete, so the link is spent: the page says why, with the JSON endpoint's status.
        await page.GotoAsync(link);
        var again = await page.Submit("#confirm");
        Assert.Equal(404, again.Status);
        Assert.Contains("not valid", await page.TextContentAsync("#result"));
    }

    [Fact]
    public async Task The_confirmation_form_answers_bad_input_as_the_JSON_endpoint_does()
    {
        var noMachine = await stack.Http.PostAsync("/memory/claim", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = "t" }));
        Assert.Equal(HttpStatusCode.BadRequest, noMachine.StatusCode);
        Assert.Contains("machine_id from the confirmation link is required", await noMachine.Content.ReadAsStringAsync());

        var machine = await stack.RegisterMachine();
        var wrong = await stack.Http.PostAsync("/memory/claim",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["machine"] = machine.UserId, ["token"] = "not-the-token" }));
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        var summary = await stack.SiloServices.GetRequiredService<IGrainFactory>()
            .GetGrain<Actors.Grains.Memory.IMachineAccountGrain>(machine.UserId).GetSummary();
        Assert.Null(summary!.ClaimedByUserId);
    }
}
