using Actors.Api.Http;
using Actors.Grains.Market;
using Actors.Grains.Platform;
using Microsoft.Extensions.Options;

namespace Actors.Api.Surfaces.Market;

/// <summary>
/// Where bids go. The ones that arrive together in this API process travel to the silo together:
/// one <see cref="IJobPostGrain.SubmitBids"/> call per post per batch, so a post many agents bid on
/// at once decides them in order and writes them in one transaction; each bid still gets its own
/// answer, only once it is durable. Settings: <see cref="MarketApiOptions.BidIntake"/>.
/// </summary>
public sealed class MarketBids : IAsyncDisposable
{
    readonly Batcher<NewBid, BatchAnswer<BidPlaced>> _batcher;

    public MarketBids(IClusterClient orleans, IOptions<MarketApiOptions> options) =>
        _batcher = options.Value.BidIntake.StartBatcher<NewBid, BatchAnswer<BidPlaced>>(bids => Submit(orleans, bids));

    public async Task<Result<BidPlaced>> Place(NewBid bid) => (await _batcher.Submit(bid)).Unwrap();

    /// <summary>The batch split by post (order kept within each), every post's call under way at once.</summary>
    static async Task<BatchAnswer<BidPlaced>[]> Submit(IClusterClient orleans, IReadOnlyList<NewBid> bids)
    {
        var answers = new BatchAnswer<BidPlaced>[bids.Count];
        var byPost = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < bids.Count; i++)
        {
            if (!byPost.TryGetValue(bids[i].JobPostId, out var indexes)) byPost[bids[i].JobPostId] = indexes = [];
            indexes.Add(i);
        }
        await Task.WhenAll(byPost.Select(async post =>
        {
            try
            {
                var results = await orleans.GetGrain<IJobPostGrain>(post.Key).SubmitBids([.. post.Value.Select(i => bids[i])]);
                for (var j = 0; j < post.Value.Count; j++) answers[post.Value[j]] = results[j];
            }
            catch (Exception e)
            {
                foreach (var i in post.Value) answers[i] = BatchAnswer<BidPlaced>.Failed(e);
            }
        }));
        return answers;
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
