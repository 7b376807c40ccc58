using Actors.Grains.Platform;

namespace Actors.Grains.Access;

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
