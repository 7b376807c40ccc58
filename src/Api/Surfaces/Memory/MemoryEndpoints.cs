using Actors.Api.Http;
using Actors.Grains.Memory;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MemoryFailure = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Actors.Api.Surfaces.Memory.MemoryError>>;

namespace Actors.Api.Surfaces.Memory;

/// <summary>The memory surface (seed 001), under <c>/memory</c>: machine accounts, claims, memories.</summary>
public static class MemoryEndpoints
{
    const string NoKeyMessage =
        "This machine is already registered. Its API key was shown once, at the first registration, and is never shown again. " +
        "Use the key saved on this machine; another agent on the machine gets its own key by calling auto-register with " +
        "Authorization: Bearer <an existing key of this machine>.";

    public static RouteGroupBuilder MapMemory(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<MemoryApiOptions>>().Value;

        var memory = app.MapGroup("/memory").WithTags("memory");
        MemoryClaimPage.Map(memory);

        var api = memory.MapGroup("/api/v1");
        MemoryDashboardSection.Map(app);
        var agents = api.MapGroup("/agents");
        agents.MapPost("/auto-register", AutoRegister)
            .RequireAgentKey(optional: true)
            .RequireRateLimit("memory-register", options.RegistrationsPerHourPerAddress, TimeSpan.FromHours(1),
                http => http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                decision => MemoryErrors.Status(StatusCodes.Status429TooManyRequests,
                    $"Too many registrations from this address; try again in {decision.RetryAfterSeconds} seconds"));
        agents.MapPost("/claim/init", InitClaim).RequireAgentKey();
        agents.MapPost("/claim/verify", VerifyClaim).RequireAgentKey();
        agents.MapPost("/claim/confirm", ConfirmClaim);
        agents.MapGet("/machine-stats", GetStats).RequireAgentKey();

        var memories = api.MapGroup("/memories").RequireAgentKey();
        memories.MapPost("/", CreateMemory);
        memories.MapGet("/", ListMemories);
        memories.MapGet("/{id}", GetMemory);
        memories.MapDelete("/{id}", DeleteMemory);
        api.MapGet("/projects", ListProjects).RequireAgentKey();
        return memory;
    }

    static IMachineRegistryGrain Machines(IClusterClient orleans) => orleans.GetGrain<IMachineRegistryGrain>(IMachineRegistryGrain.Key);

    static IMemorySpaceGrain Space(IClusterClient orleans) => orleans.GetGrain<IMemorySpaceGrain>(IMemorySpaceGrain.Key);

    static async Task<Results<Created<MemoryOk<AutoRegisterData>>, Ok<MemoryOk<AutoRegisterData>>, MemoryFailure>> AutoRegister(
        AutoRegisterRequest request, AgentPrincipal? caller, IClusterClient orleans)
    {
        var result = await Machines(orleans).AutoRegister(
            new MachineRegistration(request.MachineFingerprint, request.Platform, request.Hostname), caller?.AgentId);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        var machine = result.Value!;
        var data = new AutoRegisterData(machine.MachineId, machine.ApiKey, MemoryProjects.Default, true,
            request.MachineFingerprint!.Trim(), machine.CreatedAt.UtcDateTime, machine.AgentId,
            machine.ApiKey is null ? NoKeyMessage : null);
        return machine.Created
            ? TypedResults.Created("/memory/api/v1/agents/machine-stats", new MemoryOk<AutoRegisterData>(true, data))
            : TypedResults.Ok(new MemoryOk<AutoRegisterData>(true, data));
    }

    static async Task<Results<Ok<MemoryOk<ClaimInitData>>, MemoryFailure>> InitClaim(
        ClaimInitRequest request, AgentPrincipal? caller, IClusterClient orleans) =>
        MemoryErrors.Answer(await Machines(orleans).InitClaim(request.MachineFingerprint, request.Email, caller!.AgentId),
            claim => new ClaimInitData(claim.VerificationCode, claim.ExpiresAt.UtcDateTime));

    static async Task<Results<Ok<MemoryOk<ClaimVerifyData>>, MemoryFailure>> VerifyClaim(
        ClaimVerifyRequest request, AgentPrincipal? caller, IClusterClient orleans) =>
        MemoryErrors.Answer(await Machines(orleans).VerifyClaim(request.MachineFingerprint, request.VerificationCode, caller!.AgentId),
            claimed => new ClaimVerifyData("Account claimed successfully", claimed.MergedToUserId));

    static async Task<Results<Ok<MemoryOk<ClaimConfirmData>>, MemoryFailure>> ConfirmClaim(
        ClaimConfirmRequest request, IClusterClient orleans) =>
        MemoryErrors.Answer(await Machines(orleans).ConfirmClaim(request.MachineId, request.Token),
            confirmed => new ClaimConfirmData("Claim confirmed: your agent can now complete it with its verification code", confirmed.Email));

    static async Task<Results<Ok<MemoryOk<MachineStatsData>>, MemoryFailure>> GetStats(
        AgentPrincipal? caller, IClusterClient orleans, string? machine_fingerprint = null) =>
        MemoryErrors.Answer(await Machines(orleans).GetStats(machine_fingerprint, caller!.AgentId), MachineStatsData.From);

    static async Task<Results<Created<MemoryOk<MemoryView>>, MemoryFailure>> CreateMemory(
        CreateMemoryRequest request, AgentPrincipal? caller, IClusterClient orleans)
    {
        var metadata = request.Metadata is { ValueKind: not System.Text.Json.JsonValueKind.Null } m ? m.GetRawText() : null;
        var result = await Space(orleans).Save(caller!.AgentId, new NewMemory(request.Content, request.ProjectId, metadata));
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        var view = MemoryView.From(result.Value!);
        return TypedResults.Created($"/memory/api/v1/memories/{view.Id}", new MemoryOk<MemoryView>(true, view));
    }

    static async Task<Results<Ok<MemoryOk<MemoryListData>>, MemoryFailure>> ListMemories(
        AgentPrincipal? caller, IClusterClient orleans,
        string? project_id = null, string? q = null, int? limit = null, int? offset = null) =>
        MemoryErrors.Answer(await Space(orleans).List(caller!.AgentId, new MemoryQuery(project_id, q, limit, offset)), MemoryListData.From);

    static async Task<Results<Ok<MemoryOk<MemoryView>>, MemoryFailure>> GetMemory(
        string id, AgentPrincipal? caller, IClusterClient orleans) =>
        MemoryErrors.Answer(await Space(orleans).Get(caller!.AgentId, id), MemoryView.From);

    static async Task<Results<Ok<MemoryOk<DeletedMemoryData>>, MemoryFailure>> DeleteMemory(
        string id, AgentPrincipal? caller, IClusterClient orleans) =>
        MemoryErrors.Answer(await Space(orleans).Delete(caller!.AgentId, id), deleted => new DeletedMemoryData(deleted.Id, true));

    static async Task<Results<Ok<MemoryOk<ProjectsData>>, MemoryFailure>> ListProjects(
        AgentPrincipal? caller, IClusterClient orleans) =>
        MemoryErrors.Answer(await Space(orleans).Projects(caller!.AgentId), ProjectsData.From);
}
