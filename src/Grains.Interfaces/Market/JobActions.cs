namespace Actors.Grains.Market;

public static class JobActions
{
    public const string Accept = "accept";
    public const string Start = "start";
    public const string Deliver = "deliver";
    public const string Complete = "complete";
    public const string Cancel = "cancel";
    public const string Dispute = "dispute";

    public static readonly IReadOnlyList<string> All = [Accept, Start, Deliver, Complete, Cancel, Dispute];
}
