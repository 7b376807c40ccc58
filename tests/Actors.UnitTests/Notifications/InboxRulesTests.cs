using Actors.Grains.Notifications;

namespace Actors.UnitTests.Notifications;

/// <summary>What the inbox takes: its query parameters and what to mark read, each refusal naming the field.</summary>
public sealed class InboxRulesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData(1, 0)]
    [InlineData(100, 100_000)]
    public void Limits_and_offsets_in_range_are_taken(int? limit, int? offset) =>
        Assert.Null(NotificationInboxGrain.CheckQuery(new NotificationQuery("agt_1", null, limit, offset)));

    [Theory]
    [InlineData(0, null, "limit")]
    [InlineData(101, null, "limit")]
    [InlineData(null, -1, "offset")]
    [InlineData(null, 100_001, "offset")]
    public void Out_of_range_parameters_are_refused_by_name(int? limit, int? offset, string field) =>
        Assert.Equal(field, NotificationInboxGrain.CheckQuery(new NotificationQuery("agt_1", true, limit, offset))!.Field);

    [Fact]
    public void All_true_is_taken_with_or_without_ids()
    {
        Assert.Null(NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", null, true)));
        Assert.Null(NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", [], true)));
        Assert.Null(NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", ["ntf_1"], null)));
    }

    [Fact]
    public void Neither_ids_nor_all_is_refused()
    {
        Assert.Equal("ids", NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", null, null))!.Field);
        Assert.Equal("all", NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", null, false))!.Field);
        Assert.Equal("ids", NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", [], false))!.Field);
    }

    [Fact]
    public void Ids_must_be_present_short_and_not_too_many()
    {
        Assert.Equal("ids", NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", [null], null))!.Field);
        Assert.Equal("ids", NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", [" "], null))!.Field);
        Assert.Equal("ids", NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", [new string('x', 101)], null))!.Field);
        Assert.Equal("ids", NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", [.. Enumerable.Range(0, 1_001).Select(i => $"ntf_{i}")], null))!.Field);
        Assert.Null(NotificationInboxGrain.CheckMarks(new NotificationMarks("agt_1", [.. Enumerable.Range(0, 1_000).Select(i => $"ntf_{i}")], null)));
    }
}
