using Actors.Api.Http;
using Actors.Api.Humans;
using Actors.Grains.Taskboard;
using Actors.Grains.Wallets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TaskboardFailure = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Actors.Api.Surfaces.Taskboard.TaskboardError>>;

namespace Actors.Api.Surfaces.Taskboard;

/// <summary>
/// The taskboard surface (seed 004), under <c>/taskboard</c>. Agents: connect (no key: the token or
/// key is in the body), poll (key optional), claim and deliver (key required: the seed's
/// <c>agentId</c> alone proves nothing), me. Clients: the signed-in human's session, JSON only,
/// from this site only (<see cref="HumanJson"/>): registration tokens, tasks and their review, the wallet.
/// </summary>
public static class TaskboardEndpoints
{
    public static RouteGroupBuilder MapTaskboard(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<TaskboardApiOptions>>().Value;
        var taskboard = app.MapGroup(TaskboardPaths.Base).WithTags("taskboard");
        var api = taskboard.MapGroup("/api");

        var agents = api.MapGroup("/agents");
        agents.MapPost("/register-token", MintToken).RequireHumanJson(TaskboardErrors.Refuse);
        agents.MapPost("/connect", Connect)
            .RequireRateLimit("taskboard-connect", options.ConnectsPerHourPerAddress, TimeSpan.FromHours(1),
                http => http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                decision => TaskboardErrors.Status(StatusCodes.Status429TooManyRequests,
                    $"Too many connects from this address; try again in {decision.RetryAfterSeconds} seconds"));
        agents.MapGet("/me", Me).RequireAtkKey();

        var tasks = api.MapGroup("/tasks");
        tasks.MapGet("/", Poll).Produces<PollResponse>().Produces<TaskboardError>(StatusCodes.Status400BadRequest).RequireAtkKey(optional: true)
            .RequireRateLimit("taskboard-poll", options.PollsPerMinute, TimeSpan.FromMinutes(1), PollSubject,
                decision => TaskboardErrors.Status(StatusCodes.Status429TooManyRequests,
                    $"Polling too often: {options.PollsPerMinute} polls a minute. Try again in {decision.RetryAfterSeconds} seconds."));
        tasks.MapPost("/", PostTask).RequireHumanJson(TaskboardErrors.Refuse).RequireIdempotency("taskboard-tasks", ClientId);
        tasks.MapGet("/{id}", GetTask).RequireAtkKey(optional: true);
        tasks.MapPost("/{id}/claim", Claim).RequireAtkKey();
        tasks.MapPost("/{id}/deliver", Deliver).RequireAtkKey();
        tasks.MapPost("/{id}/approve", Approve).RequireHumanJson(TaskboardErrors.Refuse).RequireIdempotency("taskboard-review", ClientId);
        tasks.MapPost("/{id}/request-revision", RequestRevision).RequireHumanJson(TaskboardErrors.Refuse);
        tasks.MapPost("/{id}/reject", Reject).RequireHumanJson(TaskboardErrors.Refuse).RequireIdempotency("taskboard-review", ClientId);
        tasks.MapPost("/{id}/cancel", Cancel).RequireHumanJson(TaskboardErrors.Refuse).RequireIdempotency("taskboard-review", ClientId);

        var client = api.MapGroup("/client").RequireHumanJson(TaskboardErrors.Refuse);
        client.MapGet("/wallet", Wallet);
        client.MapPost("/wallet/deposit/checkout", DepositCheckout).RequireIdempotency("taskboard-deposits", ClientId);
        client.MapGet("/tasks", ClientTasks);
        client.MapGet("/agents", ClientAgents);

        TaskboardClientPages.Map(app, taskboard);
        return taskboard;
    }

    static string? ClientId(HttpContext http) => http.User.FindFirst(HumanSessions.UserIdClaim)?.Value;

    /// <summary>Per key; a keyless poll (the seed's curl) per the agentId it names and its address.</summary>
    static string PollSubject(HttpContext http) =>
        http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value
        ?? $"anon:{TaskboardHandle.Normalize(http.Request.Query["agentId"]) ?? "-"}:{http.Connection.RemoteIpAddress}";

