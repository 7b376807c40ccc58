using System.Net;
using System.Net.Http.Json;
using Actors.Grains.Humans;
using Actors.Grains.Memory;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Memory;

[Collection(StackCollection.Name)]
public sealed class ClaimTests(ActorsStack stack)
{
    IGrainFactory Grains => stack.SiloServices.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_machine_is_merged_into_the_human_only_after_the_human_confirms_by_email()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        await agent.Store("prefers tabs over spaces", "editor", new { source = "cursor" });
        var email = Unique.Email("human");

        var init = await (await agent.InitClaim(machine.Fingerprint, email)).Data();
        var code = init.GetProperty("verification_code").GetString()!;
        Assert.Matches("^[0-9]{6}$", code);
        var expiresAt = DateTimeOffset.Parse(init.GetProperty("expires_at").GetString()!);
        Assert.InRange(expiresAt - stack.Clock.GetUtcNow(), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        var waiting = await (await agent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Conflict);
        Assert.Contains("Waiting for the human", waiting);

        // The human opens the link: the page changes nothing until its button is pressed.
        var (machineId, token) = await stack.ClaimLink(email);
        Assert.Equal(machine.UserId, machineId);
        var page = await stack.Http.GetAsync($"/memory/claim?machine={machineId}&token={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Confirm this claim", await page.Content.ReadAsStringAsync());
        await (await agent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Conflict);

        var confirmed = await (await stack.ConfirmClaim(machineId, token)).Data();
        Assert.Equal(email, confirmed.GetProperty("email").GetString());

        var verified = await (await agent.VerifyClaim(machine.Fingerprint, code)).Data();
        Assert.Equal("Account claimed successfully", verified.GetProperty("message").GetString());
        var userId = verified.GetProperty("merged_to_user_id").GetString()!;
        Assert.StartsWith("usr_", userId);

        // The human account lists the machine (what the dashboard reads).
        var overview = await Grains.GetGrain<IHumanGrain>(HumanKey.For(email)).GetOverview();
        Assert.NotNull(overview);
        Assert.Equal(userId, overview.Account.UserId);
        Assert.Contains(machine.UserId, overview.MachineIds);
        var summary = await Grains.GetGrain<IMachineAccountGrain>(machine.UserId).GetSummary();
        Assert.Equal(userId, summary!.ClaimedByUserId);
        Assert.Equal("macmini-office", summary.Hostname);

        // Memories, projects and the key survive the merge; a retried verify gives the same answer.
        var list = await (await agent.GetAsync("/memory/api/v1/memories?project_id=editor")).Data();
        Assert.Equal("prefers tabs over spaces", list.GetProperty("memories")[0].GetProperty("content").GetString());
        Assert.Equal("cursor", list.GetProperty("memories")[0].GetProperty("metadata").GetProperty("source").GetString());
        var stats = await (await agent.Stats(machine.Fingerprint)).Data();
        Assert.Equal(1, stats.GetProperty("total_memories").GetInt64());
        Assert.Equal(2, stats.GetProperty("total_projects").GetInt64());
        var retried = await (await agent.VerifyClaim(machine.Fingerprint, code)).Data();
        Assert.Equal(userId, retried.GetProperty("merged_to_user_id").GetString());
        await (await agent.InitClaim(machine.Fingerprint, Unique.Email())).AssertError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Only_the_machines_own_key_may_start_or_finish_a_claim()
    {
        var machine = await stack.RegisterMachine();
        var other = await stack.RegisterMachine();
        using var otherAgent = stack.AsAgent(other.ApiKey);
        var market = await stack.RegisterAgent();
        using var marketAgent = stack.AsAgent(market.ApiKey);

        var strangers = Enumerable.Range(0, 4).Select(_ => Unique.Email("stranger")).ToArray();

        await (await stack.Http.InitClaim(machine.Fingerprint, strangers[0])).AssertError(HttpStatusCode.Unauthorized);
        await (await otherAgent.InitClaim(machine.Fingerprint, strangers[1])).AssertError(HttpStatusCode.NotFound);
        await (await marketAgent.InitClaim(machine.Fingerprint, strangers[2])).AssertError(HttpStatusCode.NotFound);
        await (await otherAgent.InitClaim(MemoryClient.NewFingerprint(), strangers[3])).AssertError(HttpStatusCode.NotFound);

        // None of them started a claim or mailed anyone.
        using var agent = stack.AsAgent(machine.ApiKey);
        Assert.Contains("No claim in progress", await (await agent.VerifyClaim(machine.Fingerprint, "123456")).AssertError(HttpStatusCode.Conflict));
        Assert.Contains("No claim in progress", await (await otherAgent.VerifyClaim(other.Fingerprint, "123456")).AssertError(HttpStatusCode.Conflict));
        foreach (var stranger in strangers) Assert.Equal(0, await stack.CountWhenDelivered(stranger));

        var email = Unique.Email("human");
        var code = (await (await agent.InitClaim(machine.Fingerprint, email)).Data()).GetProperty("verification_code").GetString()!;
        await (await otherAgent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.NotFound);
        await (await stack.Http.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Unauthorized);

        // The refused verifications neither claimed the machine nor spoiled the claim: the owner's still completes.
        Assert.Null((await Grains.GetGrain<IMachineAccountGrain>(machine.UserId).GetSummary())!.ClaimedByUserId);
        var (machineId, token) = await stack.ClaimLink(email);
        await (await stack.ConfirmClaim(machineId, token)).Data();
        var verified = await (await agent.VerifyClaim(machine.Fingerprint, code)).Data();
        Assert.Equal((await Grains.GetGrain<IHumanGrain>(HumanKey.For(email)).GetAccount())!.UserId,
            verified.GetProperty("merged_to_user_id").GetString());
        Assert.Null((await Grains.GetGrain<IMachineAccountGrain>(other.UserId).GetSummary())!.ClaimedByUserId);
    }

    [Fact]
    public async Task Wrong_codes_lock_the_claim_after_five_and_a_new_init_is_needed()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var email = Unique.Email();
        var code = (await (await agent.InitClaim(machine.Fingerprint, email)).Data()).GetProperty("verification_code").GetString()!;
        var (machineId, token) = await stack.ClaimLink(email);
        await (await stack.ConfirmClaim(machineId, token)).Data();
        var wrong = code == "000000" ? "000001" : "000000";

        for (var left = 4; left >= 1; left--)
        {
            var error = await (await agent.VerifyClaim(machine.Fingerprint, wrong)).AssertError(HttpStatusCode.BadRequest, "verification_code");
            Assert.Contains($"{left} attempt", error);
        }
        Assert.Contains("locked", await (await agent.VerifyClaim(machine.Fingerprint, wrong)).AssertError(HttpStatusCode.Gone));
        // Even the right code no longer works on a locked claim, nor does the human's link.
        Assert.Contains("locked", await (await agent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Gone));
        await (await stack.ConfirmClaim(machineId, token)).AssertError(HttpStatusCode.Gone);

        var email2 = Unique.Email();
        var code2 = (await (await agent.InitClaim(machine.Fingerprint, email2)).Data()).GetProperty("verification_code").GetString()!;
        await (await stack.ConfirmClaim(machineId, token)).AssertError(HttpStatusCode.NotFound);
        var (_, token2) = await stack.ClaimLink(email2);
        await (await stack.ConfirmClaim(machineId, token2)).Data();
        await (await agent.VerifyClaim(machine.Fingerprint, code2)).Data();
    }

