using System.Net;
using System.Text.Json;
using Actors.Grains.Notifications;
using Actors.Tests.Infrastructure;
using static Actors.Tests.Market.HiringTests;

namespace Actors.Tests.Notifications;

/// <summary>The seed's Notifications: the inbox lists newest first, filters unread, pages, marks read, stays bounded.</summary>
[Collection(StackCollection.Name)]
public sealed class InboxTests(ActorsStack stack)
{
    [Fact]
    public async Task The_inbox_lists_newest_first_in_the_seed_shape()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("inbox"));
        await stack.Notify(new Notification(agent.Id, "bid_received", "First", "The first one"));
        await stack.Notify(new Notification(agent.Id, "outbid", "You've been outbid on \"Research Task\"", "A new bid of $5.00 has undercut your $15.00 bid...",
            "/jobs/jp_1", new { jobPostId = "jp_1", yourPriceCents = 1500, newLowPriceCents = 500 }));

        var inbox = await stack.Inbox(agent.ApiKey);

        Assert.Equal(2, inbox.GetProperty("total").GetInt64());
        Assert.Equal(2, inbox.GetProperty("unreadCount").GetInt64());
        var list = inbox.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(["outbid", "bid_received"], list.Select(n => n.GetProperty("type").GetString()));
        var newest = list[0];
        Assert.StartsWith("ntf_", newest.GetProperty("id").GetString());
        Assert.Equal("You've been outbid on \"Research Task\"", newest.GetProperty("title").GetString());
        Assert.Equal("A new bid of $5.00 has undercut your $15.00 bid...", newest.GetProperty("body").GetString());
        Assert.Equal("/jobs/jp_1", newest.GetProperty("link").GetString());
        Assert.Equal(1500, newest.GetProperty("data").GetProperty("yourPriceCents").GetInt32());
        Assert.False(newest.GetProperty("read").GetBoolean());
        Assert.True(newest.GetProperty("createdAt").GetDateTimeOffset() >= list[1].GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("link").ValueKind);
        Assert.Equal(JsonValueKind.Object, list[1].GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task Unread_filters_and_pages_do_not_overlap()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("inbox"));
        for (var i = 0; i < 5; i++) await stack.Notify(new Notification(agent.Id, "system", $"n{i}", "body"));
        var all = (await stack.Inbox(agent.ApiKey)).GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
        Assert.Equal(5, all.Count);

        Assert.Equal(2, await stack.Mark(agent.ApiKey, new { ids = new[] { all[0], all[3] } }));

        var unread = await stack.Inbox(agent.ApiKey, "?unread=true");
        Assert.Equal([all[1], all[2], all[4]], unread.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
        Assert.Equal(3, unread.GetProperty("total").GetInt64());
        Assert.Equal(3, unread.GetProperty("unreadCount").GetInt64());
        var everything = await stack.Inbox(agent.ApiKey, "?unread=false");
        Assert.Equal(5, everything.GetProperty("total").GetInt64());
        Assert.Equal(3, everything.GetProperty("unreadCount").GetInt64());
        Assert.True(everything.GetProperty("notifications")[0].GetProperty("read").GetBoolean());

        var pages = new List<string>();
        foreach (var offset in new[] { 0, 2, 4 })
        {
            var page = await stack.Inbox(agent.ApiKey, $"?limit=2&offset={offset}");
            Assert.Equal(5, page.GetProperty("total").GetInt64());
            pages.AddRange(page.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
        }
        Assert.Equal(all, pages);
        Assert.Empty((await stack.Inbox(agent.ApiKey, "?offset=5")).GetProperty("notifications").EnumerateArray());
    }

    [Fact]
    public async Task Marking_touches_only_the_callers_own_and_counts_what_it_marked()
    {
        var owner = await stack.RegisterAgent(name: Unique.Name("inbox"));
        var stranger = await stack.RegisterAgent(name: Unique.Name("inbox"));
        await stack.Notify(new Notification(owner.Id, "system", "mine", "body"), new Notification(owner.Id, "system", "mine too", "body"));
        await stack.Notify(new Notification(stranger.Id, "system", "theirs", "body"));
        var mine = (await stack.Inbox(owner.ApiKey)).GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
        var theirs = (await stack.Inbox(stranger.ApiKey)).GetProperty("notifications")[0].GetProperty("id").GetString()!;

        Assert.Equal(1, await stack.Mark(owner.ApiKey, new { ids = new[] { mine[0], theirs, "ntf_nosuchnotification" } }));
        Assert.Equal(0, await stack.Mark(owner.ApiKey, new { ids = new[] { mine[0] } }));
        Assert.Equal(0, await stack.Mark(stranger.ApiKey, new { ids = new[] { mine[1] } }));

        Assert.Equal(0, await stack.ReadNotificationsOf(stranger.Id));
        Assert.Equal(1, (await stack.Inbox(stranger.ApiKey)).GetProperty("unreadCount").GetInt64());
        Assert.Equal(1, (await stack.Inbox(owner.ApiKey)).GetProperty("unreadCount").GetInt64());
        Assert.DoesNotContain(theirs, (await stack.Inbox(owner.ApiKey)).GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Mark_all_marks_every_unread_one()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("inbox"));
        await stack.Notify(new Notification(agent.Id, "system", "a", "b"), new Notification(agent.Id, "system", "c", "d"), new Notification(agent.Id, "system", "e", "f"));

        Assert.Equal(3, await stack.Mark(agent.ApiKey, new { all = true }));
        Assert.Equal(0, await stack.Mark(agent.ApiKey, new { all = true }));

        var inbox = await stack.Inbox(agent.ApiKey);
        Assert.Equal(0, inbox.GetProperty("unreadCount").GetInt64());
        Assert.Equal(3, inbox.GetProperty("total").GetInt64());
        Assert.All(inbox.GetProperty("notifications").EnumerateArray(), n => Assert.True(n.GetProperty("read").GetBoolean()));
        Assert.Empty((await stack.Inbox(agent.ApiKey, "?unread=true")).GetProperty("notifications").EnumerateArray());
    }

    [Fact]
    public async Task Bad_parameters_are_400_naming_them_and_mark_nothing()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("inbox"));
        await stack.Notify(new Notification(agent.Id, "system", "a", "b"));

        foreach (var (query, field) in new[]
        {
            ("?limit=0", "limit"), ("?limit=101", "limit"), ("?limit=abc", "limit"), ("?offset=-1", "offset"),
            ("?offset=99999999999", "offset"), ("?unread=maybe", "unread"),
        })
            await AssertRefused(await stack.GetNotifications(agent.ApiKey, query), HttpStatusCode.BadRequest, field);

        foreach (var (body, field) in new (object, string?)[]
        {
            (new { }, "ids"), (new { ids = Array.Empty<string>() }, "ids"), (new { all = false }, "all"),
            (new { ids = new string?[] { null } }, "ids"), (new { ids = new[] { "" } }, "ids"), (new { ids = new[] { new string('x', 101) } }, "ids"),
            (new { ids = Enumerable.Range(0, 1_001).Select(i => $"ntf_{i}").ToArray() }, "ids"), (new { ids = "ntf_1" }, "ids"), (new { all = "yes" }, "all"),
        })
            await AssertRefused(await stack.MarkNotifications(agent.ApiKey, body), HttpStatusCode.BadRequest, field);

        Assert.Equal(0, await stack.ReadNotificationsOf(agent.Id));
        Assert.Single((await stack.Inbox(agent.ApiKey, "?limit=100")).GetProperty("notifications").EnumerateArray());
    }

    [Fact]
    public async Task Without_a_key_the_inbox_is_401_and_marks_nothing()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("inbox"));
        await stack.Notify(new Notification(agent.Id, "system", "a", "b"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.GetAsync("/market/api/agents/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.PostAsync("/market/api/agents/notifications",
            new StringContent("{\"all\":true}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(0, await stack.ReadNotificationsOf(agent.Id));
    }

    [Fact]
    public async Task The_default_page_is_50_newest()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("inbox"));
        await stack.Notify([.. Enumerable.Range(0, 60).Select(i => new Notification(agent.Id, "system", $"n{i}", "b"))]);

        var inbox = await stack.Inbox(agent.ApiKey);

        Assert.Equal(50, inbox.GetProperty("notifications").GetArrayLength());
        Assert.Equal(60, inbox.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task An_inbox_keeps_its_newest_thousand_and_prunes_only_read_ones_beyond_them()
    {
        var agent = await stack.RegisterAgent(name: Unique.Name("inbox"));
        await stack.Notify([.. Enumerable.Range(0, NotificationStore.Kept + 2).Select(i => new Notification(agent.Id, "system", $"old{i}", "b"))]);
        await stack.Notify(new Notification(agent.Id, "system", "newest", "b"), new Notification(agent.Id, "system", "newest too", "b"));
        var newest = (await stack.Inbox(agent.ApiKey, "?limit=2")).GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToArray();

        // Unread ones are never pruned, however many.
        Assert.Equal(2, await stack.Mark(agent.ApiKey, new { ids = newest }));
        Assert.Equal(NotificationStore.Kept + 4, await stack.NotificationsOf(agent.Id));

        // Once read, those beyond the newest thousand go: the oldest four.
        Assert.Equal(NotificationStore.Kept + 2, await stack.Mark(agent.ApiKey, new { all = true }));
        Assert.Equal(NotificationStore.Kept, await stack.NotificationsOf(agent.Id));
        var inbox = await stack.Inbox(agent.ApiKey, "?limit=2");
        Assert.Equal(NotificationStore.Kept, inbox.GetProperty("total").GetInt64());
        Assert.Equal(newest, inbox.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
        Assert.Equal(2, (long)(await stack.Postgres.Scalar(
            "SELECT count(*) FROM notifications WHERE agent_id = @id AND title LIKE 'newest%'", ("id", agent.Id)))!);
    }
}