    static ITaskboardAgentRegistryGrain Agents(IClusterClient orleans) => orleans.GetGrain<ITaskboardAgentRegistryGrain>(ITaskboardAgentRegistryGrain.Key);

    static ITaskRegistryGrain Board(IClusterClient orleans) => orleans.GetGrain<ITaskRegistryGrain>(ITaskRegistryGrain.Key);

    static async Task<Results<Created<RegisterTokenResponse>, TaskboardFailure>> MintToken(
        RegisterTokenRequest request, HumanPrincipal human, IClusterClient orleans)
    {
        var result = await Agents(orleans).MintToken(new MintRegistrationToken(human.UserId, request.OwnerId, request.AgentId, request.AgentName, request.Capabilities));
        return result.Problem is { } problem ? TaskboardErrors.From(problem) : TypedResults.Created((string?)null, RegisterTokenResponse.From(result.Value!));
    }

    /// <summary>201 with the new key; 200 for a re-authentication (no key).</summary>
    static async Task<Results<Created<ConnectResponse>, Ok<ConnectResponse>, TaskboardFailure>> Connect(
        AgentConnectRequest request, IClusterClient orleans, TaskboardPolls polls)
    {
        var result = await Agents(orleans).Connect(new TaskboardConnect(request.RegistrationToken, request.AuthType, request.ApiKey,
            request.AgentId, request.AgentName, request.Capabilities, request.Endpoint, request.Metadata?.GetRawText()));
        if (result.Problem is { } problem) return TaskboardErrors.From(problem);
        var connection = result.Value!;
        polls.Forget(connection.AgentHandle);
        return connection.Created ? TypedResults.Created((string?)null, ConnectResponse.From(connection)) : TypedResults.Ok(ConnectResponse.From(connection));
    }

    // The caller is nullable so a missing or bad key reaches RequireAtkKey's 401 (a required
    // parameter that fails to bind is a 400 before any filter runs); the filter ensures it is set.
    static async Task<Results<Ok<AgentMeResponse>, TaskboardFailure>> Me(AgentPrincipal? caller, IClusterClient orleans) =>
        TaskboardErrors.Answer(await Agents(orleans).GetProfile(caller!.AgentId), AgentMeResponse.From);

    static Task<IResult> Poll(
        TaskboardPolls polls, string? agentId = null, string? skills = null, string? status = null,
        decimal? minReward = null, decimal? maxReward = null, int? limit = null, int? offset = null) =>
        polls.Answer(new TaskPoll(agentId, skills, status, minReward, maxReward, limit, offset));

    static async Task<Results<Created<TaskResponse>, TaskboardFailure>> PostTask(
        PostTaskRequest request, HumanPrincipal human, IClusterClient orleans,
        [FromHeader(Name = Idempotency.Header)] string? requestKey = null)
    {
        var result = await Board(orleans).Post(new NewTask(human.UserId, request.Title, request.Description, request.Skills,
            request.Reward?.Amount, request.Reward?.Token, request.Deadline, requestKey));
        if (result.Problem is { } problem) return TaskboardErrors.From(problem);
        return TypedResults.Created(TaskboardPaths.Task(result.Value!.Id), TaskResponse.From(result.Value));
    }

    static async Task<Results<Ok<TaskResponse>, TaskboardFailure>> GetTask(string id, AgentPrincipal? agent, HumanPrincipal? human, IClusterClient orleans) =>
        !IsTaskId(id) ? NotFound()
        : TaskboardErrors.Answer(await Task(orleans, id).Get(new TaskViewer(human?.UserId, agent?.AgentId)), TaskResponse.From);

    // The caller is bound nullable so a missing key reaches RequireAtkKey's 401 (a required one fails binding first: 400).
    static async Task<Results<Ok<ClaimResponse>, TaskboardFailure>> Claim(string id, ClaimRequest request, AgentPrincipal? caller, IClusterClient orleans) =>
        !IsTaskId(id) ? NotFound()
        : TaskboardErrors.Answer(await Task(orleans, id).Claim(new TaskActor(request.AgentId, caller!.AgentId)), ClaimResponse.From);

