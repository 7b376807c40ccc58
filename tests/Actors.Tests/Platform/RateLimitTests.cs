using Actors.Grains.Platform;
using Actors.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Tests.Platform;

[Collection(StackCollection.Name)]
public sealed class RateLimitTests(ActorsStack stack)
{
    [Fact]
    public async Task A_window_allows_the_limit_then_refuses_until_it_resets()
    {
        var limiter = stack.SiloServices.GetRequiredService<IGrainFactory>()
            .GetGrain<IRateLimitGrain>(RateLimitKey.For("test", Guid.NewGuid().ToString("N")));

        var decisions = new List<RateDecision>();
        for (var i = 0; i < 4; i++) decisions.Add(await limiter.TryAcquire(3, TimeSpan.FromMinutes(1)));

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal([2, 1, 0, 0], decisions.Select(d => d.Remaining));
        Assert.InRange(decisions[3].RetryAfterSeconds, 1, 60);

        stack.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await limiter.TryAcquire(3, TimeSpan.FromMinutes(1))).Allowed);
    }

    [Fact]
    public async Task Leases_of_a_window_never_add_up_to_more_than_the_limit()
    {
        var limiter = stack.SiloServices.GetRequiredService<IGrainFactory>()
            .GetGrain<IRateLimitGrain>(RateLimitKey.For("test", Guid.NewGuid().ToString("N")));

        var leases = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => limiter.Lease(100, TimeSpan.FromMinutes(1), 100)));

        Assert.Equal(100, leases.Sum(l => l.Granted));
        Assert.All(leases, l => Assert.InRange(l.Granted, 0, 25));
        Assert.Equal(0, (await limiter.Lease(100, TimeSpan.FromMinutes(1), 100)).Granted);
        Assert.False((await limiter.TryAcquire(100, TimeSpan.FromMinutes(1))).Allowed);
        stack.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(25, (await limiter.Lease(100, TimeSpan.FromMinutes(1), 100)).Granted);
    }
}
