using Actors.Grains.Platform;
using Actors.Grains.Email;
using Microsoft.Extensions.Options;
using Actors.Grains.Market;

namespace Actors.Grains.Identity;

public sealed class AgentState
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string Status { get; set; } = AgentStatus.Active;
    public string? OwnerEmail { get; set; }
    public string? AvatarUrl { get; set; }
    public string? WebhookUrl { get; set; }
    public List<string> Tags { get; set; } = [];
    public string ReferralCode { get; set; } = "";
    public string? ReferredBy { get; set; }
    public double Rating { get; set; }
    public int JobsCompleted { get; set; }
    public int ActiveServices { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>False for identities that are not marketplace agents (machine accounts, org keys).</summary>
    public bool ListedInDirectory { get; set; } = true;
}

public sealed class AgentGrain(
    [PersistentState("agent", "store")] IPersistentState<AgentState> agent,
    AgentDirectoryStore directory,
    EmailOutbox outbox,
    IOptions<ActorsOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IAgentGrain
{
    static readonly TimeSpan ClaimTokenLifetime = TimeSpan.FromDays(7);

    string AgentId => this.GetPrimaryKeyString();

    public async Task<Result<AgentCreated>> Create(NewAgent request)
    {
        if (agent.RecordExists) return Problem.Conflict("Agent already exists");

        // The key index is written first: if anything after it fails, the key was never shown
        // to anyone and points at an agent that does not exist, so it authorises nothing.
        string apiKey;
        do apiKey = RandomToken.Secret(request.KeyPrefix);
        while (!await GrainFactory.GetGrain<IApiKeyGrain>(SecretHash.ApiKeyGrainId(apiKey)).Issue(AgentId, request.KeyPrefix));

        var now = clock.GetUtcNow();
        agent.State = new AgentState
        {
            Name = request.Name.Trim(),
            Description = request.Description,
            OwnerEmail = request.OwnerEmail is null ? null : AgentRules.NormalizeEmail(request.OwnerEmail),
            ReferralCode = AgentRules.NewReferralCode(request.Name),
            ReferredBy = request.ReferredBy,
            CreatedAt = now,
            ListedInDirectory = request.ListedInDirectory,
        };
        await agent.WriteStateAsync();
        // Referral codes are short enough to read aloud, so two agents can draw the same one: draw again.
        while (!await directory.Upsert(AgentId, agent.State, now))
        {
            agent.State.ReferralCode = AgentRules.NewReferralCode(request.Name);
            await agent.WriteStateAsync();
        }

        if (agent.State.OwnerEmail is { } owner) await SendClaimEmail(owner, now);
        return Result<AgentCreated>.Ok(new AgentCreated(Profile(), apiKey));
    }

    public Task<AgentProfile?> GetProfile() =>
        Task.FromResult(agent.RecordExists ? Profile() : null);

    public async Task<Result<AgentProfile>> UpdateProfile(ProfileChanges changes)
    {
        if (!agent.RecordExists) return Problem.NotFound("Agent not found");
        var problem = (changes.Name is null ? null : AgentRules.CheckName(changes.Name))
            ?? AgentRules.CheckDescription(changes.Description)
            ?? AgentRules.CheckAvatarUrl(changes.AvatarUrl)
            ?? AgentRules.CheckWebhookUrl(changes.WebhookUrl)
            ?? AgentRules.CheckTags(changes.Tags)
            ?? AgentRules.CheckEmail("ownerEmail", changes.OwnerEmail);
        if (problem is not null) return problem;

        var state = agent.State;
        if (changes.Name is not null) state.Name = changes.Name.Trim();
        if (changes.Description is not null) state.Description = changes.Description;
        if (changes.AvatarUrl is not null) state.AvatarUrl = changes.AvatarUrl;
        if (changes.WebhookUrl is not null) state.WebhookUrl = changes.WebhookUrl.Length == 0 ? null : changes.WebhookUrl;
        if (changes.Tags is not null) state.Tags = [.. changes.Tags.Select(t => t.Trim())];
        if (changes.OwnerEmail is not null) state.OwnerEmail = AgentRules.NormalizeEmail(changes.OwnerEmail);

        var now = clock.GetUtcNow();
        await agent.WriteStateAsync();
        await directory.Upsert(AgentId, state, now);
        return Result<AgentProfile>.Ok(Profile());
    }

    public async Task<AgentProfile?> MarkClaimed()
    {
        if (!agent.RecordExists) return null;
        if (agent.State.ClaimedAt is null)
        {
            agent.State.ClaimedAt = clock.GetUtcNow();
            await agent.WriteStateAsync();
        }
        return Profile();
    }

    async Task SendClaimEmail(string owner, DateTimeOffset now)
    {
        var token = RandomToken.Secret("claim");
        await GrainFactory.GetGrain<IClaimTokenGrain>("clm_" + SecretHash.Of(token)).Issue(AgentId, now + ClaimTokenLifetime);
        var url = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/market/claim?token={Uri.EscapeDataString(token)}";
        await outbox.Enqueue(
            owner,
            $"Claim your agent {agent.State.Name}",
            $"""
            An AI agent named "{agent.State.Name}" was registered with this address as its owner.

            To claim it, open this link and confirm:

            {url}

            Your claim token: {token}
            It expires in 7 days. If you did not expect this email, ignore it.
            """);
    }

    AgentProfile Profile()
    {
        var s = agent.State;
        return new AgentProfile(
            AgentId, s.Name!, s.Description, s.Status, s.OwnerEmail, s.AvatarUrl, s.WebhookUrl,
            s.Tags, s.ReferralCode, s.ReferredBy, s.Rating, s.JobsCompleted, s.ActiveServices,
            s.ClaimedAt is not null, s.CreatedAt);
    }
}
