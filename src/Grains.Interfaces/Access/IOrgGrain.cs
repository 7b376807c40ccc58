using Actors.Grains.Platform;

namespace Actors.Grains.Access;

/// <summary>
/// One organisation's content-access subscription (<c>org_…</c>): plan, monthly credit limit,
/// the current period. Its credits are a ledger account; every authorization is a ledger
/// transfer from it to the publisher, serialised here and guarded again by the ledger.
/// </summary>
public interface IOrgGrain : IGrainWithStringKey
{
    Task<Result<OrgView>> Create(NewOrg org);

    /// <summary>Creates an agent identity with an <c>agnt_</c> key bound to this org; the key is returned once.</summary>
    Task<Result<string>> IssueKey();

    /// <summary>The subscription now (renews the period first when it has ended).</summary>
    Task<Result<SubscriptionStatus>> GetSubscription();

    /// <summary>
    /// Spends the content's tier in credits and issues a single-use access token. Refused
    /// (403) unless <paramref name="agentId"/> is one of the org's keys.
    /// </summary>
    Task<Result<Authorization>> Authorize(string agentId, AuthorizeCommand command);

    /// <summary>
    /// What <see cref="IAuthorizeIntakeGrain"/> needs to spend this org's credits without calling it:
    /// its keys and the end of the period whose credits the ledger holds (renewed first when it has
    /// ended). Null when the org does not exist.
    /// </summary>
    Task<OrgSpending?> GetSpending();

    // The Account page: a human creates the org and owns it. Every call names the human and
    // answers "not found" to anyone but the owner.

    /// <summary>Creates an org owned by the human, on plan <c>None</c> (no credits) until a checkout is paid.</summary>
    Task<Result<OrgView>> CreateOwned(string? name, string ownerHumanKey);

    /// <summary>The org, its subscription and its keys (hints only), as its owner sees them.</summary>
    Task<Result<OrgAccount>> GetForOwner(string humanKey);

    /// <summary>A new <c>agnt_</c> key for the owner; the key is in the answer once and never again.</summary>
    Task<Result<IssuedOrgKey>> IssueKeyForOwner(string humanKey);

    /// <summary>Revokes one of the org's keys (by its id, the key's agent id); repeating it changes nothing.</summary>
    Task<Result<OrgKeyView>> RevokeKey(string humanKey, string keyId);

    /// <summary>Opens a checkout for one of <see cref="AccessPlans"/> with the payment provider.</summary>
    Task<Result<Payments.CheckoutView>> StartCheckout(string humanKey, string? plan);

    /// <summary>
    /// Called by a paid checkout: sets the plan and limit, and adds the credits an upgrade brings
    /// to this period (a ledger transfer from the world keyed by the checkout). Idempotent by checkout id.
    /// </summary>
    Task<Result<OrgView>> ApplyPlan(string checkoutId, string plan, long monthlyLimit);
}

[GenerateSerializer, Immutable]
public sealed record OrgAccount(
    [property: Id(0)] OrgView Org,
    [property: Id(1)] SubscriptionStatus Subscription,
    [property: Id(2)] IReadOnlyList<OrgKeyView> Keys);

/// <summary>One key of an org as its owner sees it: never the key itself, only a hint.</summary>
[GenerateSerializer, Immutable]
public sealed record OrgKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Hint,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? RevokedAt);

[GenerateSerializer, Immutable]
public sealed record IssuedOrgKey(
    [property: Id(0)] OrgKeyView Key,
    [property: Id(1)] string ApiKey);

/// <summary>The access surface's view of one agent (keyed by its <c>agt_…</c> id): the org its key belongs to.</summary>
public interface IOrgMemberGrain : IGrainWithStringKey
{
    /// <summary>Binds the agent to the org; false if it already belongs to another.</summary>
    Task<bool> Join(string orgId);

    /// <summary>The org this agent's key belongs to, or null; once set it never changes, so callers may cache it.</summary>
    Task<string?> GetOrgId();

    Task<Result<SubscriptionStatus>> GetSubscription();

    Task<Result<Authorization>> Authorize(AuthorizeCommand command);
}

/// <param name="CreditedUntil">The end of the period whose credits the ledger holds; from then on only the org grain may spend them.</param>
/// <param name="MemberAgentIds">The agents whose keys belong to the org (at most <c>OrgGrain.MaxKeys</c>).</param>
[GenerateSerializer, Immutable]
public sealed record OrgSpending(
    [property: Id(0)] DateTimeOffset CreditedUntil,
    [property: Id(1)] IReadOnlyList<string> MemberAgentIds);

/// <summary>
/// Takes the authorizations an API process gathered from many agents in one call. Each is decided
/// by the rules of <see cref="IOrgGrain.Authorize"/> and answered only after its ledger transfer is
/// durable; the transfers of a batch meet the silo's ledger group commit together.
/// </summary>
public interface IAuthorizeIntakeGrain : IGrainWithStringKey
{
    /// <summary>The intake is a stateless worker: one key, an activation per silo that receives batches.</summary>
    const string Key = "authorize-intake";

    /// <summary>The answer at index i belongs to authorization i.</summary>
    Task<BatchAnswer<Authorization>[]> Authorize(OrgAuthorization[] authorizations);
}

/// <summary>An authorize request of <paramref name="AgentId"/>, whose key belongs to <paramref name="OrgId"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record OrgAuthorization(
    [property: Id(0)] string OrgId,
    [property: Id(1)] string AgentId,
    [property: Id(2)] AuthorizeCommand Command);

[GenerateSerializer, Immutable]
public sealed record NewOrg(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Plan,
    [property: Id(2)] long? MonthlyLimit);

[GenerateSerializer, Immutable]
public sealed record OrgView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Plan,
    [property: Id(3)] long MonthlyLimit);

[GenerateSerializer, Immutable]
public sealed record SubscriptionStatus(
    [property: Id(0)] string OrgName,
    [property: Id(1)] string Plan,
    [property: Id(2)] string Status,
    [property: Id(3)] long UsageCount,
    [property: Id(4)] long MonthlyLimit,
    [property: Id(5)] long RemainingCredits,
    [property: Id(6)] double UsagePercentage,
    [property: Id(7)] DateTimeOffset PeriodStart,
    [property: Id(8)] DateTimeOffset PeriodEnd,
    [property: Id(9)] int DaysUntilRenewal);

/// <summary>An authorize request as sent; <see cref="RequestKey"/> is the caller's Idempotency-Key, if any.</summary>
[GenerateSerializer, Immutable]
public sealed record AuthorizeCommand(
    [property: Id(0)] string? Url,
    [property: Id(1)] string? ContentId,
    [property: Id(2)] string? Domain,
    [property: Id(3)] int? Tier,
    [property: Id(4)] string? RequestKey);

[GenerateSerializer, Immutable]
public sealed record Authorization(
    [property: Id(0)] string AccessToken,
    [property: Id(1)] string RetrievalId,
    [property: Id(2)] string ContentUrl,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] int CreditsConsumed,
    [property: Id(5)] long RemainingCredits,
    [property: Id(6)] ContentLicense License);
