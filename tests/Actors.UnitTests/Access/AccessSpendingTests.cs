using Actors.Grains.Access;
using Actors.Grains.Identity;
using Actors.Grains.Ledger;
using Actors.Grains.Platform;

namespace Actors.UnitTests.Access;

/// <summary>The rules of one authorization: the command and terms checks, the transfer and token row it prepares, the answer.</summary>
public sealed class AccessSpendingTests
{
    static readonly DateTimeOffset Now = new(2026, 5, 14, 9, 30, 0, TimeSpan.Zero);
    static readonly ContentLicense License = new("Read and summarise; no training.", true, true, true, false, false, 3600);
    static readonly ContentTerms Terms = new("pub_7", "news.example", "story-1", "/2026/story", 3, "lic_1", License,
        "http://127.0.0.1:5080/access/publishers/news.example/2026/story",
        "http://127.0.0.1:5080/access/publishers/news.example/agentthreshold/content/story-1/", "A story");

    static AuthorizeCommand Command(string? url = "https://news.example/2026/story", string? contentId = "story-1",
        string? domain = "news.example", int? tier = 3, string? requestKey = null) => new(url, contentId, domain, tier, requestKey);

    [Fact]
    public void A_complete_command_passes()
    {
        Assert.Null(AccessSpending.CheckCommand(Command()));
    }

    [Fact]
    public void The_command_is_checked_url_then_content_id_then_domain_then_tier()
    {
        Assert.Equal("url", AccessSpending.CheckCommand(new AuthorizeCommand("nope", "a b", "-x", 0, null))?.Field);
        Assert.Equal("content_id", AccessSpending.CheckCommand(Command(contentId: "a b", domain: "-x", tier: 0))?.Field);
        Assert.Equal("domain", AccessSpending.CheckCommand(Command(domain: "-x", tier: 0))?.Field);
        Assert.Equal("tier", AccessSpending.CheckCommand(Command(tier: 0))?.Field);
        Assert.Equal("tier", AccessSpending.CheckCommand(Command(tier: null))?.Field);
    }

    [Fact]
    public void The_content_grain_key_uses_the_normalised_domain_and_the_content_id_as_given()
    {
        Assert.Equal("cnt_news.example/Story-1", AccessSpending.ContentKey(Command(contentId: "Story-1", domain: " News.Example. ")));
    }

    [Fact]
    public void Unknown_content_is_not_found_and_names_no_field()
    {
        var problem = AccessSpending.CheckTerms(Command(), null);

        Assert.Equal(ProblemKind.NotFound, problem?.Kind);
        Assert.Null(problem!.Field);
        Assert.Contains("'story-1'", problem.Message);
    }

    [Fact]
    public void A_tier_other_than_the_content_s_is_invalid_and_names_the_tier()
    {
        Assert.Null(AccessSpending.CheckTerms(Command(tier: 3), Terms));

        var problem = AccessSpending.CheckTerms(Command(tier: 2), Terms);
        Assert.Equal(ProblemKind.Invalid, problem?.Kind);
        Assert.Equal("tier", problem!.Field);
        Assert.Contains("(3)", problem.Message);
    }

    [Fact]
    public void The_prepared_transfer_moves_the_tier_from_the_org_s_credits_to_the_publisher_and_balances()
    {
        var spend = AccessSpending.Prepare("org_1", "agt_1", Command(), Terms, Now);

        Assert.Null(spend.Transfer.Check());
        Assert.Equal("access.retrieval", spend.Transfer.Kind);
        Assert.Equal([new LedgerLeg("org-credits:org_1", -3), new LedgerLeg("publisher:pub_7", 3)], spend.Transfer.Legs);
        Assert.Equal(0, spend.Transfer.Legs.Sum(l => l.Amount));
        Assert.Equal("org-credits:org_1", spend.CreditsAccount);
        Assert.Equal("access:" + spend.RetrievalId, spend.Transfer.TransferId);
        Assert.Same(Terms, spend.Terms);
    }

