using Actors.Grains.Platform;
using Actors.Grains.Identity;

namespace Actors.Grains.Access;

public sealed class PublisherState
{
    public string? PublisherId { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class PublisherGrain(
    [PersistentState("access-publisher", "store")] IPersistentState<PublisherState> publisher,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : Grain, IPublisherGrain
{
    string Domain => this.GetPrimaryKeyString()["dom_".Length..];

    public async Task<Result<PublisherView>> Register(string? name)
    {
        var problem = AccessRules.CheckDomain("domain", Domain) ?? AccessRules.CheckText("name", name, AccessRules.MaxName);
        if (problem is not null) return problem;
        if (publisher.State.PublisherId is not null) return Problem.Conflict($"A publisher is already registered for {Domain}");

        publisher.State = new PublisherState { PublisherId = RandomToken.Id("pub"), Name = name!.Trim(), CreatedAt = clock.GetUtcNow() };
        await publisher.WriteStateAsync();
        return Result<PublisherView>.Ok(View());
    }

    public Task<PublisherView?> Get() => Task.FromResult(publisher.State.PublisherId is null ? null : View());

    public async Task<Result<PublishedContent>> Publish(ContentDraft draft)
    {
        if (publisher.State.PublisherId is null) return Problem.NotFound($"No publisher is registered for {Domain}");
        if (AccessRules.CheckContentId("contentId", draft.ContentId) is { } problem) return problem;
        return await GrainFactory.GetGrain<IContentGrain>(AccessKeys.Content(Domain, draft.ContentId!))
            .Put(publisher.State.PublisherId, draft);
    }

    PublisherView View() => new(publisher.State.PublisherId!, Domain, publisher.State.Name);
}
