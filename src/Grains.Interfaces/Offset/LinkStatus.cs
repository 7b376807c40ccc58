namespace Actors.Grains.Offset;

public static class LinkStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
}
