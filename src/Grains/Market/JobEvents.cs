using Actors.Grains.Notifications;
using Actors.Grains.Webhooks;

namespace Actors.Grains.Market;

/// <summary>
/// What one job step tells its parties: a webhook event (the seed's payload, <c>data</c> the job)
/// and an inbox notification for each recipient. They are written in the batch that writes the
/// job's <c>market_jobs</c> row for that step (<see cref="JobStore.Upsert"/>), so both commit or neither.
/// <para>
/// Ids are deterministic (job, event, recipient; a message's own id): a job reaches each status once,
/// so one step has one id per recipient. A step written again — the retry of a step whose state write
/// failed after its row committed, or <c>Recover</c> finishing a step whose money moved — names the
/// same ids, and the outboxes ignore the second write: an event is never lost with its step and
/// never written twice for it.
/// </para>
/// </summary>
public sealed record JobEvents(IReadOnlyList<WebhookEvent> Webhooks, IReadOnlyList<Notification> Notifications)
{
    public const string Created = "job.created";
    public const string Accepted = "job.accepted";
    public const string Delivered = "job.delivered";
    public const string Completed = "job.completed";
    public const string Cancelled = "job.cancelled";
    public const string Message = "job.message";

    const int MaxExcerpt = 200;

    public static readonly JobEvents None = new([], []);

    public bool IsEmpty => Webhooks.Count == 0 && Notifications.Count == 0;

    /// <summary><paramref name="eventName"/> for each of <paramref name="roles"/> (<see cref="JobRules.Buyer"/>, <see cref="JobRules.Worker"/>).</summary>
    public static JobEvents Step(string jobId, JobState job, string eventName, params string[] roles)
    {
        var recipients = roles.Distinct().ToList();
        return new(
            [.. recipients.Select(role => new WebhookEvent(PartyOf(job, role), eventName, Data(jobId, job), jobId, $"msg_{jobId}_{eventName}_{role}"))],
            [.. recipients.Select(role => Notice(jobId, job, eventName, role))]);
    }

    /// <summary><c>job.message</c> for the party that did not write it.</summary>
    public static JobEvents ForMessage(string jobId, JobState job, JobMessage message)
    {
        var role = message.Sender == JobRules.Buyer ? JobRules.Worker : JobRules.Buyer;
        var data = Data(jobId, job);
        data["message"] = new Dictionary<string, object?>
        {
            ["id"] = message.Id,
            ["content"] = message.Content,
            ["sender"] = message.Sender,
            ["senderId"] = message.SenderId,
            ["createdAt"] = message.CreatedAt,
        };
        var senderName = message.Sender == JobRules.Buyer ? job.BuyerName : job.WorkerName;
        return new(
            [new WebhookEvent(PartyOf(job, role), Message, data, jobId, $"{message.Id}_{Message}")],
            [new Notification(PartyOf(job, role), TypeOf(Message), $"New message on \"{job.ServiceTitle}\"",
                $"{senderName}: {Excerpt(message.Content)}", Link(jobId),
                new { jobId, messageId = message.Id, senderId = message.SenderId }, $"ntf_{message.Id}")]);
    }

    /// <summary>The inbox type of an event: the seed's types are snake_case (bid_received), so job.created is job_created.</summary>
    public static string TypeOf(string eventName) => eventName.Replace('.', '_');

    static Notification Notice(string jobId, JobState job, string eventName, string role)
    {
        var title = $"\"{job.ServiceTitle}\"";
        var price = "$" + Usd.Format(job.PriceCents);
        var (heading, body) = eventName switch
        {
            Created => ($"New job: {title}", $"{job.BuyerName} hired you ({job.TierName}, {price}): {Excerpt(job.Input)}"),
            Accepted => ($"{job.WorkerName} accepted {title}", $"Your job ({job.TierName}, {price}) was accepted."),
            Delivered => ($"{title} was delivered", $"{job.WorkerName} delivered your job: review the output and mark it complete."),
            Completed => ($"{title} is complete", job.Resolution is { } r
                ? $"The operator resolved the dispute ({r})."
                : role == JobRules.Worker ? $"{job.BuyerName} completed the job; the payment is released to you." : "The job is complete."),
            Cancelled => ($"{title} was cancelled", job.Resolution is { } r
                ? $"The operator resolved the dispute ({r})."
                : job.Paid ? "The job was cancelled and its escrow refunded to the buyer." : "The job was cancelled."),
            _ => (title, eventName),
        };
        return new Notification(PartyOf(job, role), TypeOf(eventName), heading, body, Link(jobId),
            new { jobId, serviceId = job.ServiceId, status = job.Status, priceCents = job.PriceCents },
            $"ntf_{jobId}_{eventName}_{role}");
    }

    /// <summary>The seed's payload <c>data</c>: the job as it is after the step.</summary>
    static Dictionary<string, object?> Data(string jobId, JobState job) => new()
    {
        ["id"] = jobId,
        ["status"] = job.Status,
        ["input"] = job.Input,
        ["output"] = job.Output,
        ["priceCents"] = job.PriceCents,
        ["serviceId"] = job.ServiceId,
        ["tierId"] = job.TierName,
        ["buyerId"] = job.BuyerId,
        ["workerId"] = job.WorkerId,
        ["paid"] = job.Paid,
        ["resolution"] = job.Resolution,
        ["createdAt"] = job.CreatedAt,
        ["updatedAt"] = job.UpdatedAt,
    };

    static string PartyOf(JobState job, string role) => role == JobRules.Buyer ? job.BuyerId : job.WorkerId;

    static string Link(string jobId) => $"/jobs/{jobId}";

    static string Excerpt(string text) => text.Length <= MaxExcerpt ? text : text[..MaxExcerpt] + "…";
}
