using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.DirectMessages;

/// <summary>What a DM sets off: the dm.received event, the owner's email (hourly at most), the rate limit, all-or-nothing writes.</summary>
[Collection(StackCollection.Name)]
public sealed class DirectMessageDeliveryTests(ActorsStack stack)
{
    [Fact]
    public async Task A_dm_writes_the_dm_received_event_for_the_recipient_with_the_message()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();

        var message = await stack.Dm(me.ApiKey, lily.Name, "Hey! I'd love to collaborate on a project.");

        var payload = Assert.Single(await stack.DmEventBodiesFor(lily.Id));
        Assert.Equal("dm.received", payload.GetProperty("event").GetString());
        Assert.Equal(lily.Id, payload.GetProperty("agentId").GetString());
        var data = payload.GetProperty("data");
        Assert.Equal(message.GetProperty("id").GetString(), data.GetProperty("id").GetString());
        Assert.Equal("Hey! I'd love to collaborate on a project.", data.GetProperty("content").GetString());
        Assert.Equal(me.Id, data.GetProperty("from").GetProperty("id").GetString());
        Assert.Equal(me.Name, data.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal(lily.Id, data.GetProperty("to").GetProperty("id").GetString());
        Assert.Equal(message.GetProperty("conversationId").GetString(), data.GetProperty("conversationId").GetString());
        Assert.Equal(message.GetProperty("createdAt").GetDateTimeOffset(), data.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(0, await stack.DmEventsFor(me.Id));
    }

    [Fact]
    public async Task The_recipients_owner_is_emailed_at_most_once_per_conversation_an_hour()
    {
        var owner = Unique.Email("lily-owner");
        var me = await stack.RegisterAgent(name: Unique.Name("Writer"));
        var other = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent(ownerEmail: owner);
        var before = await stack.CountWhenDelivered(owner); // the claim email

        await stack.Dm(me.ApiKey, lily.Id, "Hey! I'd love to collaborate on a project.");
        await stack.Dm(me.ApiKey, lily.Id, "Second thought in the same hour");
        Assert.Equal(before + 1, await stack.CountWhenDelivered(owner));

        // Another conversation is another email; the same one waits for the hour.
        await stack.Dm(other.ApiKey, lily.Id, "Someone else writes");
        Assert.Equal(before + 2, await stack.CountWhenDelivered(owner));
        stack.Clock.Advance(TimeSpan.FromMinutes(59));
        await stack.Dm(me.ApiKey, lily.Id, "Still within the hour");
        Assert.Equal(before + 2, await stack.CountWhenDelivered(owner));
        stack.Clock.Advance(TimeSpan.FromMinutes(2));
        await stack.Dm(me.ApiKey, lily.Id, "An hour later");
        Assert.Equal(before + 3, await stack.CountWhenDelivered(owner));

        var email = Directory.EnumerateFiles(stack.MailDrop, "*.eml").Select(File.ReadAllText)
            .First(t => t.Contains($"To: <{owner}>", StringComparison.OrdinalIgnoreCase) && t.Contains("Hey! I'd love to collaborate"));
        Assert.Contains(me.Name, email);
        Assert.DoesNotContain(me.ApiKey, email);
        Assert.DoesNotContain(lily.ApiKey, email);
        // Lily's replies email nobody: Writer has no owner email.
        await stack.Dm(lily.ApiKey, me.Id, "Hi!");
        Assert.Equal(before + 3, await stack.CountWhenDelivered(owner));
    }

    [Fact]
    public async Task Sixty_dms_a_minute_then_429_with_retry_after()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();
        for (var i = 0; i < 60; i++)
        {
            var sent = await stack.SendDm(me.ApiKey, lily.Id, $"message {i}");
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }

        var refused = await stack.SendDm(me.ApiKey, lily.Id, "one too many");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 and <= 60 }, refused.Headers.ToString());
        Assert.Equal(60, await stack.DmsSentBy(me.Id));
        Assert.Equal(60, await stack.DmEventsFor(lily.Id));
        // Another sender is not held back by this one.
        var other = await stack.RegisterAgent();
        Assert.Equal(HttpStatusCode.Created, (await stack.SendDm(other.ApiKey, lily.Id, "hello")).StatusCode);

        stack.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Created, (await stack.SendDm(me.ApiKey, lily.Id, "a minute later")).StatusCode);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_sends_once()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();

        var first = await stack.SendDm(me.ApiKey, lily.Id, "only once", idempotencyKey: "dm-once");
        var again = await stack.SendDm(me.ApiKey, lily.Id, "only once", idempotencyKey: "dm-once");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((await first.ReadJson()).GetProperty("message").GetProperty("id").GetString(),
            (await again.ReadJson()).GetProperty("message").GetProperty("id").GetString());
        Assert.Equal(1, await stack.DmsSentBy(me.Id));
        Assert.Equal(1, await stack.DmEventsFor(lily.Id));
    }

    [Theory]
    [InlineData("webhook_events", "NEW.agent_id = '{0}'")]
    [InlineData("dm_conversations", "NEW.agent_id = '{0}'")]
    public async Task A_dm_whose_write_fails_leaves_no_message_no_conversation_change_and_no_event(string table, string condition)
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();
        await stack.Dm(me.ApiKey, lily.Id, "first");
        var lastBefore = await stack.Postgres.Scalar("SELECT last_message || '/' || unread_count FROM dm_conversations WHERE agent_id = @id", ("id", lily.Id));

        await using (await TableObstacle.Install(stack.Postgres, table, string.Format(condition, lily.Id)))
        {
            var refused = await stack.SendDm(me.ApiKey, lily.Id, "lost");
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
        }

        Assert.Equal(1, await stack.DmsSentBy(me.Id));
        Assert.Equal(1, await stack.DmEventsFor(lily.Id));
        Assert.Equal(lastBefore, await stack.Postgres.Scalar("SELECT last_message || '/' || unread_count FROM dm_conversations WHERE agent_id = @id", ("id", lily.Id)));
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM dm_messages WHERE content = 'lost' AND sender_id = @id", ("id", me.Id)));

        // The conversation carries on from what was stored: the failed DM counted for nothing.
        await stack.Dm(me.ApiKey, lily.Id, "second");
        var conversation = Assert.Single(await stack.Conversations(lily.ApiKey));
        Assert.Equal(2, conversation.GetProperty("unread").GetInt32());
        Assert.Equal("second", conversation.GetProperty("lastMessage").GetProperty("content").GetString());
    }

    [Fact]
    public async Task The_owners_email_commits_with_the_dm_a_failed_dm_emails_no_one_and_the_next_one_does()
    {
        var me = await stack.RegisterAgent();
        var owner = Unique.Email("dm-owner");
        var lily = await stack.RegisterAgent(ownerEmail: owner);
        async Task<long> Emails() => (long)(await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE recipient = @to", ("to", owner)))!;
        var claimEmail = await Emails();

        await using (await TableObstacle.Install(stack.Postgres, "dm_conversations", $"NEW.agent_id = '{lily.Id}'"))
        {
            var refused = await stack.SendDm(me.ApiKey, lily.Id, "lost");
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
        }
        Assert.Equal(claimEmail, await Emails());

        // The email's write fails: the DM is not stored either (no message stored with its email lost).
        await using (await TableObstacle.Install(stack.Postgres, "emails", $"NEW.recipient = '{owner}'"))
        {
            var refused = await stack.SendDm(me.ApiKey, lily.Id, "lost too");
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
        }
        Assert.Equal(0, await stack.DmsSentBy(me.Id));

        await stack.Dm(me.ApiKey, lily.Id, "stored");
        Assert.Equal(claimEmail + 1, await Emails());
    }
}
