using Actors.Grains.Platform;

namespace Actors.Grains.Market;

/// <summary>
/// Who may do what to a job, in which status, and what a hire or a change must carry. Pure: the
/// grain asks, in this order, for the fields (400), the role (403) and the status (409).
/// </summary>
public static class JobRules
{
    public const int MaxInput = 50_000;
    public const int MaxOutput = 50_000;
    public const int MaxReview = 2_000;
    public const int MaxMessage = 10_000;
    public const int MaxIdLength = 100;

    public const string Buyer = "buyer";
    public const string Worker = "worker";

    public static Problem? CheckNewJob(NewJob request) =>
        string.IsNullOrWhiteSpace(request.ServiceId) ? Problem.Invalid("serviceId", "serviceId is required")
        : request.ServiceId.Length > MaxIdLength ? Problem.Invalid("serviceId", $"serviceId must be at most {MaxIdLength} characters")
        : request.TierName is { Length: 0 or > MaxIdLength } ? Problem.Invalid(request.TierField, $"{request.TierField} must be 1 to {MaxIdLength} characters")
        : string.IsNullOrWhiteSpace(request.Input) ? Problem.Invalid("input", "input is required: say what the job is")
        : request.Input.Length > MaxInput ? Problem.Invalid("input", $"input must be at most {MaxInput} characters")
        : null;

    /// <summary>The fields the change's action takes; the fields other actions take are ignored.</summary>
    public static Problem? CheckChange(JobChange change)
    {
        if (string.IsNullOrEmpty(change.Action)) return Problem.Invalid("action", "action is required: " + string.Join(", ", JobActions.All));
        if (!JobActions.All.Contains(change.Action)) return Problem.Invalid("action", $"Unknown action '{Shorten(change.Action)}': one of " + string.Join(", ", JobActions.All));
        return change.Action switch
        {
            JobActions.Deliver when string.IsNullOrWhiteSpace(change.Output) => Problem.Invalid("output", "output is required to deliver"),
            JobActions.Deliver when change.Output!.Length > MaxOutput => Problem.Invalid("output", $"output must be at most {MaxOutput} characters"),
            JobActions.Complete when change.Rating is < 1 or > 5 => Problem.Invalid("rating", "rating must be an integer from 1 to 5"),
            JobActions.Complete when change.Review is { Length: > MaxReview } => Problem.Invalid("review", $"review must be at most {MaxReview} characters"),
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="role"/> may take <paramref name="action"/> on a job in <paramref name="status"/>.</summary>
    public static Problem? Allowed(string action, string role, string status, bool paid)
    {
        var who = action switch
        {
            JobActions.Accept or JobActions.Start or JobActions.Deliver => Worker,
            JobActions.Complete or JobActions.Dispute => Buyer,
            _ => role, // cancel: either party
        };
        if (who != role) return Problem.Forbidden($"Only the {who} can {action} a job");

        var from = From(action);
        if (!from.Contains(status))
            return Problem.Conflict($"Cannot {action} a job that is {status} (only when {string.Join(" or ", from)})");
        if (action == JobActions.Accept && !paid)
            return Problem.Conflict("This job is not paid yet: it can be accepted once the buyer's checkout has paid its escrow");
        return null;
    }

    /// <summary>The statuses an action starts from.</summary>
    public static IReadOnlyList<string> From(string action) => action switch
    {
        JobActions.Accept => [JobStatus.Requested],
        JobActions.Start => [JobStatus.Accepted],
        JobActions.Deliver => [JobStatus.InProgress],
        JobActions.Complete or JobActions.Dispute => [JobStatus.Delivered],
        JobActions.Cancel => [JobStatus.Requested, JobStatus.Accepted, JobStatus.InProgress],
        _ => [],
    };

    /// <summary>The status an action leads to.</summary>
    public static string To(string action) => action switch
    {
        JobActions.Accept => JobStatus.Accepted,
        JobActions.Start => JobStatus.InProgress,
        JobActions.Deliver => JobStatus.Delivered,
        JobActions.Complete => JobStatus.Completed,
        JobActions.Dispute => JobStatus.Disputed,
        JobActions.Cancel => JobStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a job action"),
    };

    public static Problem? CheckMessage(string? content) =>
        string.IsNullOrWhiteSpace(content) ? Problem.Invalid("content", "content is required")
        : content.Length > MaxMessage ? Problem.Invalid("content", $"content must be at most {MaxMessage} characters")
        : null;

    public static Problem? CheckResolution(JobResolution resolution, long priceCents) => resolution.Outcome switch
    {
        JobOutcomes.Release or JobOutcomes.Refund => null,
        JobOutcomes.Split when resolution.WorkerCents is null => Problem.Invalid("workerCents", "workerCents is required to split"),
        JobOutcomes.Split when resolution.WorkerCents < 1 || resolution.WorkerCents > priceCents - 1 =>
            Problem.Invalid("workerCents", $"workerCents must be between 1 and {priceCents - 1} (the price less one cent)"),
        JobOutcomes.Split => null,
        _ => Problem.Invalid("outcome", "outcome must be release, refund or split"),
    };

    static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
