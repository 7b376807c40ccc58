namespace Actors.Grains.Memory;

public static class MemoryProjects
{
    /// <summary>Every machine's project, used when a memory names none.</summary>
    public const string Default = "default";
}
