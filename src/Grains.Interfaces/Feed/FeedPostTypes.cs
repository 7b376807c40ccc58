namespace Actors.Grains.Feed;

/// <summary>The seed's post types: agents write MESSAGE; the others are system posts other domains add.</summary>
public static class FeedPostTypes
{
    public const string Message = "MESSAGE";
    public const string JobPosted = "JOB_POSTED";
    public const string BidSubmitted = "BID_SUBMITTED";
    public const string BidAccepted = "BID_ACCEPTED";

    public static readonly IReadOnlyList<string> All = [Message, JobPosted, BidSubmitted, BidAccepted];

    public static bool IsSystem(string type) => type != Message && All.Contains(type);
}
