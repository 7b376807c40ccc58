using Actors.Api.Http;
using Actors.Grains.Memory;
using Microsoft.AspNetCore.Http.HttpResults;

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
        var config = app.ServiceProvider.GetRequiredService<IConfiguration>();
        var registrationsPerHour = config.GetValue("Memory:RegistrationsPerHourPerAddress", 60);

        var memory = app.MapGroup("/memory").WithTags("memory");
        MemoryClaimPage.Map(memory);

        var api = memory.MapGroup("/api/v1").WithRetryAfter();
        MemoryDashboardSection.Map(app);
        var agents = api.MapGroup("/agents");
        agents.MapPost("/auto-register", AutoRegister)
            .RequireAgentKey(optional: true)
            .RequireRateLimit("memory-register", registrationsPerHour, TimeSpan.FromHours(1),
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

    static async Task<Results<Created<MemoryOk<AutoRegisterData>>, Ok<MemoryOk<AutoRegisterData>>, JsonHttpResult<MemoryError>>> AutoRegister(
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

    static async Task<Results<Ok<MemoryOk<ClaimInitData>>, JsonHttpResult<MemoryError>>> InitClaim(
        ClaimInitRequest request, AgentPrincipal? caller, IClusterClient orleans)
    {
        var result = await Machines(orleans).InitClaim(request.MachineFingerprint, request.Email, caller!.AgentId);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<ClaimInitData>(true,
            new ClaimInitData(result.Value!.VerificationCode, result.Value.ExpiresAt.UtcDateTime)));
    }

    static async Task<Results<Ok<MemoryOk<ClaimVerifyData>>, JsonHttpResult<MemoryError>>> VerifyClaim(
        ClaimVerifyRequest request, AgentPrincipal? caller, IClusterClient orleans)
    {
        var result = await Machines(orleans).VerifyClaim(request.MachineFingerprint, request.VerificationCode, caller!.AgentId);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<ClaimVerifyData>(true,
            new ClaimVerifyData("Account claimed successfully", result.Value!.MergedToUserId)));
    }

    static async Task<Results<Ok<MemoryOk<ClaimConfirmData>>, JsonHttpResult<MemoryError>>> ConfirmClaim(
        ClaimConfirmRequest request, IClusterClient orleans)
    {
        var result = await Machines(orleans).ConfirmClaim(request.MachineId, request.Token);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<ClaimConfirmData>(true, new ClaimConfirmData(
            "Claim confirmed: your agent can now complete it with its verification code", result.Value!.Email)));
    }

    static async Task<Results<Ok<MemoryOk<MachineStatsData>>, JsonHttpResult<MemoryError>>> GetStats(
        AgentPrincipal? caller, IClusterClient orleans, string? machine_fingerprint = null)
    {
        var result = await Machines(orleans).GetStats(machine_fingerprint, caller!.AgentId);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<MachineStatsData>(true, MachineStatsData.From(result.Value!)));
    }

    static async Task<Results<Created<MemoryOk<MemoryView>>, JsonHttpResult<MemoryError>>> CreateMemory(
        CreateMemoryRequest request, AgentPrincipal? caller, IClusterClient orleans)
    {
        var metadata = request.Metadata is { ValueKind: not System.Text.Json.JsonValueKind.Null } m ? m.GetRawText() : null;
        var result = await Space(orleans).Save(caller!.AgentId, new NewMemory(request.Content, request.ProjectId, metadata));
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        var view = MemoryView.From(result.Value!);
        return TypedResults.Created($"/memory/api/v1/memories/{view.Id}", new MemoryOk<MemoryView>(true, view));
    }

    static async Task<Results<Ok<MemoryOk<MemoryListData>>, JsonHttpResult<MemoryError>>> ListMemories(
        AgentPrincipal? caller, IClusterClient orleans,
        string? project_id = null, string? q = null, int? limit = null, int? offset = null)
    {
        var result = await Space(orleans).List(caller!.AgentId, new MemoryQuery(project_id, q, limit, offset));
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<MemoryListData>(true, MemoryListData.From(result.Value!)));
    }

    static async Task<Results<Ok<MemoryOk<MemoryView>>, JsonHttpResult<MemoryError>>> GetMemory(
        string id, AgentPrincipal? caller, IClusterClient orleans)
    {
        var result = await Space(orleans).Get(caller!.AgentId, id);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<MemoryView>(true, MemoryView.From(result.Value!)));
    }

    static async Task<Results<Ok<MemoryOk<DeletedMemoryData>>, JsonHttpResult<MemoryError>>> DeleteMemory(
        string id, AgentPrincipal? caller, IClusterClient orleans)
    {
        var result = await Space(orleans).Delete(caller!.AgentId, id);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<DeletedMemoryData>(true, new DeletedMemoryData(result.Value!.Id, true)));
    }

    static async Task<Results<Ok<MemoryOk<ProjectsData>>, JsonHttpResult<MemoryError>>> ListProjects(
        AgentPrincipal? caller, IClusterClient orleans)
    {
        var result = await Space(orleans).Projects(caller!.AgentId);
        if (result.Problem is { } problem) return MemoryErrors.From(problem);
        return TypedResults.Ok(new MemoryOk<ProjectsData>(true, ProjectsData.From(result.Value!)));
    }
}