    [Fact]
    public async Task Brute_force_is_capped_per_machine_per_hour_across_claims()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        string? lastCode = null;
        var failures = 0;
        for (var claim = 0; claim < 3 && failures < MachineAccountGrain.MaxFailuresPerHour; claim++)
        {
            lastCode = (await (await agent.InitClaim(machine.Fingerprint, Unique.Email())).Data()).GetProperty("verification_code").GetString()!;
            var wrong = lastCode == "999999" ? "999998" : "999999";
            for (var i = 0; i < MachineAccountGrain.MaxAttemptsPerClaim && failures < MachineAccountGrain.MaxFailuresPerHour; i++, failures++)
                Assert.NotEqual(HttpStatusCode.OK, (await agent.VerifyClaim(machine.Fingerprint, wrong)).StatusCode);
        }

        var email = Unique.Email();
        var code = (await (await agent.InitClaim(machine.Fingerprint, email)).Data()).GetProperty("verification_code").GetString()!;
        var (machineId, token) = await stack.ClaimLink(email);
        await (await stack.ConfirmClaim(machineId, token)).Data();
        var capped = await agent.VerifyClaim(machine.Fingerprint, code);
        Assert.Contains("Too many wrong codes", await capped.AssertError(HttpStatusCode.TooManyRequests));
        AssertRetryAfterWithin(capped, TimeSpan.FromHours(1));

