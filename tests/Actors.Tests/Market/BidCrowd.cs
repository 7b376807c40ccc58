using System.Net.Http.Json;
using System.Text.Json;
using Actors.Grains.Wallets;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// Crowds of bidders and the counts the concurrency, deadline and notification tests make of what
/// they did (beside <see cref="BidStored"/>, which the lifecycle and money tests share).
/// </summary>
static class BidCrowd
{
    /// <summary>Rows of market_bids for the post, by status ("PENDING" → 3 …).</summary>
    public static async Task<Dictionary<string, long>> BidRowsByStatus(this ActorsStack stack, string postId)
    {
        var listed = (string?)await stack.Postgres.Scalar(
            "SELECT string_agg(status || '=' || n, ',') FROM (SELECT status, count(*) AS n FROM market_bids WHERE post_id = @id GROUP BY status) s",
            ("id", postId));
        return listed is null ? [] : listed.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1]));
    }

    /// <summary>
    /// Escrow transfers out of the agent's wallet (kind job-escrow): for a fresh poster, the escrows
    /// its posts' acceptances moved, whichever way the transfer names the post.
    /// </summary>
    public static async Task<long> EscrowsFrom(this ActorsStack stack, string agentId) =>
        (long)(await stack.Postgres.Scalar("""
            SELECT count(DISTINCT t.transfer_id) FROM ledger_transfers t JOIN ledger_entries e USING (transfer_id)
            WHERE t.kind = @kind AND e.account_id = @wallet AND e.amount < 0
            """, ("kind", WalletLedger.JobEscrow), ("wallet", WalletLedger.Wallet(agentId))))!;

    /// <summary>Escrow transfers naming the post: into one of its bids' escrow accounts, or with the post as the wallet history's job.</summary>
    public static async Task<long> EscrowsOfPost(this ActorsStack stack, string postId) =>
        (long)(await stack.Postgres.Scalar("""
            SELECT count(DISTINCT t.transfer_id) FROM ledger_transfers t
            WHERE t.kind = @kind AND (
                t.transfer_id IN (SELECT w.transfer_id FROM wallet_transfers w WHERE w.job_id = @id)
                OR EXISTS (SELECT 1 FROM ledger_entries e JOIN market_bids b ON e.account_id = 'escrow:' || b.bid_id
                           WHERE e.transfer_id = t.transfer_id AND b.post_id = @id))
            """, ("kind", WalletLedger.JobEscrow), ("id", postId)))!;

    /// <summary>Notifications of that type the agent got about the post (data.jobPostId, or the link to it).</summary>
    public static async Task<long> NoticesAbout(this ActorsStack stack, string agentId, string type, string postId) =>
        (long)(await stack.Postgres.Scalar("""
            SELECT count(*) FROM notifications
            WHERE agent_id = @agent AND type = @type AND (data->>'jobPostId' = @post OR link = '/jobs/' || @post)
            """, ("agent", agentId), ("type", type), ("post", postId)))!;

    /// <summary>Registers <paramref name="count"/> agents, a few at a time (registration is not what these tests measure).</summary>
    public static async Task<RegisteredAgent[]> RegisterBidders(this ActorsStack stack, int count, string stem = "bidder")
    {
        var agents = new RegisteredAgent[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => agents[i] = await stack.RegisterAgent(name: Unique.Name($"{stem}{i}")));
        return agents;
    }

    /// <summary>A post with a title no other test uses (so lists and feeds can be searched for it).</summary>
    public static Dictionary<string, object?> UniquePost(long budgetCents = 5000, long? instantAcceptCents = null, bool? multiBid = null,
        int? maxAcceptedBids = null, DateTimeOffset? deadline = null, string category = "development")
    {
        var post = BidClient.SeedPost(budgetCents, instantAcceptCents, multiBid, maxAcceptedBids, deadline, category);
        post["title"] = Unique.Name("Build me a web scraper");
        return post;
    }

    /// <summary>A category of its own, so a test can list its posts alone.</summary>
    public static string UniqueCategory(string stem) => Unique.Name(stem).ToLowerInvariant();

    /// <summary>Waits (real time, without calling the post) until the SQL's count reaches <paramref name="expected"/>; the last count.</summary>
    public static async Task<long> CountReaches(this ActorsStack stack, long expected, TimeSpan timeout, string sql, params (string Name, object Value)[] parameters)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var count = (long)(await stack.Postgres.Scalar(sql, parameters))!;
            if (count >= expected || DateTime.UtcNow > until) return count;
            await Task.Delay(500);
        }
    }

    /// <summary>The bids of GET …/bids by id.</summary>
    public static async Task<Dictionary<string, JsonElement>> BidsById(this ActorsStack stack, string postId) =>
        (await stack.ListBids(postId)).GetProperty("bids").EnumerateArray().ToDictionary(b => b.GetProperty("id").GetString()!);

    /// <summary>Sends every request only once all are built, so they reach the API as close together as HTTP allows.</summary>
    public static async Task<(int Status, JsonElement Body)[]> AllAtOnce(IReadOnlyList<Func<Task<HttpResponseMessage>>> requests)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = requests.Select(async send =>
        {
            await start.Task;
            using var response = await send();
            return ((int)response.StatusCode, await response.ReadJson());
        }).ToArray();
        start.SetResult();
        return await Task.WhenAll(sent);
    }

    /// <summary>The status of a bid as GET …/bids lists it.</summary>
    public static string State(this JsonElement bid) => bid.GetProperty("status").GetString()!;

    public static long Price(this JsonElement bid) => bid.GetProperty("priceCents").GetInt64();

    /// <summary>A PATCH sent from an agent's own client (kept open for a storm of them).</summary>
    public static Task<HttpResponseMessage> Patch(this HttpClient agent, string postId, string bidId, object body) =>
        agent.PatchAsJsonAsync(BidClient.BidPath(postId, bidId), body);
}
