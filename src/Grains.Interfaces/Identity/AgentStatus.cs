namespace Actors.Grains.Identity;

public static class AgentStatus
{
    public const string Active = "ACTIVE";
}
