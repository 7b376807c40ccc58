using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// A hot post decides correctly under concurrency: 200 agents bidding at once at or under the
/// instant-accept threshold get exactly as many acceptances (and escrows) as the post allows, a
/// short wallet pays for what it can and no more, and 100 agents updating their prices while
/// the poster accepts lose no update.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class BidConcurrencyTests(ActorsStack stack)
{
    const int Bidders = 200;
    const long Threshold = 3_000;

    [Fact]
    public async Task Two_hundred_bids_at_once_under_the_threshold_of_a_single_bid_post_accept_exactly_one()
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        await stack.FundWallet(poster.ApiKey, Threshold); // enough for any one of the bids, never two
        var post = await stack.OpenJobPost(poster.ApiKey, BidCrowd.UniquePost(budgetCents: 5_000, instantAcceptCents: Threshold));
        var postId = post.GetProperty("id").GetString()!;
        var bidders = await stack.RegisterBidders(Bidders);

        var answers = await BidAtOnce(postId, bidders);

        Assert.All(answers, a => Assert.True(a.Status is 201 or 200 || a.Status == 409 && a.Body.ToString().Contains("closed"), $"{a.Status} {a.Body}"));
        var accepted = answers.Where(a => a.Status is 200 or 201 && a.Body.GetProperty("bid").State() == "ACCEPTED").ToList();
        var acceptedBid = Assert.Single(accepted).Body.GetProperty("bid");
        var bids = await stack.BidsById(postId);
        Assert.Equal("ACCEPTED", bids[acceptedBid.GetProperty("id").GetString()!].State());
        Assert.Single(bids.Values, b => b.State() == "ACCEPTED");
        // Every other bid was refused as the post closed, or placed and then rejected by the acceptance.
        Assert.All(bids.Values.Where(b => b.State() != "ACCEPTED"), b => Assert.Equal("REJECTED", b.State()));
        Assert.Equal(Bidders, answers.Count(a => a.Status == 409) + bids.Count);
        Assert.DoesNotContain("PENDING", (await stack.BidRowsByStatus(postId)).Keys);

        Assert.Equal(1, await stack.EscrowsFrom(poster.Id));
        Assert.Equal(1, await stack.EscrowsOfPost(postId));
        Assert.Equal(Threshold - acceptedBid.Price(), await stack.WalletBalance(poster.ApiKey));
        var after = await stack.GetJobPost(postId);
        Assert.Equal("CLOSED", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("acceptedBidsCount").GetInt32());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task Two_hundred_bids_at_once_on_a_multi_bid_post_of_three_accept_exactly_three()
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        await stack.FundWallet(poster.ApiKey, 3 * Threshold);
        var post = await stack.OpenJobPost(poster.ApiKey,
            BidCrowd.UniquePost(budgetCents: 5_000, instantAcceptCents: Threshold, multiBid: true, maxAcceptedBids: 3));
        var postId = post.GetProperty("id").GetString()!;
        var bidders = await stack.RegisterBidders(Bidders);

        var answers = await BidAtOnce(postId, bidders);

        Assert.All(answers, a => Assert.True(a.Status is 201 or 200 || a.Status == 409 && a.Body.ToString().Contains("closed"), $"{a.Status} {a.Body}"));
        var accepted = answers.Where(a => a.Status is 200 or 201 && a.Body.GetProperty("bid").State() == "ACCEPTED")
            .Select(a => a.Body.GetProperty("bid")).ToList();
        Assert.Equal(3, accepted.Count);
        var bids = await stack.BidsById(postId);
        Assert.Equal(accepted.Select(b => b.GetProperty("id").GetString()).Order(),
            bids.Values.Where(b => b.State() == "ACCEPTED").Select(b => b.GetProperty("id").GetString()).Order());
        Assert.All(bids.Values.Where(b => b.State() != "ACCEPTED"), b => Assert.Equal("REJECTED", b.State()));
        Assert.Equal(Bidders, answers.Count(a => a.Status == 409) + bids.Count);
        Assert.DoesNotContain("PENDING", (await stack.BidRowsByStatus(postId)).Keys);

        Assert.Equal(3, await stack.EscrowsFrom(poster.Id));
        Assert.Equal(3, await stack.EscrowsOfPost(postId));
        Assert.Equal(3 * Threshold - accepted.Sum(b => b.Price()), await stack.WalletBalance(poster.ApiKey));
        var after = await stack.GetJobPost(postId);
        Assert.Equal("CLOSED", after.GetProperty("status").GetString());
        Assert.Equal(3, after.GetProperty("acceptedBidsCount").GetInt32());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_wallet_that_pays_for_one_instant_accept_accepts_one_and_leaves_the_others_pending()
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        await stack.FundWallet(poster.ApiKey, Threshold); // every bid is over Threshold / 2: one fits, two never do
        var post = await stack.OpenJobPost(poster.ApiKey,
            BidCrowd.UniquePost(budgetCents: 5_000, instantAcceptCents: Threshold, multiBid: true, maxAcceptedBids: 3));
        var postId = post.GetProperty("id").GetString()!;
        var bidders = await stack.RegisterBidders(Bidders);

        var answers = await BidAtOnce(postId, bidders);

        Assert.All(answers, a => Assert.True(a.Status is 201 or 200, $"{a.Status} {a.Body}"));
        var statuses = answers.Select(a => a.Body.GetProperty("bid").State()).ToList();
        Assert.Equal(1, statuses.Count(s => s == "ACCEPTED"));
        Assert.Equal(Bidders - 1, statuses.Count(s => s == "PENDING"));
        var rows = await stack.BidRowsByStatus(postId);
        Assert.Equal(1, rows.GetValueOrDefault("ACCEPTED"));
        Assert.Equal(Bidders - 1, rows.GetValueOrDefault("PENDING"));
        Assert.Equal(Bidders, rows.Values.Sum());

        var acceptedBid = answers.Single(a => a.Body.GetProperty("bid").State() == "ACCEPTED").Body.GetProperty("bid");
        Assert.Equal(1, await stack.EscrowsFrom(poster.Id));
        var balance = await stack.WalletBalance(poster.ApiKey);
        Assert.Equal(Threshold - acceptedBid.Price(), balance);
        Assert.True(balance >= 0);
        Assert.Equal(0, await stack.AccountsBelowZero());
        var after = await stack.GetJobPost(postId);
        Assert.Equal("OPEN", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("acceptedBidsCount").GetInt32());
        await stack.AssertLedgerHolds();
    }

    [Fact]
    public async Task A_hundred_price_updates_at_once_beside_the_poster_s_accept_lose_no_update()
    {
        const int Updaters = 100, UpdatesEach = 3;
        var poster = await stack.RegisterAgent(name: Unique.Name("poster"));
        await stack.FundWallet(poster.ApiKey, 5_000);
        var post = await stack.OpenJobPost(poster.ApiKey, BidCrowd.UniquePost(budgetCents: 5_000));
        var postId = post.GetProperty("id").GetString()!;
        var bidders = await stack.RegisterBidders(Updaters);
        var bidIds = new string[Updaters];
        await Parallel.ForEachAsync(Enumerable.Range(0, Updaters), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            bidIds[i] = (await stack.Bid(bidders[i].ApiKey, postId, 4_000 + i)).GetProperty("bid").GetProperty("id").GetString()!);
        var chosen = Updaters / 2;

        // Each bidder lowers its price UpdatesEach times, one after another; the poster accepts one bid meanwhile.
        var lastAnswered = new long[Updaters];
        var updatesAnswered = new int[Updaters];
        var unexpected = new ConcurrentQueue<string>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The accept goes out once half the updates are answered: updates land before it, beside it and after it.
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = 0;
        var storm = Enumerable.Range(0, Updaters).Select(async i =>
        {
            using var agent = stack.AsAgent(bidders[i].ApiKey);
            lastAnswered[i] = 4_000 + i;
            await start.Task;
            for (var n = 1; n <= UpdatesEach; n++)
            {
                var price = 4_000 + i - n * 100;
                using var response = await agent.Patch(postId, bidIds[i], new { priceCents = price, message = $"Update {n}" });
                var body = await response.ReadJson();
                if (Interlocked.Increment(ref answered) == Updaters * UpdatesEach / 2) halfway.TrySetResult();
                if (response.IsSuccessStatusCode)
                {
                    Assert.Equal(price, body.GetProperty("bid").Price());
                    lastAnswered[i] = price;
                    updatesAnswered[i]++;
                }
                else if ((int)response.StatusCode != 409) unexpected.Enqueue($"bid {i} update {n}: {(int)response.StatusCode} {body}");
            }
        }).ToList();
        var accept = Task.Run(async () =>
        {
            await halfway.Task;
            using var agent = stack.AsAgent(poster.ApiKey);
            using var response = await agent.Patch(postId, bidIds[chosen], new { status = "ACCEPTED" });
            return ((int)response.StatusCode, await response.ReadJson());
        });
        start.SetResult();
        await Task.WhenAll(storm);
        var (acceptStatus, acceptBody) = await accept;

        Assert.Empty(unexpected);
        var bids = await stack.BidsById(postId);
        for (var i = 0; i < Updaters; i++)
        {
            var bid = bids[bidIds[i]];
            Assert.Equal(lastAnswered[i], bid.Price());
            Assert.Equal(updatesAnswered[i], bid.GetProperty("priceHistory").GetArrayLength());
        }
        if (acceptStatus == 200)
        {
            Assert.Equal("ACCEPTED", acceptBody.GetProperty("bid").State());
            Assert.Equal("ACCEPTED", bids[bidIds[chosen]].State());
            Assert.All(bids.Values.Where(b => b.GetProperty("id").GetString() != bidIds[chosen]), b => Assert.Equal("REJECTED", b.State()));
            Assert.Equal(Updaters - 1, acceptBody.GetProperty("rejectedBids").GetInt32());
            Assert.Equal(5_000 - lastAnswered[chosen], await stack.WalletBalance(poster.ApiKey));
            Assert.Equal(1, await stack.EscrowsFrom(poster.Id));
            Assert.Equal("CLOSED", (await stack.GetJobPost(postId)).GetProperty("status").GetString());
        }
        else
        {
            Assert.True(acceptStatus is 409 or 402, $"{acceptStatus} {acceptBody}");
            Assert.All(bids.Values, b => Assert.Equal("PENDING", b.State()));
            Assert.Equal(5_000, await stack.WalletBalance(poster.ApiKey));
            Assert.Equal(0, await stack.EscrowsFrom(poster.Id));
        }
        await stack.AssertLedgerHolds();
    }

    /// <summary>Every bidder bids once, all released together; prices Threshold − 199 … Threshold, all instant.</summary>
    async Task<(int Status, JsonElement Body)[]> BidAtOnce(string postId, RegisteredAgent[] bidders)
    {
        var clients = bidders.Select(b => stack.AsAgent(b.ApiKey)).ToArray();
        try
        {
            return await BidCrowd.AllAtOnce([.. clients.Select((client, i) => (Func<Task<HttpResponseMessage>>)(() =>
                client.PostAsJsonAsync(BidClient.Bids(postId), new { priceCents = Threshold - i % 200, message = "I can build this scraper in 2 days using Playwright..." })))]);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }
}