    [Fact]
    public void With_an_idempotency_key_the_retrieval_and_transfer_ids_are_derived_from_org_agent_and_key()
    {
        var first = AccessSpending.Prepare("org_1", "agt_1", Command(requestKey: "k-1"), Terms, Now);
        var retry = AccessSpending.Prepare("org_1", "agt_1", Command(requestKey: "k-1"), Terms, Now.AddSeconds(30));

        Assert.Equal("ret_" + SecretHash.Of("org_1\nagt_1\nk-1")[..32], first.RetrievalId);
        Assert.Equal(first.Transfer.TransferId, retry.Transfer.TransferId);
        Assert.Equal(first.Transfer.Fingerprint(), retry.Transfer.Fingerprint());
        Assert.NotEqual(first.AccessToken, retry.AccessToken);
    }

    [Fact]
    public void Another_org_agent_or_key_derives_another_transfer_id()
    {
        var ids = new[]
        {
            AccessSpending.Prepare("org_1", "agt_1", Command(requestKey: "k-1"), Terms, Now),
            AccessSpending.Prepare("org_2", "agt_1", Command(requestKey: "k-1"), Terms, Now),
            AccessSpending.Prepare("org_1", "agt_2", Command(requestKey: "k-1"), Terms, Now),
            AccessSpending.Prepare("org_1", "agt_1", Command(requestKey: "k-2"), Terms, Now),
        }.Select(s => s.Transfer.TransferId);

        Assert.Equal(4, ids.Distinct().Count());
    }

    [Fact]
    public void Without_an_idempotency_key_every_preparation_is_a_new_retrieval()
    {
        var a = AccessSpending.Prepare("org_1", "agt_1", Command(), Terms, Now);
        var b = AccessSpending.Prepare("org_1", "agt_1", Command(), Terms, Now);

        Assert.Matches("^ret_[0-9A-Za-z]{24}$", a.RetrievalId);
        Assert.NotEqual(a.Transfer.TransferId, b.Transfer.TransferId);
    }

    [Fact]
    public void The_token_is_an_at_access_secret_valid_five_minutes_and_only_its_hash_is_written()
    {
        var spend = AccessSpending.Prepare("org_1", "agt_1", Command(), Terms, Now);

        Assert.Matches("^at_access_[0-9A-Za-z]{40}$", spend.AccessToken);
        Assert.Equal(Now.AddMinutes(5), spend.ExpiresAt);
        Assert.Equal("access_tokens", spend.Token.Table);
        Assert.Equal(["token_hash", "org_id", "agent_id", "domain", "content_id", "retrieval_id", "issued_at", "expires_at"], spend.Token.Columns);
        Assert.Equal([SecretHash.Of(spend.AccessToken), "org_1", "agt_1", "news.example", "story-1", spend.RetrievalId, Now, Now.AddMinutes(5)],
            spend.Token.Values);
        Assert.DoesNotContain(spend.AccessToken, spend.Token.Values);
    }

    [Fact]
    public void An_applied_or_repeated_transfer_answers_with_the_token_and_the_credits_left()
    {
        var spend = AccessSpending.Prepare("org_1", "agt_1", Command(), Terms, Now);

        foreach (var status in new[] { TransferStatus.Applied, TransferStatus.Repeated })
        {
            var answer = AccessSpending.Answer(spend, new TransferResult(status, new Dictionary<string, long> { ["org-credits:org_1"] = 97 }));

            Assert.True(answer.IsOk);
            Assert.Equal(new Authorization(spend.AccessToken, spend.RetrievalId, Terms.ContentUrl, spend.ExpiresAt, 3, 97, License), answer.Value);
        }
    }

    [Fact]
    public void Insufficient_credits_are_payment_required_with_the_price_and_the_balance()
    {
        var spend = AccessSpending.Prepare("org_1", "agt_1", Command(), Terms, Now);

        var answer = AccessSpending.Answer(spend,
            new TransferResult(TransferStatus.Insufficient, new Dictionary<string, long> { ["org-credits:org_1"] = 2 }, "org-credits:org_1"));

        Assert.Equal(ProblemKind.PaymentRequired, answer.Problem?.Kind);
        Assert.Equal("Insufficient credits: this content costs 3, 2 remaining in this period", answer.Problem!.Message);
    }

    [Fact]
    public void A_key_reused_for_another_authorization_is_a_conflict()
    {
        var spend = AccessSpending.Prepare("org_1", "agt_1", Command(requestKey: "k"), Terms, Now);

        var answer = AccessSpending.Answer(spend, new TransferResult(TransferStatus.Mismatch, new Dictionary<string, long>()));

        Assert.Equal(ProblemKind.Conflict, answer.Problem?.Kind);
    }
}
