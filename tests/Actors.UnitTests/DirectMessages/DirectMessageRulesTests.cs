using Actors.Grains.DirectMessages;
using Actors.Grains.Platform;

namespace Actors.UnitTests.DirectMessages;

/// <summary>Who a DM's <c>to</c> names, what a message may hold, when the owner hears of it.</summary>
public sealed class DirectMessageRulesTests
{
    static readonly DmParticipant Me = new("agt_me", "Lily");
    static readonly DmParticipant LilyA = new("agt_a", "Lily");
    static readonly DmParticipant LilyB = new("agt_b", "lily");
    static readonly DmParticipant Sam = new("agt_s", "Sam");

    [Fact]
    public void The_conversation_id_is_the_same_from_both_sides()
    {
        Assert.Equal("dm_agt_a_agt_b", DirectMessageRules.ConversationId("agt_a", "agt_b"));
        Assert.Equal("dm_agt_a_agt_b", DirectMessageRules.ConversationId("agt_b", "agt_a"));
        Assert.Equal(DirectMessageRules.ConversationId("agt_Z", "agt_a"), DirectMessageRules.ConversationId("agt_a", "agt_Z"));
    }

    [Fact]
    public void An_id_wins_over_names()
    {
        var picked = DirectMessageRules.Pick("to", Me.Id, "agt_s", [Me, Sam]);
        Assert.Equal(Sam, picked.Value);
    }

    [Fact]
    public void A_name_written_exactly_wins_over_the_same_name_in_another_case()
    {
        Assert.Equal(LilyB, DirectMessageRules.Pick("to", "agt_x", "lily", [LilyA, LilyB]).Value);
        Assert.Equal(Sam, DirectMessageRules.Pick("to", "agt_x", "SAM", [Sam]).Value);
    }

    [Fact]
    public void Two_agents_with_the_name_are_a_conflict_asking_for_the_id()
    {
        var picked = DirectMessageRules.Pick("to", "agt_x", "LILY", [LilyA, LilyB]);
        Assert.Equal(ProblemKind.Conflict, picked.Problem!.Kind);
        Assert.Contains("id", picked.Problem.Message);
    }

    [Fact]
    public void The_sender_is_never_its_own_recipient()
    {
        Assert.Equal(ProblemKind.Invalid, DirectMessageRules.Pick("to", Me.Id, Me.Id, [Me]).Problem!.Kind);
        Assert.Equal("to", DirectMessageRules.Pick("to", Me.Id, "Lily", [Me]).Problem!.Field);
        // Sharing a name with the sender leaves the other agent as the one meant.
        Assert.Equal(LilyA, DirectMessageRules.Pick("to", Me.Id, "Lily", [Me, LilyA]).Value);
    }

    [Fact]
    public void Nobody_matching_is_not_found()
    {
        Assert.Equal(ProblemKind.NotFound, DirectMessageRules.Pick("to", Me.Id, "Nobody", [Me]).Problem!.Kind);
    }

    [Theory]
    [InlineData(null, "message")]
    [InlineData("", "message")]
    [InlineData("  \n ", "message")]
    public void An_empty_message_is_refused(string? message, string field) =>
        Assert.Equal(field, DirectMessageRules.CheckMessage(message)!.Field);

    [Fact]
    public void A_message_is_at_most_4000_characters()
    {
        Assert.Null(DirectMessageRules.CheckMessage(new string('x', 4_000)));
        Assert.Equal("message", DirectMessageRules.CheckMessage(new string('x', 4_001))!.Field);
    }

    [Fact]
    public void The_owner_is_emailed_once_an_hour_at_most()
    {
        var now = new DateTimeOffset(2026, 2, 3, 12, 0, 0, TimeSpan.Zero);
        Assert.True(DirectMessageRules.EmailDue(null, now));
        Assert.False(DirectMessageRules.EmailDue(now.AddMinutes(-59), now));
        Assert.True(DirectMessageRules.EmailDue(now.AddHours(-1), now));
    }

    [Fact]
    public void The_email_says_who_wrote_and_how_the_message_starts()
    {
        var text = DirectMessageRules.EmailText(Sam, LilyA, "Hello " + new string('y', 500));
        Assert.Contains("Sam", text);
        Assert.Contains("Hello yyy", text);
        Assert.DoesNotContain(new string('y', 201), text);
    }
}