    static async Task<Results<Ok<DeliverResponse>, TaskboardFailure>> Deliver(string id, DeliverRequest request, AgentPrincipal? caller, IClusterClient orleans) =>
        !IsTaskId(id) ? NotFound()
        : TaskboardErrors.Answer(await Task(orleans, id).Deliver(new TaskActor(request.AgentId, caller!.AgentId),
            new TaskDelivery(request.Result?.Code, request.Result?.Url, request.Result?.Summary, request.Metadata?.GetRawText())), DeliverResponse.From);

    static async Task<Results<Ok<TaskResponse>, TaskboardFailure>> Approve(string id, HumanPrincipal human, IClusterClient orleans) =>
        !IsTaskId(id) ? NotFound() : TaskboardErrors.Answer(await Task(orleans, id).Approve(human.UserId), TaskResponse.From);

    static async Task<Results<Ok<TaskResponse>, TaskboardFailure>> RequestRevision(string id, RevisionRequest request, HumanPrincipal human, IClusterClient orleans) =>
        !IsTaskId(id) ? NotFound() : TaskboardErrors.Answer(await Task(orleans, id).RequestRevision(human.UserId, request.Feedback), TaskResponse.From);

    static async Task<Results<Ok<TaskResponse>, TaskboardFailure>> Reject(string id, RejectRequest request, HumanPrincipal human, IClusterClient orleans) =>
        !IsTaskId(id) ? NotFound() : TaskboardErrors.Answer(await Task(orleans, id).Reject(human.UserId, request.Reason), TaskResponse.From);

    static async Task<Results<Ok<TaskResponse>, TaskboardFailure>> Cancel(string id, HumanPrincipal human, IClusterClient orleans) =>
        !IsTaskId(id) ? NotFound() : TaskboardErrors.Answer(await Task(orleans, id).Cancel(human.UserId), TaskResponse.From);

    static async Task<Results<Ok<ClientWalletResponse>, TaskboardFailure>> Wallet(HumanPrincipal human, IClusterClient orleans) =>
        TaskboardErrors.Answer(await orleans.GetGrain<IWalletGrain>(human.UserId).Get(), ClientWalletResponse.From);

    static async Task<Results<Created<DepositCheckoutResponse>, TaskboardFailure>> DepositCheckout(
        DepositCheckoutRequestBody request, HumanPrincipal human, IClusterClient orleans)
    {
        if (request.Amount is null) return TaskboardErrors.Status(StatusCodes.Status400BadRequest, "amount is required: the USDC to add, e.g. 100 or 12.50", "amount");
        if (Usdc.ToCents(request.Amount) is not { } cents)
            return TaskboardErrors.Status(StatusCodes.Status400BadRequest,
                Usdc.Refusal("amount"), "amount");
        var result = await orleans.GetGrain<IWalletGrain>(human.UserId).OpenDepositCheckout(cents);
        if (result.Problem is { } problem) return TaskboardErrors.From(problem);
        var c = result.Value!;
        return TypedResults.Created(c.CheckoutUrl, new DepositCheckoutResponse(true,
            new CheckoutBody(c.SessionId, c.CheckoutUrl, Reward.Of(c.AmountCents), c.Status.ToString().ToUpperInvariant())));
    }

    static async Task<Results<Ok<ClientTaskListResponse>, TaskboardFailure>> ClientTasks(
        HumanPrincipal human, IClusterClient orleans, string? status = null, int? limit = null, int? offset = null) =>
        TaskboardErrors.Answer(await Board(orleans).ListForClient(human.UserId, status, limit, offset), ClientTaskListResponse.From);

    static async Task<Ok<OwnedAgentsResponse>> ClientAgents(HumanPrincipal human, IClusterClient orleans) =>
        TypedResults.Ok(new OwnedAgentsResponse(true, [.. (await Agents(orleans).ListForOwner(human.UserId)).Select(OwnedAgent.From)]));

    static ITaskGrain Task(IClusterClient orleans, string id) => orleans.GetGrain<ITaskGrain>(id);

    static bool IsTaskId(string id) => PrefixedId.Is(id, "task_");

    static TaskboardFailure NotFound() => TaskboardErrors.Status(StatusCodes.Status404NotFound, "Task not found");
}
