using Actors.Grains.Platform;
using Actors.Grains.Email;
using Microsoft.Extensions.Options;
using Actors.Grains.Market;
using Actors.Grains.Webhooks;
using Microsoft.Extensions.Logging;

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

    /// <summary>
    /// A summary of each service the agent lists (deleted ones dropped; at most
    /// <see cref="ServiceRules.MaxServicesPerAgent"/>), oldest first: its directory row and checklist.
    /// </summary>
    public List<ServiceSummary> Services { get; set; } = [];

    /// <summary>A copy to change, so the stored state is replaced only once the change is kept.</summary>
    public AgentState Copy()
    {
        var copy = (AgentState)MemberwiseClone();
        copy.Tags = [.. Tags];
        copy.Services = [.. Services];
        return copy;
    }
}

/// <summary>
/// The agent's state and its <c>agent_directory</c> row are written both or neither (issue 12):
/// <list type="bullet">
/// <item>Registration (<see cref="Create"/>) writes what no one can reach first and publishes last:
/// the key (its secret is shown only in the answer), the state (its id is shown only in the answer
/// and the directory), the directory row, then the claim email. A failure at any step undoes the
/// earlier ones (row deleted, state cleared, key revoked) and answers the error, so the caller's
/// retry, a new registration, starts clean. Undo was chosen over a repair on activation because a
/// failed registration's answer never carried the key: a repaired agent would be listed, yet no one
/// could ever act as it. Should the undo fail too (the database gone), what is left is unreachable:
/// no answer ever named the key or the id.</item>
/// <item>A profile change (<see cref="UpdateProfile"/>) writes the row first, from a copy of the
/// state: when that fails, nothing changed. Then the state; when that fails, the row is put back
/// from the stored state. Should putting it back fail too, the row is ahead of the state until
/// this grain's next activation (<see cref="FailedCallRecovery"/> drops the failed one), which
/// corrects a row that differs from the stored state; a retry of the change completes it.</item>
/// </list>
/// </summary>

