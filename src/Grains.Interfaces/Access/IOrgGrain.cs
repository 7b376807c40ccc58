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

/// <param name="CreditedUntil">The end of the period whose credits the ledger holds; from then on only the org grain may spend them.</param>
/// <param name="MemberAgentIds">The agents whose keys belong to the org (at most <c>OrgGrain.MaxKeys</c>).</param>
[GenerateSerializer, Immutable]
public sealed record OrgSpending(
    [property: Id(0)] DateTimeOffset CreditedUntil,
    [property: Id(1)] IReadOnlyList<string> MemberAgentIds);

[GenerateSerializer, Immutable]
public sealed record OrgAccount(
    [property: Id(0)] OrgView Org,
    [property: Id(1)] SubscriptionStatus Subscription,
    [property: Id(2)] IReadOnlyList<OrgKeyView> Keys);

[GenerateSerializer, Immutable]
public sealed record IssuedOrgKey(
    [property: Id(0)] OrgKeyView Key,
    [property: Id(1)] string ApiKey);

/// <summary>One key of an org as its owner sees it: never the key itself, only a hint.</summary>
[GenerateSerializer, Immutable]
public sealed record OrgKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Hint,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? RevokedAt);
