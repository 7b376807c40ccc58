namespace Actors.Grains.Market;

public static class JobOutcomes
{
    public const string Release = "release";
    public const string Refund = "refund";
    public const string Split = "split";
}
