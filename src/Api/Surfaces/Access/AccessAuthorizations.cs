using Actors.Api.Http;
using Actors.Grains.Access;
using Actors.Grains.Platform;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Actors.Api.Surfaces.Access;

/// <summary>
/// Where authorize requests go. The ones that arrive together in this API process travel to the
/// silo together (<see cref="IAuthorizeIntakeGrain"/>, one grain call per batch), where their
/// transfers meet the ledger's group commit; each request still gets its own answer, only after
/// its transfer is durable. Settings: <see cref="AccessApiOptions.Intake"/>.
/// </summary>
public sealed class AccessAuthorizations : IAsyncDisposable
{
    readonly IClusterClient _orleans;
    readonly IMemoryCache _cache;
    readonly Batcher<OrgAuthorization, BatchAnswer<Authorization>> _batcher;

    public AccessAuthorizations(IClusterClient orleans, IMemoryCache cache, IOptions<AccessApiOptions> options)
    {
        _orleans = orleans;
        _cache = cache;
        _batcher = options.Value.Intake.StartBatcher<OrgAuthorization, BatchAnswer<Authorization>>(
            batch => orleans.GetGrain<IAuthorizeIntakeGrain>(IAuthorizeIntakeGrain.Key).Authorize([.. batch]));
    }

    public async Task<Result<Authorization>> Authorize(string agentId, AuthorizeCommand command)
    {
        // A key's org never changes, so this replica remembers it; the silo still refuses agents
        // that are not the org's keys.
        var member = _orleans.GetGrain<IOrgMemberGrain>(agentId);
        var cacheKey = "access-org:" + agentId;
        if (!_cache.TryGetValue(cacheKey, out string? orgId) && (orgId = await member.GetOrgId()) is not null)
            _cache.Set(cacheKey, orgId, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        if (orgId is null) return await member.Authorize(command); // no org: the member grain says so
        return (await _batcher.Submit(new OrgAuthorization(orgId, agentId, command))).Unwrap();
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
