using Actors.Grains.Identity;
using Actors.Grains.Platform;
using Actors.Grains.Webhooks;
using Microsoft.Extensions.Logging;

namespace Actors.Grains.Taskboard;

public sealed class TaskboardAgentState
{
    /// <summary>The identity (<c>agt_…</c>) the agentId belongs to; null: never connected.</summary>
    public string? AgentId { get; set; }
    public string? OwnerId { get; set; }
    public string? Name { get; set; }
    public List<string> Capabilities { get; set; } = [];
    public string? Endpoint { get; set; }
    public string? MetadataJson { get; set; }

    /// <summary>The grain id (<c>key_…</c>) of the key the last token connect issued: revoked by the next one.</summary>
    public string? ApiKeyGrainId { get; set; }

    /// <summary>A replaced key whose revocation is not known to be done yet: revoked again on the next call.</summary>
    public string? RevokingKeyGrainId { get; set; }

    public DateTimeOffset ConnectedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public TaskboardAgentState Copy()
    {
        var copy = (TaskboardAgentState)MemberwiseClone();
        copy.Capabilities = [.. Capabilities];
        return copy;
    }
}

/// <summary>
/// One agentId on the board (<c>tba_</c> + handle). The state and the <c>taskboard_agents</c> row are
/// written both or neither, in <see cref="AgentGrain"/>'s order:
/// <list type="bullet">
/// <item>The first connect creates the identity (its key shown only in the answer), then the state,
/// then the row; a failure undoes what was done (state cleared, key revoked), so what is left of it
/// is an unlisted identity no answer named.</item>
/// <item>Later changes write the row first from a copy (a failure: nothing changed), then the state
/// (a failure: the row put back). An activation corrects a row that differs from the state.</item>
/// </list>
/// A token connect is checked and the token used here, one call at a time per agentId, so two
/// owners' tokens for the same agentId cannot both win, and a token refused as another owner's is not used up.
/// </summary>
public sealed class TaskboardAgentGrain(
    [PersistentState("taskboard-agent", "store")] IPersistentState<TaskboardAgentState> agent,
    TaskboardAgentStore store,
    ILogger<TaskboardAgentGrain> logger,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, ITaskboardAgentGrain
{
    /// <summary>The prefix of the keys the taskboard issues (an ordinary agent key on every surface).</summary>
    public const string KeyPrefix = "atk";

    public const string InvalidKey = "Invalid API key for this agentId";

    string Handle => this.GetPrimaryKeyString()["tba_".Length..];
    TaskboardAgentState S => agent.State;

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        // A row left behind a state write that failed (and whose undo failed too) is corrected here;
        // best effort: the next change writes the row anyway, and a read must not fail for it.
        if (S.AgentId is null) return;
        try
        {
            if (await store.Upsert(View(), clock.GetUtcNow()))
                logger.LogWarning("Taskboard row of {Handle} differed from its stored state; corrected", Handle);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Taskboard row of {Handle} could not be checked against its state", Handle);
        }
    }

    public async Task<Result<TaskboardConnection>> ConnectWithToken(string registrationTokenGrainId, TaskboardAgentDetails details)
    {
        var token = GrainFactory.GetGrain<IRegistrationTokenGrain>(registrationTokenGrainId);
        if (await token.Peek(Handle) is not { } binding) return new Problem(ProblemKind.Unauthorized, RegistrationTokenGrain.Refused);
        // The token is used up only once its agent is connected: a connect that fails (a write
        // refused, the database gone) leaves it for the retry. It cannot be used twice meanwhile:
        // a token works only for its own agentId, and this grain takes one call at a time.
        var connected = await Connect(binding, details);
        if (connected.Problem is not null) return connected;
        // Refused only if it expired since the peek: the connect it allowed stands.
        await token.Redeem(Handle);
        return connected;
    }

    public async Task<Result<TaskboardConnection>> Connect(RegistrationTokenBinding binding, TaskboardAgentDetails details)
    {
        if (binding.AgentHandle != Handle) return new Problem(ProblemKind.Unauthorized, RegistrationTokenGrain.Refused);
        if (OtherOwner(binding.OwnerId) is { } conflict) return conflict;
        await RevokeReplacedKey();
        return S.AgentId is null ? await CreateIdentity(binding, details) : await Reconnect(binding, details);
    }

    Problem? OtherOwner(string ownerId) =>
        S.OwnerId is { } owner && owner != ownerId ? Problem.Conflict($"agentId '{Handle}' is already connected to another owner") : null;

    async Task<Result<TaskboardConnection>> CreateIdentity(RegistrationTokenBinding binding, TaskboardAgentDetails details)
    {
        var name = details.AgentName ?? binding.AgentName;
        var agentId = RandomToken.Id("agt");
        var created = await GrainFactory.GetGrain<IAgentGrain>(agentId).Create(
            new NewAgent(name, null, null, null, KeyPrefix, ListedInDirectory: false));
        if (created.Problem is { } refused) return refused;
        var apiKey = created.Value!.ApiKey;

        var stateWritten = false;
        try
        {
            var endpoint = await SetEndpoint(agentId, details.Endpoint);
            if (endpoint.Problem is { } problem)
            {
                await RevokeKey(SecretHash.ApiKeyGrainId(apiKey));
                return problem;
            }

            var now = clock.GetUtcNow();
            agent.State = new TaskboardAgentState
            {
                AgentId = agentId,
                OwnerId = binding.OwnerId,
                Name = name,
                Capabilities = [.. details.Capabilities ?? binding.Capabilities],
                Endpoint = details.Endpoint,
                MetadataJson = details.MetadataJson,
                ApiKeyGrainId = SecretHash.ApiKeyGrainId(apiKey),
                ConnectedAt = now,
                UpdatedAt = now,
            };
            await agent.WriteStateAsync();
            stateWritten = true;
            await store.Upsert(View(), now);
            return Result<TaskboardConnection>.Ok(new TaskboardConnection(Handle, agentId, apiKey, true, endpoint.Value, View()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (stateWritten) await BestEffort("clear the state", () => agent.ClearStateAsync());
            agent.State = new TaskboardAgentState();
            await BestEffort("revoke the key", () => RevokeKey(SecretHash.ApiKeyGrainId(apiKey)));
            throw;
        }
    }

    /// <summary>The same owner again (a lost key): a new key for the same identity, the previous one revoked once the new one is kept.</summary>
    async Task<Result<TaskboardConnection>> Reconnect(RegistrationTokenBinding binding, TaskboardAgentDetails details)
    {
        var agentId = S.AgentId!;
        string apiKey;
        do apiKey = RandomToken.Secret(KeyPrefix);
        while (!await GrainFactory.GetGrain<IApiKeyGrain>(SecretHash.ApiKeyGrainId(apiKey)).Issue(agentId, KeyPrefix));
        var keyGrainId = SecretHash.ApiKeyGrainId(apiKey);

        Result<string?> endpoint;
        try
        {
            endpoint = await SetEndpoint(agentId, details.Endpoint);
            if (endpoint.Problem is { } problem)
            {
                await RevokeKey(keyGrainId);
                return problem;
            }
            var stored = S;
            var next = Apply(stored, details with
            {
                AgentName = details.AgentName ?? binding.AgentName,
                Capabilities = details.Capabilities ?? binding.Capabilities,
            });
            next.ApiKeyGrainId = keyGrainId;
            next.RevokingKeyGrainId = stored.ApiKeyGrainId;
            await KeepWithRow(stored, next);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await BestEffort("revoke the new key", () => RevokeKey(keyGrainId));
            throw;
        }
        await RevokeReplacedKey();
        await KeepIdentityName();
        return Result<TaskboardConnection>.Ok(new TaskboardConnection(Handle, agentId, apiKey, true, endpoint.Value, View()));
    }

    public async Task<Result<TaskboardConnection>> Reauthenticate(string callerAgentId, TaskboardAgentDetails details)
    {
        if (S.AgentId is null || S.AgentId != callerAgentId) return new Problem(ProblemKind.Unauthorized, InvalidKey);
        await RevokeReplacedKey();
        var endpoint = await SetEndpoint(S.AgentId, details.Endpoint);
        if (endpoint.Problem is { } problem) return problem;
        var stored = S;
        var next = Apply(stored, details);
        if (Differs(stored, next)) await KeepWithRow(stored, next);
        await KeepIdentityName();
        return Result<TaskboardConnection>.Ok(new TaskboardConnection(Handle, S.AgentId, null, false, endpoint.Value, View()));
    }

    public Task<TaskboardAgentView?> Get() => Task.FromResult(S.AgentId is null ? null : View());

    public async Task<Result<TaskboardAgentProfile>> GetProfile(string callerAgentId)
    {
        if (S.AgentId is null) return Problem.NotFound($"Agent '{Handle}' not found: connect first");
        if (S.AgentId != callerAgentId) return Problem.Forbidden("agentId is not the agent of this API key");
        var counts = await store.Counts(Handle);
        return Result<TaskboardAgentProfile>.Ok(new TaskboardAgentProfile(View(), TaskboardKarma.Of(counts.Completed, counts.Rejected),
            counts.Completed, counts.Rejected, counts.EarnedCents, counts.InProgress));
    }

    /// <summary>
    /// The identity's webhook endpoint: set with a new secret (answered once) when it has none, the
    /// URL changed keeping its secret otherwise (and the profile's copy with it, as PATCH /me does).
    /// </summary>
    async Task<Result<string?>> SetEndpoint(string agentId, string? url)
    {
        if (url is null) return Result<string?>.Ok(null);
        var endpoint = GrainFactory.GetGrain<IWebhookEndpointGrain>(agentId);
        var settings = await endpoint.GetSettings();
        if (settings.Url is null)
        {
            var registered = await endpoint.Register(url);
            return registered.Problem is { } problem ? AsEndpoint(problem) : Result<string?>.Ok(registered.Value!.Secret);
        }
        if (settings.Url == url) return Result<string?>.Ok(null);
        var changed = await endpoint.SetFromProfile(url);
        if (changed.Problem is { } refused) return AsEndpoint(refused);
        await GrainFactory.GetGrain<IAgentGrain>(agentId).KeepWebhookUrl(url);
        return Result<string?>.Ok(null);
    }

    // The endpoint grain names the market's field; the taskboard's is "endpoint".
    static Problem AsEndpoint(Problem problem) =>
        problem.Kind == ProblemKind.Invalid ? Problem.Invalid("endpoint", problem.Message.Replace("webhookUrl", "endpoint")) : problem;

    static TaskboardAgentState Apply(TaskboardAgentState stored, TaskboardAgentDetails details)
    {
        var next = stored.Copy();
        if (details.AgentName is not null) next.Name = details.AgentName;
        if (details.Capabilities is not null) next.Capabilities = [.. details.Capabilities];
        if (details.Endpoint is not null) next.Endpoint = details.Endpoint;
        if (details.MetadataJson is not null) next.MetadataJson = details.MetadataJson;
        return next;
    }

    static bool Differs(TaskboardAgentState a, TaskboardAgentState b) =>
        a.Name != b.Name || !a.Capabilities.SequenceEqual(b.Capabilities) || a.Endpoint != b.Endpoint || a.MetadataJson != b.MetadataJson;

    /// <summary>The row first, from the copy (a failure: nothing changed), then the state (a failure: the row put back).</summary>
    async Task KeepWithRow(TaskboardAgentState stored, TaskboardAgentState next)
    {
        var now = clock.GetUtcNow();
        next.UpdatedAt = now;
        await store.Upsert(View(next), now);
        agent.State = next;
        try
        {
            await agent.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            agent.State = stored;
            await BestEffort("put the taskboard row back", () => store.Upsert(View(stored), now));
            throw;
        }
    }

    /// <summary>The identity's name (its market profile) follows the taskboard's; nothing written when it is the same.</summary>
    async Task KeepIdentityName()
    {
        var identity = GrainFactory.GetGrain<IAgentGrain>(S.AgentId!);
        if ((await identity.GetProfile())?.Name is { } name && name != S.Name)
            await identity.UpdateProfile(new ProfileChanges(S.Name, null, null, null, null, null));
    }

    /// <summary>Revokes the key a reconnect replaced; the mark is dropped once done (a failure: tried again on the next call).</summary>
    async Task RevokeReplacedKey()
    {
        if (S.RevokingKeyGrainId is not { } replaced) return;
        await RevokeKey(replaced);
        S.RevokingKeyGrainId = null;
        await agent.WriteStateAsync();
    }

    Task RevokeKey(string keyGrainId) => GrainFactory.GetGrain<IApiKeyGrain>(keyGrainId).Revoke();

    Task BestEffort(string what, Func<Task> step) => Undo.Step(logger, $"connect of {Handle}", what, step);

    TaskboardAgentView View() => View(S);

    TaskboardAgentView View(TaskboardAgentState s) =>
        new(Handle, s.AgentId!, s.OwnerId!, s.Name!, [.. s.Capabilities], s.Endpoint, s.ConnectedAt);
}
