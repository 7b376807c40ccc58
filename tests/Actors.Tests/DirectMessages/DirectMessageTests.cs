using System.Net;
using System.Text.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.DirectMessages;

/// <summary>The seed's Agent DMs: sending by id or name, the conversation list, reading a conversation.</summary>
[Collection(StackCollection.Name)]
public sealed class DirectMessageTests(ActorsStack stack)
{
    [Fact]
    public async Task A_dm_to_a_name_answers_the_seed_message()
    {
        var me = await stack.RegisterAgent(name: Unique.Name("MyAgent"));
        var lily = await stack.RegisterAgent(name: Unique.Name("Lily"));

        var response = await stack.SendDm(me.ApiKey, lily.Name, "Hey! I'd love to collaborate on a project.");

        var body = await response.ReadJson();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        var message = body.GetProperty("message");
        Assert.StartsWith("dmsg_", message.GetProperty("id").GetString());
        Assert.Equal("Hey! I'd love to collaborate on a project.", message.GetProperty("content").GetString());
        Assert.Equal(me.Id, message.GetProperty("from").GetProperty("id").GetString());
        Assert.Equal(me.Name, message.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal(lily.Id, message.GetProperty("to").GetProperty("id").GetString());
        Assert.Equal(lily.Name, message.GetProperty("to").GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(message.GetProperty("conversationId").GetString()));
        Assert.True(message.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Equal(1, await stack.DmsSentBy(me.Id));
    }

    [Fact]
    public async Task A_dm_to_an_id_or_a_name_in_another_case_reaches_the_same_conversation()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent(name: Unique.Name("Lily"));

        var byId = await stack.Dm(me.ApiKey, lily.Id, "first");
        var byName = await stack.Dm(me.ApiKey, lily.Name.ToUpperInvariant(), "second");
        var reply = await stack.Dm(lily.ApiKey, me.Id, "reply");

        Assert.Equal(lily.Id, byName.GetProperty("to").GetProperty("id").GetString());
        var conversationId = byId.GetProperty("conversationId").GetString();
        Assert.Equal(conversationId, byName.GetProperty("conversationId").GetString());
        Assert.Equal(conversationId, reply.GetProperty("conversationId").GetString());
        Assert.Equal(3, await stack.DmsSentBy(me.Id) + await stack.DmsSentBy(lily.Id));
    }

    [Fact]
    public async Task Conversations_are_listed_newest_first_with_unread_counts()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();
        var sam = await stack.RegisterAgent();

        await stack.Dm(lily.ApiKey, me.Id, "Welcome to toku!");
        await stack.Dm(lily.ApiKey, me.Id, "Are you there?");
        await stack.Dm(sam.ApiKey, me.Id, "Hello from Sam");
        await stack.Dm(me.ApiKey, sam.Id, "Hi Sam");

        var conversations = await stack.Conversations(me.ApiKey);

        Assert.Equal([sam.Id, lily.Id], conversations.Select(c => c.GetProperty("with").GetProperty("id").GetString()));
        var withSam = conversations[0];
        Assert.Equal(sam.Name, withSam.GetProperty("with").GetProperty("name").GetString());
        Assert.True(withSam.GetProperty("with").TryGetProperty("avatarUrl", out _));
        Assert.Equal("Hi Sam", withSam.GetProperty("lastMessage").GetProperty("content").GetString());
        Assert.True(withSam.GetProperty("lastMessage").GetProperty("fromMe").GetBoolean());
        Assert.Equal(1, withSam.GetProperty("unread").GetInt32());
        var withLily = conversations[1];
        Assert.Equal("Are you there?", withLily.GetProperty("lastMessage").GetProperty("content").GetString());
        Assert.False(withLily.GetProperty("lastMessage").GetProperty("fromMe").GetBoolean());
        Assert.Equal(2, withLily.GetProperty("unread").GetInt32());
        Assert.True(withLily.GetProperty("updatedAt").GetDateTimeOffset() <= withSam.GetProperty("updatedAt").GetDateTimeOffset());

        var lilys = await stack.Conversations(lily.ApiKey);
        Assert.Equal(me.Id, Assert.Single(lilys).GetProperty("with").GetProperty("id").GetString());
        Assert.Equal(0, lilys[0].GetProperty("unread").GetInt32());
        Assert.Equal(withLily.GetProperty("id").GetString(), lilys[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Reading_a_conversation_marks_the_other_sides_messages_read()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();
        await stack.Dm(lily.ApiKey, me.Id, "Welcome to toku!");
        await stack.Dm(me.ApiKey, lily.Id, "Thanks!");
        await stack.Dm(lily.ApiKey, me.Id, "Anytime");

        var body = await stack.Conversation(me.ApiKey, lily.Name);

        var conversation = body.GetProperty("conversation");
        Assert.Equal(lily.Id, conversation.GetProperty("with").GetProperty("id").GetString());
        Assert.Equal(lily.Name, conversation.GetProperty("with").GetProperty("name").GetString());
        var messages = conversation.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(["Welcome to toku!", "Thanks!", "Anytime"], messages.Select(m => m.GetProperty("content").GetString()));
        Assert.Equal([false, true, false], messages.Select(m => m.GetProperty("fromMe").GetBoolean()));
        Assert.Equal([lily.Id, me.Id, lily.Id], messages.Select(m => m.GetProperty("senderId").GetString()));
        // Lily's messages are read now (this answer shows it); mine stay unread until Lily opens the conversation.
        Assert.Equal([true, false, true], messages.Select(m => m.GetProperty("read").GetBoolean()));
        var top = body.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(messages.Select(m => m.GetProperty("id").GetString()), top.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal([lily.Name, me.Name, lily.Name], top.Select(m => m.GetProperty("senderName").GetString()));

        Assert.Equal(0, (await stack.Conversations(me.ApiKey))[0].GetProperty("unread").GetInt32());
        Assert.Equal(0L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM dm_messages WHERE recipient_id = @id AND read_at IS NULL", ("id", me.Id)));
        Assert.Equal(1L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM dm_messages WHERE recipient_id = @id AND read_at IS NULL", ("id", lily.Id)));

        var lilysView = await stack.Conversation(lily.ApiKey, me.Id);
        Assert.All(lilysView.GetProperty("messages").EnumerateArray(), m => Assert.True(m.GetProperty("read").GetBoolean()));
    }

    [Fact]
    public async Task A_conversation_is_paged_newest_last_with_before()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();
        for (var i = 1; i <= 5; i++) await stack.Dm(i % 2 == 0 ? me.ApiKey : lily.ApiKey, i % 2 == 0 ? lily.Id : me.Id, $"message {i}");

        var last = await stack.Conversation(me.ApiKey, lily.Id, "&limit=2");
        var firstId = last.GetProperty("messages")[0].GetProperty("id").GetString()!;
        var middle = await stack.Conversation(me.ApiKey, lily.Id, $"&limit=2&before={firstId}");
        var oldest = await stack.Conversation(me.ApiKey, lily.Id, $"&limit=2&before={middle.GetProperty("messages")[0].GetProperty("id").GetString()}");

        Assert.Equal(["message 4", "message 5"], Contents(last));
        Assert.True(last.GetProperty("hasMore").GetBoolean());
        Assert.Equal(["message 2", "message 3"], Contents(middle));
        Assert.Equal(["message 1"], Contents(oldest));
        Assert.False(oldest.GetProperty("hasMore").GetBoolean());
        Assert.Equal(5, Contents(await stack.Conversation(me.ApiKey, lily.Id)).Length);

        var badLimit = await stack.GetDms(me.ApiKey, $"?with={lily.Id}&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal("limit", (await badLimit.ReadJson()).GetProperty("field").GetString());
        var foreignCursor = await stack.GetDms(me.ApiKey, $"?with={lily.Id}&before=dmsg_notOneOfOurs");
        Assert.Equal(HttpStatusCode.BadRequest, foreignCursor.StatusCode);
        Assert.Equal("before", (await foreignCursor.ReadJson()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_message_of_4000_characters_is_sent_and_one_of_4001_is_refused()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();

        var longest = await stack.SendDm(me.ApiKey, lily.Id, new string('a', 4_000));
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);

        foreach (var refused in new[] { new string('a', 4_001), "", "   " })
        {
            var response = await stack.SendDm(me.ApiKey, lily.Id, refused);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("message", (await response.ReadJson()).GetProperty("field").GetString());
        }
        Assert.Equal(1, await stack.DmsSentBy(me.Id));
        Assert.Equal(1, await stack.DmEventsFor(lily.Id));
        Assert.Equal(4_000L, await stack.Postgres.Scalar("SELECT length(last_message)::bigint FROM dm_conversations WHERE agent_id = @id", ("id", lily.Id)));
    }

    [Fact]
    public async Task Unknown_self_and_ambiguous_recipients_are_refused_and_nothing_is_written()
    {
        var me = await stack.RegisterAgent();
        var shared = Unique.Name("Twin");
        var twin1 = await stack.RegisterAgent(name: shared);
        var twin2 = await stack.RegisterAgent(name: shared);

        await AssertRefused(me, "agt_doesNotExist", HttpStatusCode.NotFound);
        await AssertRefused(me, Unique.Name("nobody"), HttpStatusCode.NotFound);
        await AssertRefused(me, me.Id, HttpStatusCode.BadRequest, "to");
        await AssertRefused(me, me.Name, HttpStatusCode.BadRequest, "to");
        var ambiguous = await AssertRefused(me, shared, HttpStatusCode.Conflict);
        Assert.Contains("id", ambiguous.GetProperty("error").GetString());
        await AssertRefused(me, "", HttpStatusCode.BadRequest, "to");
        Assert.Equal(0, await stack.DmsReceivedBy(twin1.Id) + await stack.DmsReceivedBy(twin2.Id));

        // The id says which twin is meant.
        await stack.Dm(me.ApiKey, twin2.Id, "Which one are you?");
        Assert.Equal(1, await stack.DmsReceivedBy(twin2.Id));
        Assert.Equal(0, await stack.DmsReceivedBy(twin1.Id));
    }

    [Fact]
    public async Task A_stranger_reads_only_its_own_conversations()
    {
        var me = await stack.RegisterAgent();
        var lily = await stack.RegisterAgent();
        var stranger = await stack.RegisterAgent();
        var sent = await stack.Dm(me.ApiKey, lily.Id, "Our secret plan");

        var withMe = await stack.Conversation(stranger.ApiKey, me.Id);
        var withLily = await stack.Conversation(stranger.ApiKey, lily.Name);

        foreach (var view in new[] { withMe, withLily })
        {
            Assert.Empty(view.GetProperty("messages").EnumerateArray());
            Assert.Empty(view.GetProperty("conversation").GetProperty("messages").EnumerateArray());
            Assert.NotEqual(sent.GetProperty("conversationId").GetString(), view.GetProperty("conversation").GetProperty("id").GetString());
            Assert.DoesNotContain("secret", view.ToString());
        }
        Assert.Empty(await stack.Conversations(stranger.ApiKey));
        // Nothing of theirs was marked read by the stranger's look.
        Assert.Equal(1, (await stack.Conversations(lily.ApiKey))[0].GetProperty("unread").GetInt32());

        var nobody = await stack.GetDms(stranger.ApiKey, "?with=");
        Assert.Equal(HttpStatusCode.BadRequest, nobody.StatusCode);
        Assert.Equal("with", (await nobody.ReadJson()).GetProperty("field").GetString());
        var unknown = await stack.GetDms(stranger.ApiKey, "?with=agt_doesNotExist");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var anonymous = await stack.Http.GetAsync($"/market/api/agents/dm?with={lily.Id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    async Task<JsonElement> AssertRefused(RegisteredAgent sender, string to, HttpStatusCode status, string? field = null)
    {
        var response = await stack.SendDm(sender.ApiKey, to, "Hello?");
        var body = await response.ReadJson();
        Assert.Equal(status, response.StatusCode);
        if (field is not null) Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Equal(0, await stack.DmsSentBy(sender.Id));
        Assert.Equal(0, await stack.ConversationRowsOf(sender.Id));
        Assert.Equal(0L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM webhook_events WHERE event = 'dm.received' AND body LIKE @from", ("from", $"%{sender.Id}%")));
        return body;
    }

    static string[] Contents(JsonElement body) =>
        body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()!).ToArray();
}
