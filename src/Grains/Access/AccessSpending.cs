using Actors.Grains.Platform;
using Actors.Grains.Identity;
using Actors.Grains.Ledger;

namespace Actors.Grains.Access;

/// <summary>
/// The rules of one authorization, shared by <see cref="OrgGrain"/> and <see cref="AuthorizeIntakeGrain"/>:
/// which requests are valid, the ledger transfer and token row that pay for one, and the answer
/// the ledger's outcome gives. The ledger alone decides whether the credits suffice.
/// </summary>
public static class AccessSpending
{
    public static Problem? CheckCommand(AuthorizeCommand command) =>
        AccessRules.CheckAbsoluteUrl("url", command.Url)
        ?? AccessRules.CheckContentId("content_id", command.ContentId)
        ?? AccessRules.CheckDomain("domain", command.Domain)
        ?? AccessRules.CheckTier("tier", command.Tier);

    /// <summary>The content grain of a command that passed <see cref="CheckCommand"/>.</summary>
    public static string ContentKey(AuthorizeCommand command) => AccessKeys.Content(command.Domain!, command.ContentId!);

    public static Problem? CheckTerms(AuthorizeCommand command, ContentTerms? terms) =>
        terms is null ? Problem.NotFound($"No AgentThreshold content '{command.ContentId}' is registered for {command.Domain}")
        : command.Tier != terms.Tier ? Problem.Invalid("tier", $"tier does not match this content's pricing tier ({terms.Tier})")
        : null;

    /// <summary>The transfer (org credits → publisher) and the token row written in its transaction.</summary>
    public static Spend Prepare(string orgId, string agentId, AuthorizeCommand command, ContentTerms terms, DateTimeOffset now)
    {
        // With an Idempotency-Key the retrieval (and so the transfer) id is derived from it:
        // a retry whose stored answer was lost still cannot spend twice.
        var retrievalId = command.RequestKey is { } key
            ? "ret_" + SecretHash.Of($"{orgId}\n{agentId}\n{key}")[..32]
            : RandomToken.Id("ret");
        var accessToken = RandomToken.Secret(AccessKeys.TokenPrefix);
        var expiresAt = now + AccessRules.TokenLifetime;
        var credits = LedgerAccount.OrgCredits(orgId);
        var grant = new AccessGrant(orgId, agentId, terms.Domain, terms.ContentId, retrievalId, now, expiresAt);
        return new Spend(
            LedgerTransfer.Move("access:" + retrievalId, "access.retrieval", credits, LedgerAccount.PublisherRevenue(terms.PublisherId), terms.Tier),
            AccessTokenStore.Insert(SecretHash.Of(accessToken), grant),
            credits, accessToken, retrievalId, expiresAt, terms);
    }

    /// <summary>
    /// The answer once the ledger has applied (or refused) the transfer. A repeat (an Idempotency-Key
    /// retry whose first answer was lost) gets a new token for the same retrieval and the credits the
    /// first application left; nothing more is spent.
    /// </summary>
    public static Result<Authorization> Answer(Spend spend, TransferResult spent) => spent.Status switch
    {
        TransferStatus.Insufficient => Problem.PaymentRequired(
            $"Insufficient credits: this content costs {spend.Terms.Tier}, {spent.BalanceOf(spend.CreditsAccount)} remaining in this period"),
        TransferStatus.Mismatch => Problem.Conflict("This Idempotency-Key was already used for a different authorization"),
        _ => Result<Authorization>.Ok(new Authorization(spend.AccessToken, spend.RetrievalId, spend.Terms.ContentUrl, spend.ExpiresAt,
            spend.Terms.Tier, spent.BalanceOf(spend.CreditsAccount), spend.Terms.License)),
    };
}

/// <summary>One authorization ready for the ledger: <see cref="Transfer"/> pays for <see cref="Token"/>.</summary>
public sealed record Spend(
    LedgerTransfer Transfer,
    LedgerWrite Token,
    string CreditsAccount,
    string AccessToken,
    string RetrievalId,
    DateTimeOffset ExpiresAt,
    ContentTerms Terms);
