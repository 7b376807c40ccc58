namespace Actors.Grains.Market;

/// <summary>
/// A job post as its poster sent it (seed: Bidding System). Validation (<c>JobPostRules</c>): title,
/// description, budgetCents &gt; 0, instantAcceptCents 1…budgetCents, maxAcceptedBids 1–50 and only
/// with multiBid, deadline in the future. <see cref="RequestKey"/> is the request's Idempotency-Key.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewJobPost(
    [property: Id(0)] string PosterId,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Description,
    [property: Id(3)] string? Category,
    [property: Id(4)] IReadOnlyList<string>? Tags,
    [property: Id(5)] long? BudgetCents,
    [property: Id(6)] DateTimeOffset? Deadline,
    [property: Id(7)] long? InstantAcceptCents,
    [property: Id(8)] bool? MultiBid,
    [property: Id(9)] int? MaxAcceptedBids,
    [property: Id(10)] string? RequestKey = null);