        // An hour later the cap has passed, but this claim's own 10 minutes have too.
        stack.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Contains("expired", await (await agent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Gone));
    }

    [Fact]
    public async Task Starting_claims_is_capped_per_machine_per_hour()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        for (var i = 0; i < MachineAccountGrain.MaxClaimStartsPerHour; i++)
            await (await agent.InitClaim(machine.Fingerprint, Unique.Email())).Data();
        var refusedEmail = Unique.Email();
        var capped = await agent.InitClaim(machine.Fingerprint, refusedEmail);
        await capped.AssertError(HttpStatusCode.TooManyRequests);
        AssertRetryAfterWithin(capped, TimeSpan.FromHours(1));
        Assert.Equal(0, await stack.CountWhenDelivered(refusedEmail));
    }

    [Fact]
    public async Task A_recipient_gets_at_most_three_claim_emails_an_hour()
    {
        var email = Unique.Email("target");
        for (var i = 0; i < MachineAccountGrain.MaxClaimEmailsPerRecipientPerHour; i++)
        {
            var machine = await stack.RegisterMachine();
            using var agent = stack.AsAgent(machine.ApiKey);
            await (await agent.InitClaim(machine.Fingerprint, email)).Data();
        }
        var last = await stack.RegisterMachine();
        using var lastAgent = stack.AsAgent(last.ApiKey);
        var capped = await lastAgent.InitClaim(last.Fingerprint, email.ToUpperInvariant());
        await capped.AssertError(HttpStatusCode.TooManyRequests);
        AssertRetryAfterWithin(capped, TimeSpan.FromHours(1));
        Assert.Equal(MachineAccountGrain.MaxClaimEmailsPerRecipientPerHour, await stack.CountWhenDelivered(email));
        // Refused before it began: the last machine has no claim waiting.
        Assert.Contains("No claim in progress", await (await lastAgent.VerifyClaim(last.Fingerprint, "123456")).AssertError(HttpStatusCode.Conflict));
    }

    /// <summary>A rule's 429 says when to come back: Retry-After in whole seconds, within the rule's window.</summary>
    static void AssertRetryAfterWithin(HttpResponseMessage response, TimeSpan window)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), window);
    }

    [Fact]
    public async Task An_expired_claim_answers_expired_and_needs_a_new_init()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        var email = Unique.Email();
        var code = (await (await agent.InitClaim(machine.Fingerprint, email)).Data()).GetProperty("verification_code").GetString()!;
        var (machineId, token) = await stack.ClaimLink(email);
        await (await stack.ConfirmClaim(machineId, token)).Data();

        stack.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Contains("expired", await (await agent.VerifyClaim(machine.Fingerprint, code)).AssertError(HttpStatusCode.Gone));
        Assert.Contains("expired", await (await stack.ConfirmClaim(machineId, token)).AssertError(HttpStatusCode.Gone));
        var fresh = await (await agent.InitClaim(machine.Fingerprint, Unique.Email())).Data();
        Assert.NotNull(fresh.GetProperty("verification_code").GetString());
    }

    [Fact]
    public async Task Bad_claim_input_is_a_400_naming_the_field()
    {
        var machine = await stack.RegisterMachine();
        using var agent = stack.AsAgent(machine.ApiKey);
        await (await agent.InitClaim(machine.Fingerprint, "not-an-email")).AssertError(HttpStatusCode.BadRequest, "email");
        await (await agent.PostAsJsonAsync("/memory/api/v1/agents/claim/init", new { machine_fingerprint = machine.Fingerprint }))
            .AssertError(HttpStatusCode.BadRequest, "email");
        await (await agent.VerifyClaim(machine.Fingerprint, "12ab56")).AssertError(HttpStatusCode.BadRequest, "verification_code");
        await (await agent.VerifyClaim("", "123456")).AssertError(HttpStatusCode.BadRequest, "machine_fingerprint");
        Assert.Contains("No claim in progress", await (await agent.VerifyClaim(machine.Fingerprint, "123456")).AssertError(HttpStatusCode.Conflict));
        await (await stack.ConfirmClaim(machine.UserId, "mcc_nope")).AssertError(HttpStatusCode.NotFound);
        await (await stack.ConfirmClaim("", "x")).AssertError(HttpStatusCode.BadRequest, "machine_id");
    }
}
