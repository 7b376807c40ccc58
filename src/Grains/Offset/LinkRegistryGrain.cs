using Actors.Grains.Platform;
using Actors.Grains.Humans;
using Actors.Grains.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Offset;

[StatelessWorker]
public sealed class LinkRegistryGrain(IOptions<OffsetOptions> options, ILogger<LinkRegistryGrain> logger) : Grain, ILinkRegistryGrain
{
    public const int MaxUserName = 100;

    public async Task<Result<SignupOutcome>> SignupUser(UserSignup signup)
    {
        var problem = CheckUser(signup.UserEmail, signup.UserName);
        if (problem is not null) return problem;
        var agent = await GrainFactory.GetGrain<IAgentGrain>(signup.AgentId).GetProfile();
        if (agent is null) return Problem.NotFound("Agent not found");
        return await Signup(signup.AgentId, signup.AgentId, agent.Name, agent.Description, null,
            signup.UserEmail!, signup.UserName, signup.ExclusiveAgent, createAgent: null);
    }

    public async Task<Result<SignupOutcome>> QuickSignup(QuickSignup signup)
    {
        var problem = CheckUser(signup.UserEmail, signup.UserName)
            ?? CheckAgentName(signup.AgentName)
            ?? (signup.AgentDescription is { Length: > AgentRules.MaxDescription }
                ? Problem.Invalid("agentDescription", $"agentDescription must be at most {AgentRules.MaxDescription} characters") : null)
            ?? CheckWebsite(signup.AgentWebsiteUrl);
        if (problem is not null) return problem;

        var name = signup.AgentName!.Trim();
        // A quick-signup product (e.g. "ChatGPT") gets one agent identity per human: calling again
        // finds the same link instead of creating agents that nobody holds a key for.
        return await Signup("quick:" + name.ToLowerInvariant(), null, name, signup.AgentDescription, signup.AgentWebsiteUrl,
            signup.UserEmail!, signup.UserName, exclusive: false, createAgent: async () =>
            {
                var created = await GrainFactory.GetGrain<IAgentRegistryGrain>(IAgentRegistryGrain.Key)
                    .Register(new AgentRegistration(name, signup.AgentDescription, null, null, signup.KeyPrefix));
                return created.Problem is { } p ? p : Result<string>.Ok(created.Value!.Agent.Id);
            });
    }

    public async Task<Result<AgentCreated>> RegisterAgent(OffsetAgentRegistration registration)
    {
        if (CheckWebsite(registration.WebsiteUrl, "websiteUrl") is { } problem) return problem;
        return await GrainFactory.GetGrain<IAgentRegistryGrain>(IAgentRegistryGrain.Key).Register(new AgentRegistration(
            registration.Name, registration.Description, registration.OwnerEmail, null, registration.KeyPrefix));
    }

    async Task<Result<SignupOutcome>> Signup(
        string agentKey, string? agentId, string agentName, string? description, string? website,
        string email, string? userName, bool exclusive, Func<Task<Result<string>>>? createAgent)
    {
        var normalized = HumanKey.Normalize(email);
        var human = GrainFactory.GetGrain<IHumanGrain>(HumanKey.For(normalized));

        if (await human.FindAgentLink(agentKey) is { } existing)
        {
            var current = await GrainFactory.GetGrain<IUserLinkGrain>(existing.LinkId).GetStatus(existing.AgentId);
            if (current.Value is { Status: LinkStatus.Pending or LinkStatus.Approved } live)
            {
                var account = await human.EnsureAccount();
                return Result<SignupOutcome>.Ok(new SignupOutcome(live, account.Created, ReusedExistingLink: true, EmailSent: false));
            }
            agentId ??= existing.AgentId;
        }

        if (await human.GetExclusiveLink() is { } exclusiveLink && exclusiveLink.AgentId != agentId)
        {
            var held = await GrainFactory.GetGrain<IUserLinkGrain>(exclusiveLink.LinkId).GetStatus(exclusiveLink.AgentId);
            if (held.Value?.Status == LinkStatus.Approved)
                return Problem.Conflict("This user's account is managed exclusively by another agent; the user can sign in to change that");
        }

        var interval = options.Value.ApprovalEmailInterval;
        var allowance = await human.ReserveApprovalEmail(interval);
        if (!allowance.Allowed)
            return Problem.TooManyRequests(
                $"Rate limit: a confirmation email was already sent to this address recently. Try again in {allowance.RetryAfterSeconds} seconds.",
                allowance.RetryAfterSeconds);

        // The reservation stands only if the approval email is written: any refusal or failure
        // after it gives it back, so the retry is not a 429 for an email nobody got.
        try
        {
            if (agentId is null)
            {
                var created = await createAgent!();
                if (created.Problem is { } p) return await GiveBack(human, allowance, p);
                agentId = created.Value!;
            }

            var accountNow = await human.EnsureAccount();
            var linkId = RandomToken.Id("lnk");
            if (!await human.SetAgentLink(agentKey, new AgentLinkRef(linkId, agentId)))
                return await GiveBack(human, allowance, Problem.Conflict("This user's account holds too many agent links"));
            var opened = await GrainFactory.GetGrain<IUserLinkGrain>(linkId).Open(new NewLink(
                agentId, agentName, HumanKey.For(normalized), normalized, userName?.Trim(), exclusive, description, website));
            if (opened.Problem is { } openProblem) return await GiveBack(human, allowance, openProblem);
            return Result<SignupOutcome>.Ok(new SignupOutcome(opened.Value!, accountNow.Created, ReusedExistingLink: false, EmailSent: true));
        }
        catch
        {
            try { await Release(human, allowance); }
            catch (Exception e) { logger.LogWarning(e, "Could not give back the approval-email allowance of a failed signup"); }
            throw;
        }
    }

    static async Task<Problem> GiveBack(IHumanGrain human, EmailAllowance allowance, Problem problem)
    {
        await Release(human, allowance);
        return problem;
    }

    static Task Release(IHumanGrain human, EmailAllowance allowance) =>
        allowance.ReservedAt is { } at ? human.ReleaseApprovalEmail(at) : Task.CompletedTask;

    static Problem? CheckUser(string? email, string? userName)
    {
        if (string.IsNullOrWhiteSpace(email)) return Problem.Invalid("userEmail", "userEmail is required");
        if (AgentRules.CheckEmail("userEmail", email) is { } bad) return bad;
        if (userName is { } n && (n.Trim().Length > MaxUserName || n.Any(char.IsControl)))
            return Problem.Invalid("userName", $"userName must be at most {MaxUserName} characters without control characters");
        return null;
    }

    static Problem? CheckAgentName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? Problem.Invalid("agentName", "agentName is required (shown in the approval email)")
        : name.Trim().Length > AgentRules.MaxName ? Problem.Invalid("agentName", $"agentName must be at most {AgentRules.MaxName} characters")
        : name.Any(char.IsControl) ? Problem.Invalid("agentName", "agentName must not contain control characters")
        : null;

    static Problem? CheckWebsite(string? url, string field = "agentWebsiteUrl") =>
        string.IsNullOrEmpty(url) ? null
        : url.Length > AgentRules.MaxUrl || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            ? Problem.Invalid(field, $"{field} must be an absolute http(s) URL")
            : null;
}
