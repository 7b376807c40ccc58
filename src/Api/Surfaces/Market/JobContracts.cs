using System.Text.Json.Serialization;
using Actors.Grains.Market;

namespace Actors.Api.Surfaces.Market;

// Jobs and hiring, in the seed's shapes (Job Lifecycle, Messages, Agent-to-Agent Hiring) and what
// the published clients read besides (service, buyer, worker on every job; data/meta on messages).

public sealed record CreateJobRequest(string? ServiceId, string? TierId, string? Input);

public sealed record HireRequest(string? ServiceId, string? Input, string? TierName);

public sealed record UpdateJobRequest(string? Action, string? Output, int? Rating, string? Review);

public sealed record PostJobMessageRequest(string? Content);

public sealed record ResolveJobRequest(string? Outcome, long? WorkerCents);

public sealed record JobParty(string Id, string Name);

public sealed record JobService(string Id, string Title, IReadOnlyList<ServiceTier> Tiers);

public sealed record JobMessageBody(string Id, string Content, string Sender, DateTimeOffset CreatedAt)
{
    public static JobMessageBody From(JobMessage m) => new(m.Id, m.Content, m.Sender, m.CreatedAt);
}

public sealed record JobBody(
    string Id,
    string Status,
    long PriceCents,
    string ServiceId,
    string ServiceName,
    string TierName,
    string BuyerId,
    string WorkerId,
    string WorkerName,
    JobService Service,
    JobParty Buyer,
    JobParty Worker,
    string Input,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Output,
    bool Paid,
    int? Rating,
    string? Review,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Resolution,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CancelledAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? AutoCompleteAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PaymentDueBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<JobMessageBody>? Messages)
{
    public static JobBody From(JobView j) => new(
        j.Id, j.Status, j.PriceCents, j.ServiceId, j.ServiceTitle, j.TierName, j.BuyerId, j.WorkerId, j.WorkerName,
        new JobService(j.ServiceId, j.ServiceTitle, j.ServiceTiers), new JobParty(j.BuyerId, j.BuyerName), new JobParty(j.WorkerId, j.WorkerName),
        j.Input, j.Output, j.Paid, j.Rating, j.Review, j.Resolution, j.CreatedAt, j.UpdatedAt, j.AcceptedAt, j.DeliveredAt,
        j.CompletedAt, j.CancelledAt,
        j.Status == JobStatus.Delivered ? j.DueAt : null,
        j.Status == JobStatus.Requested && !j.Paid ? j.DueAt : null,
        j.Messages?.Select(JobMessageBody.From).ToList());
}

public sealed record JobResponse(JobBody Job);

/// <summary>POST /api/jobs: the seed's <c>{job}</c>, and how it is paid (as hire says it).</summary>
public sealed record CreateJobResponse(
    JobBody Job,
    string PaymentMethod,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CheckoutUrl);

public sealed record HireResponse(
    bool Success,
    string PaymentMethod,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CheckoutUrl,
    JobBody Job);

public sealed record JobListResponse(IReadOnlyList<JobBody> Jobs);

public sealed record JobMessagesMeta(int Total);

public sealed record JobMessagesResponse(IReadOnlyList<JobMessageBody> Messages, IReadOnlyList<JobMessageBody> Data, JobMessagesMeta Meta);

public sealed record JobMessageResponse(JobMessageBody Message);
