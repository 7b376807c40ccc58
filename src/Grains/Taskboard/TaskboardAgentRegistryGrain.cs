using Actors.Grains.Identity;
using Actors.Grains.Platform;
using Microsoft.Extensions.Options;

namespace Actors.Grains.Taskboard;

/// <summary>
/// Owners and agents enter here (stateless: any silo answers): every field is checked before a
/// token is minted or used, so a bad body never burns a token; then the token or the agentId's
/// grain decides.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TaskboardAgentRegistryGrain(
    TaskboardAgentStore store,
    SsrfGuard guard,
    IOptions<TaskboardOptions> options,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, ITaskboardAgentRegistryGrain
{
    /// <summary>The most agents an owner's list shows.</summary>
    public const int MaxOwnedListed = 100;

    const string ApiKeyAuth = "API_KEY";
    const string NoCredential = "Unauthorized: a registrationToken (from your owner) or authType API_KEY with your apiKey is required";

    // A token or key longer than this was never issued: refused without hashing it.
    const int MaxSecretLength = 200;

    public async Task<Result<RegistrationTokenIssued>> MintToken(MintRegistrationToken request)
    {
        if (string.IsNullOrWhiteSpace(request.OwnerId)) return Problem.Invalid("ownerId", "ownerId is required: your user id (usr_…)");
        if (request.OwnerId.Trim() != request.CallerUserId) return Problem.Forbidden("ownerId must be your own user id");
        if (TaskboardHandle.Normalize(request.AgentId) is not { } handle) return InvalidAgentId();
        var name = TaskboardAgentRules.Name(request.AgentName, request.AgentId!);
        if (name.Problem is { } badName) return badName;
        var capabilities = TaskboardAgentRules.Capabilities(request.Capabilities);
        if (capabilities.Problem is { } badCapabilities) return badCapabilities;

        var connected = await GrainFactory.GetGrain<ITaskboardAgentGrain>(TaskboardHandle.GrainId(handle)).Get();
        if (connected is not null && connected.OwnerId != request.CallerUserId)
            return Problem.Conflict($"agentId '{handle}' is already connected to another owner");

        var expiresAt = clock.GetUtcNow() + options.Value.RegistrationTokenLifetime;
        var binding = new RegistrationTokenBinding(request.CallerUserId, handle, name.Value!, capabilities.Value!, expiresAt);
        string token;
        // The seed's shape, agent_<agentId>_<secret>; only its hash is kept (the grain's key).
        do token = RandomToken.Secret("agent_" + handle);
        while (!await GrainFactory.GetGrain<IRegistrationTokenGrain>(TokenGrainId(token)).Issue(binding));
        return Result<RegistrationTokenIssued>.Ok(new RegistrationTokenIssued(token, expiresAt, handle));
    }

    public async Task<Result<TaskboardConnection>> Connect(TaskboardConnect request)
    {
        var authType = request.AuthType?.Trim();
        if (!string.IsNullOrEmpty(authType) && !authType.Equals(ApiKeyAuth, StringComparison.OrdinalIgnoreCase))
            return Problem.Invalid("authType", $"authType must be {ApiKeyAuth} (or leave it out and send a registrationToken)");
        var usesToken = !string.IsNullOrEmpty(request.RegistrationToken);
        var usesKey = !usesToken && !string.IsNullOrEmpty(authType) && !string.IsNullOrEmpty(request.ApiKey);
        if (!usesToken && !usesKey) return new Problem(ProblemKind.Unauthorized, NoCredential);

        if (TaskboardHandle.Normalize(request.AgentId) is not { } handle) return InvalidAgentId();
        var details = Details(request);
        if (details.Problem is { } invalid) return invalid;
        var agent = GrainFactory.GetGrain<ITaskboardAgentGrain>(TaskboardHandle.GrainId(handle));

        if (usesToken)
        {
            var token = request.RegistrationToken!.Trim();
            if (token.Length > MaxSecretLength) return new Problem(ProblemKind.Unauthorized, RegistrationTokenGrain.Refused);
            return await agent.ConnectWithToken(TokenGrainId(token), details.Value!);
        }

        var key = request.ApiKey!.Trim();
        var owner = key.Length > MaxSecretLength ? null : await GrainFactory.GetGrain<IApiKeyGrain>(SecretHash.ApiKeyGrainId(key)).Resolve();
        if (owner is null) return new Problem(ProblemKind.Unauthorized, TaskboardAgentGrain.InvalidKey);
        return await agent.Reauthenticate(owner.AgentId, details.Value!);
    }

    /// <summary>What a connect may change, checked and normalised (name trimmed, capabilities upper case); null members: not given.</summary>
    Result<TaskboardAgentDetails> Details(TaskboardConnect request)
    {
        string? name = null;
        if (!string.IsNullOrWhiteSpace(request.AgentName))
        {
            var checkedName = TaskboardAgentRules.Name(request.AgentName, request.AgentId!);
            if (checkedName.Problem is { } badName) return badName;
            name = checkedName.Value;
        }
        IReadOnlyList<string>? capabilities = null;
        if (request.Capabilities is not null)
        {
            var checkedCapabilities = TaskboardAgentRules.Capabilities(request.Capabilities);
            if (checkedCapabilities.Problem is { } badCapabilities) return badCapabilities;
            capabilities = checkedCapabilities.Value;
        }
        var endpoint = string.IsNullOrWhiteSpace(request.Endpoint) ? null : request.Endpoint.Trim();
        if (TaskboardAgentRules.CheckEndpoint(endpoint, guard) is { } badEndpoint) return badEndpoint;
        if (TaskboardAgentRules.CheckMetadata(request.MetadataJson) is { } badMetadata) return badMetadata;
        return Result<TaskboardAgentDetails>.Ok(new TaskboardAgentDetails(name, capabilities, endpoint, request.MetadataJson));
    }

    public async Task<Result<TaskboardAgentProfile>> GetProfile(string callerAgentId)
    {
        if (await store.HandleOf(callerAgentId) is not { } handle)
            return Problem.NotFound("This agent is not connected to the taskboard: connect with a registrationToken from your owner first");
        return await GrainFactory.GetGrain<ITaskboardAgentGrain>(TaskboardHandle.GrainId(handle)).GetProfile(callerAgentId);
    }

    public async Task<IReadOnlyList<TaskboardAgentView>> ListForOwner(string ownerId) => await store.ListForOwner(ownerId, MaxOwnedListed);

    static string TokenGrainId(string token) => "rtk_" + SecretHash.Of(token);

    static Problem InvalidAgentId() =>
        Problem.Invalid("agentId", $"agentId is required: 1 to {TaskboardHandle.MaxLength} letters, digits, '-', '_' or '.'");
}
