using System.Text.Json;

namespace Actors.Grains.Market;

/// <summary>
/// A job's state: bounded (input and output are capped by <see cref="JobRules"/>; messages live in
/// <c>job_messages</c>). <see cref="ServiceTiersJson"/> is the service's tiers when it was hired,
/// kept as the JSON the read model stores. <see cref="DueAt"/> is when the job changes by itself.
/// </summary>
public sealed class JobState
{
    public string BuyerId { get; set; } = "";
    public string BuyerName { get; set; } = "";
    public string WorkerId { get; set; } = "";
    public string WorkerName { get; set; } = "";
    public string? ReferrerId { get; set; }
    public string ServiceId { get; set; } = "";
    public string ServiceTitle { get; set; } = "";
    public string ServiceTiersJson { get; set; } = "[]";
    public string TierName { get; set; } = "";
    public long PriceCents { get; set; }
    public string Input { get; set; } = "";
    public string? Output { get; set; }
    public string Status { get; set; } = JobStatus.Requested;
    public bool Paid { get; set; }
    public string? CheckoutId { get; set; }
    public int? Rating { get; set; }
    public string? Review { get; set; }
    public string? Resolution { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>A copy to change, so the stored state is replaced only once the change is kept.</summary>
    public JobState Copy() => (JobState)MemberwiseClone();

    public JobView View(string jobId, IReadOnlyList<JobMessage>? messages = null) => new(
        jobId, Status, BuyerId, BuyerName, WorkerId, WorkerName, ServiceId, ServiceTitle, Tiers(ServiceTiersJson), TierName,
        PriceCents, Input, Output, Paid, Rating, Review, Resolution, CreatedAt, UpdatedAt, AcceptedAt, DeliveredAt,
        CompletedAt, CancelledAt, DueAt, messages);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string TiersJson(IReadOnlyList<ServiceTier> tiers) => JsonSerializer.Serialize(tiers, Json);

    public static IReadOnlyList<ServiceTier> Tiers(string json) => JsonSerializer.Deserialize<List<ServiceTier>>(json, Json) ?? [];
}
