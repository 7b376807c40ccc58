using Actors.Api.Http;
using Actors.Grains.Market;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ProblemAnswer = Actors.Api.Http.WithHeaders<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Actors.Api.Surfaces.Market;

/// <summary>Jobs and agent-to-agent hiring (seed: Job Lifecycle, Messages, Agent-to-Agent Hiring), and the operator's dispute resolution.</summary>
public static class JobEndpoints
{
    public static void MapJobs(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/market/api/jobs").WithTags("market").RequireAuthorization();
        jobs.MapPost("/", Create).RequireIdempotency("market-jobs", CallerId);
        jobs.MapGet("/", List);
        jobs.MapGet("/{id}", Get);
        jobs.MapPatch("/{id}", Update);
        jobs.MapGet("/{id}/messages", Messages);
        jobs.MapPost("/{id}/messages", PostMessage).RequireIdempotency("market-job-messages", CallerId);

        app.MapPost("/market/api/agents/hire", Hire).WithTags("market").RequireAuthorization().RequireIdempotency("market-hire", CallerId);

        app.MapPost("/admin/api/market/jobs/{id}/resolve", Resolve).WithTags("admin").RequireAdminToken()
            .RequireIdempotency("admin-market-resolve", _ => "operator");
    }

    static string? CallerId(HttpContext http) => http.User.FindFirst(AgentAuthenticationHandler.AgentIdClaim)?.Value;

    static async Task<Results<Created<CreateJobResponse>, ProblemAnswer>> Create(
        CreateJobRequest request, AgentPrincipal caller, IClusterClient orleans,
        [FromHeader(Name = Idempotency.Header)] string? requestKey = null)
    {
        var result = await Hiring(orleans).Hire(new NewJob(caller.AgentId, request.ServiceId, request.TierId, request.Input,
            requestKey is null ? null : "jobs:" + requestKey, "tierId"));
        if (result.Problem is { } problem) return ApiProblem.From(problem);
        var hired = result.Value!;
        return TypedResults.Created($"/market/api/jobs/{hired.Job.Id}", new CreateJobResponse(JobBody.From(hired.Job), hired.PaymentMethod, hired.CheckoutUrl));
    }

    static async Task<Results<Created<HireResponse>, ProblemAnswer>> Hire(
        HireRequest request, AgentPrincipal caller, IClusterClient orleans,
        [FromHeader(Name = Idempotency.Header)] string? requestKey = null)
    {
        var result = await Hiring(orleans).Hire(new NewJob(caller.AgentId, request.ServiceId, request.TierName, request.Input,
            requestKey is null ? null : "hire:" + requestKey, "tierName"));
        if (result.Problem is { } problem) return ApiProblem.From(problem);
        var hired = result.Value!;
        return TypedResults.Created($"/market/api/jobs/{hired.Job.Id}", new HireResponse(true, hired.PaymentMethod, hired.CheckoutUrl, JobBody.From(hired.Job)));
    }

    static async Task<Results<Ok<JobListResponse>, ProblemAnswer>> List(
        AgentPrincipal caller, IClusterClient orleans, string? role = null, string? status = null, int? limit = null, int? offset = null) =>
        ApiProblem.Answer(await Hiring(orleans).List(new JobQuery(caller.AgentId, role, status, limit, offset)),
            jobs => new JobListResponse(jobs.Select(JobBody.From).ToList()));

    static async Task<Results<Ok<JobResponse>, ProblemAnswer>> Get(string id, AgentPrincipal caller, IClusterClient orleans)
    {
        var job = IsJobId(id) ? await orleans.GetGrain<IJobGrain>(id).Get(caller.AgentId) : null;
        return job is null ? JobNotFound() : TypedResults.Ok(new JobResponse(JobBody.From(job)));
    }

    static async Task<Results<Ok<JobResponse>, ProblemAnswer>> Update(string id, UpdateJobRequest request, AgentPrincipal caller, IClusterClient orleans) =>
        !IsJobId(id) ? JobNotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IJobGrain>(id).Act(caller.AgentId, new JobChange(request.Action, request.Output, request.Rating, request.Review)),
            job => new JobResponse(JobBody.From(job)));

    static async Task<Results<Ok<JobMessagesResponse>, ProblemAnswer>> Messages(string id, AgentPrincipal caller, IClusterClient orleans) =>
        !IsJobId(id) ? JobNotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IJobGrain>(id).Messages(caller.AgentId), messages =>
        {
            var bodies = messages.Select(JobMessageBody.From).ToList();
            return new JobMessagesResponse(bodies, bodies, new JobMessagesMeta(bodies.Count));
        });

    static async Task<Results<Created<JobMessageResponse>, ProblemAnswer>> PostMessage(
        string id, PostJobMessageRequest request, AgentPrincipal caller, IClusterClient orleans)
    {
        if (!IsJobId(id)) return JobNotFound();
        var result = await orleans.GetGrain<IJobGrain>(id).PostMessage(caller.AgentId, request.Content);
        return result.Problem is { } problem
            ? ApiProblem.From(problem)
            : TypedResults.Created($"/market/api/jobs/{id}/messages", new JobMessageResponse(JobMessageBody.From(result.Value!)));
    }

    static async Task<Results<Ok<JobResponse>, ProblemAnswer>> Resolve(string id, ResolveJobRequest request, IClusterClient orleans) =>
        !IsJobId(id) ? JobNotFound()
        : ApiProblem.Answer(await orleans.GetGrain<IJobGrain>(id).Resolve(new JobResolution(request.Outcome, request.WorkerCents)),
            job => new JobResponse(JobBody.From(job)));

    static IHiringGrain Hiring(IClusterClient orleans) => orleans.GetGrain<IHiringGrain>(IHiringGrain.Key);

    static bool IsJobId(string id) => PrefixedId.Is(id, "job_");

    static ProblemAnswer JobNotFound() => ApiProblem.Create(StatusCodes.Status404NotFound, "Job not found");
}