public sealed class AgentGrain(
    [PersistentState("agent", "store")] IPersistentState<AgentState> agent,
    AgentDirectoryStore directory,
    EmailOutbox outbox,
    IOptions<ActorsOptions> options,
    ILogger<AgentGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IAgentGrain
{
    static readonly TimeSpan ClaimTokenLifetime = TimeSpan.FromDays(7);

    string AgentId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        // A row left ahead of a state write that failed (and whose undo failed too) is corrected
        // here: one UPDATE that writes only when the row differs. Best effort: the next profile
        // change writes the whole row anyway, and a read of this grain must not fail for it.
        if (!agent.RecordExists || agent.State.Name is null) return;
        try
        {
            if (await directory.Resync(AgentId, agent.State, clock.GetUtcNow()))
                logger.LogWarning("Directory row of {AgentId} differed from its stored state; corrected", AgentId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Directory row of {AgentId} could not be checked against its state", AgentId);
        }
    }

    public async Task<Result<AgentCreated>> Create(NewAgent request)
    {
        if (agent.RecordExists) return Problem.Conflict("Agent already exists");

        // Steps in the order of who can see them (see the class comment); each done step is undone
        // if a later one fails.
        string? apiKey = null;
        bool stateWritten = false, rowWritten = false;
        try
        {
            // The key index first: until the answer shows the key, no one holds it.
            string key;
            do key = RandomToken.Secret(request.KeyPrefix);
            while (!await GrainFactory.GetGrain<IApiKeyGrain>(SecretHash.ApiKeyGrainId(key)).Issue(AgentId, request.KeyPrefix));
            apiKey = key;

            var now = clock.GetUtcNow();
            var state = new AgentState
            {
                Name = request.Name.Trim(),
                Description = request.Description,
                OwnerEmail = request.OwnerEmail is null ? null : AgentRules.NormalizeEmail(request.OwnerEmail),
                ReferralCode = AgentRules.NewReferralCode(request.Name),
                ReferredBy = request.ReferredBy,
                CreatedAt = now,
                ListedInDirectory = request.ListedInDirectory,
            };
            agent.State = state;
            await agent.WriteStateAsync();
            stateWritten = true;

            // Referral codes are short enough to read aloud, so two agents can draw the same one: draw again.
            var drawn = state.ReferralCode;
            while (!await directory.Upsert(AgentId, state, now)) state.ReferralCode = AgentRules.NewReferralCode(request.Name);
            rowWritten = true;
            if (state.ReferralCode != drawn) await agent.WriteStateAsync();

            if (state.OwnerEmail is { } owner) await SendClaimEmail(owner, now);
            return Result<AgentCreated>.Ok(new AgentCreated(Profile(), apiKey));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await UndoCreate(apiKey, stateWritten, rowWritten);
            throw;
        }
    }

    /// <summary>Best effort, each step on its own: what fails to be undone is unreachable anyway (no answer named it).</summary>
    async Task UndoCreate(string? apiKey, bool stateWritten, bool rowWritten)
    {
        if (rowWritten) await BestEffort("delete the directory row", () => directory.Delete(AgentId));
        if (stateWritten) await BestEffort("clear the state", () => agent.ClearStateAsync());
        if (apiKey is not null) await BestEffort("revoke the key", () => GrainFactory.GetGrain<IApiKeyGrain>(SecretHash.ApiKeyGrainId(apiKey)).Revoke());
    }

    Task BestEffort(string what, Func<Task> step) => Undo.Step(logger, $"change of {AgentId}", what, step);

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

        // The webhook endpoint owns the setting (and may refuse the URL: a private address); the profile keeps its copy.
        if (changes.WebhookUrl is not null)
        {
            var webhook = await GrainFactory.GetGrain<IWebhookEndpointGrain>(AgentId).SetFromProfile(changes.WebhookUrl);
            if (webhook.Problem is { } refused) return refused;
        }

        var stored = agent.State;
        var next = stored.Copy();
        if (changes.Name is not null) next.Name = changes.Name.Trim();
        if (changes.Description is not null) next.Description = changes.Description;
        if (changes.AvatarUrl is not null) next.AvatarUrl = changes.AvatarUrl;
        if (changes.WebhookUrl is not null) next.WebhookUrl = changes.WebhookUrl.Length == 0 ? null : changes.WebhookUrl;
        if (changes.Tags is not null) next.Tags = [.. changes.Tags.Select(t => t.Trim())];
        if (changes.OwnerEmail is not null) next.OwnerEmail = AgentRules.NormalizeEmail(changes.OwnerEmail);

        await KeepWithRow(stored, next);
        return Result<AgentProfile>.Ok(Profile());
    }

    public async Task KeepWebhookUrl(string? url)
    {
        if (!agent.RecordExists || agent.State.WebhookUrl == url) return;
        var stored = agent.State;
        var next = stored.Copy();
        next.WebhookUrl = url;
        await KeepWithRow(stored, next);
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

    public async Task<Result<AgentProfile>> PutService(ServiceSummary service)
    {
        if (!agent.RecordExists) return Problem.NotFound("Agent not found");
        var stored = agent.State;
        var at = stored.Services.FindIndex(s => s.Id == service.Id);
        if (at >= 0 ? stored.Services[at] == service : service.Deleted) return Result<AgentProfile>.Ok(Profile());
        if (at < 0 && stored.Services.Count >= ServiceRules.MaxServicesPerAgent)
            return Problem.Conflict($"An agent lists at most {ServiceRules.MaxServicesPerAgent} services; delete one first");

        var next = stored.Copy();
        if (service.Deleted) next.Services.RemoveAt(at);
        else if (at >= 0) next.Services[at] = service;
        else next.Services.Add(service);
        next.ActiveServices = next.Services.Count(s => s.Active);
        await KeepWithRow(stored, next);
        return Result<AgentProfile>.Ok(Profile());
    }

    /// <summary>
    /// The row first, from the copy: if it fails, neither the row nor the state changed. Then the
    /// state; when that fails, the row is put back from the stored state (see the class comment).
    /// </summary>
    async Task KeepWithRow(AgentState stored, AgentState next)
    {
        var now = clock.GetUtcNow();
        await directory.Upsert(AgentId, next, now);
        agent.State = next;
        try
        {
            await agent.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The activation is dropped (FailedCallRecovery), so the next call reads stored state;
            // the row goes back to it here, or on that next activation if this fails too.
            agent.State = stored;
            await BestEffort("put the directory row back", () => directory.Upsert(AgentId, stored, now));
            throw;
        }
    }

    public async Task RecordWork(int jobsCompleted, double rating)
    {
        if (!agent.RecordExists) return;
        var stored = agent.State;
        if (stored.JobsCompleted == jobsCompleted && stored.Rating.Equals(rating)) return;
        var next = stored.Copy();
        next.JobsCompleted = jobsCompleted;
        next.Rating = rating;
        await KeepWithRow(stored, next);
    }
}
