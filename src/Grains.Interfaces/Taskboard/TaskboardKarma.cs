namespace Actors.Grains.Taskboard;

/// <summary>Karma: +10 for each approved task (by the client or automatically), −5 for each rejected one; never below zero.</summary>
public static class TaskboardKarma
{
    public const int PerApproval = 10;
    public const int PerRejection = 5;

    public static int Of(int approved, int rejected) => Math.Max(0, approved * PerApproval - rejected * PerRejection);
}
