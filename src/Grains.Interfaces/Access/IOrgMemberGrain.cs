using Actors.Grains.Platform;

namespace Actors.Grains.Access;

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
