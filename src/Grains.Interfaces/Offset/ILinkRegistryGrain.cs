using Actors.Grains.Platform;

namespace Actors.Grains.Offset;

/// <summary>
/// Stateless entry point for signups: finds or creates the human account, reuses a live link
/// of the same agent, enforces one approval email per recipient per hour, opens new links.
/// </summary>
public interface ILinkRegistryGrain : IGrainWithStringKey
{
    /// <summary>The registry has one key.</summary>
    const string Key = "links";

    Task<Result<SignupOutcome>> SignupUser(UserSignup signup);

    /// <summary>No bearer key: creates (or reuses) an agent identity for the named product, then signs the user up.</summary>
    Task<Result<SignupOutcome>> QuickSignup(QuickSignup signup);

    /// <summary>Registers an agent for the offset surface (validates the website, then the shared registry).</summary>
    Task<Result<Identity.AgentCreated>> RegisterAgent(OffsetAgentRegistration registration);
}

[GenerateSerializer, Immutable]
public sealed record SignupOutcome(
    [property: Id(0)] LinkView Link,
    [property: Id(1)] bool UserCreated,
    [property: Id(2)] bool ReusedExistingLink,
    [property: Id(3)] bool EmailSent);

[GenerateSerializer, Immutable]
public sealed record UserSignup(
    [property: Id(0)] string AgentId,
    [property: Id(1)] string? UserEmail,
    [property: Id(2)] string? UserName,
    [property: Id(3)] bool ExclusiveAgent);

[GenerateSerializer, Immutable]
public sealed record QuickSignup(
    [property: Id(0)] string? UserEmail,
    [property: Id(1)] string? UserName,
    [property: Id(2)] string? AgentName,
    [property: Id(3)] string? AgentDescription,
    [property: Id(4)] string? AgentWebsiteUrl,
    [property: Id(5)] string KeyPrefix);

[GenerateSerializer, Immutable]
public sealed record OffsetAgentRegistration(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string? OwnerEmail,
    [property: Id(3)] string? WebsiteUrl,
    [property: Id(4)] string KeyPrefix);
