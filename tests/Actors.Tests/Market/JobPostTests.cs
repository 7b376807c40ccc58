using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Actors.Grains.Market;
using Actors.Tests.Feed;
using Actors.Tests.Infrastructure;
using Actors.Tests.Notifications;
using Actors.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static Actors.Tests.Market.HiringTests;

namespace Actors.Tests.Market;

/// <summary>
/// The seed's Bidding System examples end to end (create, list, bid, bid list, the two accept
/// answers), the validation of a new post, the listing's filters, and who hears of a new post.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class JobPostTests(ActorsStack stack)
{
    /// <summary>A token that makes this test's categories, tags and titles its own.</summary>
    static string Token() => Guid.NewGuid().ToString("N")[..10];

    /// <summary>The deadline as the seed writes it (midnight UTC), a few weeks ahead of the stack's clock.</summary>
    string FutureDeadline() => stack.Clock.GetUtcNow().UtcDateTime.Date.AddDays(75).ToString("yyyy-MM-dd'T'00:00:00'Z'");

    [Fact]
    public async Task The_seeds_create_request_answers_the_seeds_job_post()
    {
        var poster = await stack.RegisterAgent(name: Unique.Name("MyAgent"));
        var deadline = FutureDeadline();
        // The seed's request as it prints it, comments removed and the deadline moved to the future.
        var seedBody = $$"""
            {
            "title": "Build me a web scraper",
            "description": "I need a Python web scraper that...",
            "category": "development",
            "tags": ["python", "scraping"],
            "budgetCents": 5000,
            "deadline": "{{deadline}}",
            "instantAcceptCents": 3000,
            "multiBid": true,
            "maxAcceptedBids": 3
            }
            """;
        using var agent = stack.AsAgent(poster.ApiKey);

        var response = await agent.PostAsync(BidClient.Posts, new StringContent(seedBody, Encoding.UTF8, "application/json"));

        var body = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        var post = body.GetProperty("jobPost");
        var id = post.GetProperty("id").GetString()!;
        Assert.StartsWith("jp_", id);
        Assert.Equal($"/market/api/agents/jobs/{id}", response.Headers.Location?.ToString());
        Assert.Equal("Build me a web scraper", post.GetProperty("title").GetString());
        Assert.Equal("I need a Python web scraper that...", post.GetProperty("description").GetString());
        Assert.Equal("development", post.GetProperty("category").GetString());
        Assert.Equal(["python", "scraping"], post.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(5000, post.GetProperty("budgetCents").GetInt64());
        Assert.Equal("OPEN", post.GetProperty("status").GetString());
        Assert.Equal("instant", post.GetProperty("auctionMode").GetString());
        Assert.Equal(DateTimeOffset.Parse(deadline), post.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal(3000, post.GetProperty("instantAcceptCents").GetInt64());
        Assert.True(post.GetProperty("multiBid").GetBoolean());
        Assert.Equal(3, post.GetProperty("maxAcceptedBids").GetInt32());
        var posterView = post.GetProperty("poster");
        Assert.Equal(poster.Id, posterView.GetProperty("id").GetString());
        Assert.Equal(poster.Name, posterView.GetProperty("name").GetString());
        Assert.True(posterView.TryGetProperty("avatarUrl", out _));
        Assert.InRange(post.GetProperty("createdAt").GetDateTimeOffset(),
            stack.Clock.GetUtcNow().AddMinutes(-1), stack.Clock.GetUtcNow().AddSeconds(1));
        Assert.Equal(1, await stack.JobPostsBy(poster.Id));

        // GET /jobs/:id answers the same post, without a key.
        var read = await stack.Http.GetAsync($"{BidClient.Posts}/{id}");
        var readPost = (await read.ReadJson()).GetProperty("jobPost");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(id, readPost.GetProperty("id").GetString());
        Assert.Equal("OPEN", readPost.GetProperty("status").GetString());

        // Without instantAcceptCents the auction is standard; single-bid by default.
        var standard = await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost());
        Assert.Equal("standard", standard.GetProperty("auctionMode").GetString());
        Assert.False(standard.GetProperty("multiBid").GetBoolean());
        Assert.Equal(1, standard.GetProperty("maxAcceptedBids").GetInt32());
    }

    [Fact]
    public async Task The_seeds_bid_bid_list_and_post_list_answers()
    {
        var tag = "t" + Token();
        // Rated agents, so the ratings the seed shows come from the directory and the profile.
        var poster = await stack.RatedAgent(5);
        var post = await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost(tags: ["python", tag]));
        var postId = post.GetProperty("id").GetString()!;
        var fast = await stack.RegisterAgent(name: Unique.Name("FastBot"));
        var high = await stack.RegisterAgent();
        var middle = await stack.RegisterAgent();
        var scraper = await stack.RatedAgent(4);
        await stack.Bid(fast.ApiKey, postId, 3000, "I'll do it for $30...");
        await stack.Bid(high.ApiKey, postId, 5000);
        await stack.Bid(middle.ApiKey, postId, 4800);

        var answer = await stack.Bid(scraper.ApiKey, postId, 4500, "I can build this scraper in 2 days...");

        var bid = answer.GetProperty("bid");
        var bidId = bid.GetProperty("id").GetString()!;
        Assert.StartsWith("bid_", bidId);
        Assert.Equal(4500, bid.GetProperty("priceCents").GetInt64());
        Assert.Equal("I can build this scraper in 2 days...", bid.GetProperty("message").GetString());
        Assert.Equal("PENDING", bid.GetProperty("status").GetString());
        Assert.Equal(scraper.Id, bid.GetProperty("bidder").GetProperty("id").GetString());
        Assert.Equal(scraper.Name, bid.GetProperty("bidder").GetProperty("name").GetString());
        Assert.Equal(4, bid.GetProperty("bidder").GetProperty("rating").GetDouble());
        Assert.Equal(postId, bid.GetProperty("jobPostId").GetString());
        Assert.True(bid.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.MinValue);
        Assert.Equal(4, answer.GetProperty("totalBids").GetInt32());
        // It undercuts the two pending bids priced above it (5000 and 4800).
        Assert.Equal(2, answer.GetProperty("outbidCount").GetInt32());
        var context = answer.GetProperty("competitiveContext");
        Assert.Equal(2, context.GetProperty("yourRank").GetInt32());
        Assert.Equal(4, context.GetProperty("totalBids").GetInt32());
        Assert.Equal(3000, context.GetProperty("lowestBidCents").GetInt64());
        Assert.False(context.GetProperty("isLowest").GetBoolean());
        Assert.Equal("Your bid is ranked #2 of 4. The current lowest bid is $30.00.", context.GetProperty("message").GetString());

        // The bid list: public, lowest first.
        var list = await stack.ListBids(postId);
        var bids = list.GetProperty("bids").EnumerateArray().ToList();
        Assert.Equal([3000L, 4500L, 4800L, 5000L], bids.Select(b => b.GetProperty("priceCents").GetInt64()));
        Assert.Equal(3000, list.GetProperty("lowestBid").GetInt64());
        Assert.Equal(4, list.GetProperty("totalBids").GetInt32());
        var lowest = bids[0];
        Assert.Equal(JsonValueKind.Array, lowest.GetProperty("priceHistory").ValueKind);
        Assert.Equal(0, lowest.GetProperty("priceHistory").GetArrayLength());
        Assert.Equal("I'll do it for $30...", lowest.GetProperty("message").GetString());
        Assert.Equal("PENDING", lowest.GetProperty("status").GetString());
        Assert.Equal(fast.Id, lowest.GetProperty("bidder").GetProperty("id").GetString());
        Assert.Equal(fast.Name, lowest.GetProperty("bidder").GetProperty("name").GetString());
        Assert.True(lowest.GetProperty("bidder").TryGetProperty("rating", out _));
        Assert.True(lowest.GetProperty("createdAt").GetDateTimeOffset() <= lowest.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(bidId, bids[1].GetProperty("id").GetString());
        Assert.Equal(4, bids[1].GetProperty("bidder").GetProperty("rating").GetDouble());

        // The post list: public, the seed's fields, bidCount counting the bids.
        var posts = await stack.ListPosts($"tags={tag}");
        Assert.Equal(1, posts.GetProperty("total").GetInt32());
        Assert.Equal(20, posts.GetProperty("limit").GetInt32());
        Assert.Equal(0, posts.GetProperty("offset").GetInt32());
        var listed = Assert.Single(posts.GetProperty("jobPosts").EnumerateArray());
        Assert.Equal(postId, listed.GetProperty("id").GetString());
        Assert.Equal("Build me a web scraper", listed.GetProperty("title").GetString());
        Assert.Equal("development", listed.GetProperty("category").GetString());
        Assert.Equal(["python", tag], listed.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(5000, listed.GetProperty("budgetCents").GetInt64());
        Assert.True(listed.TryGetProperty("deadline", out _));
        Assert.Equal("OPEN", listed.GetProperty("status").GetString());
        Assert.Equal(poster.Id, listed.GetProperty("poster").GetProperty("id").GetString());
        Assert.Equal(poster.Name, listed.GetProperty("poster").GetProperty("name").GetString());
        Assert.Equal(5, listed.GetProperty("poster").GetProperty("rating").GetDouble());
        Assert.Equal(4, listed.GetProperty("bidCount").GetInt32());
        Assert.False(listed.GetProperty("multiBid").GetBoolean());
        Assert.Equal(1, listed.GetProperty("maxAcceptedBids").GetInt32());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("instantAcceptCents").ValueKind);
    }

    [Fact]
    public async Task The_seeds_single_bid_accept_closes_the_post_and_rejects_the_others()
    {
        var poster = await stack.RegisterAgent();
        await stack.FundWallet(poster.ApiKey, 10_000);
        var postId = (await stack.OpenJobPost(poster.ApiKey)).GetProperty("id").GetString()!;
        var fast = await stack.RegisterAgent(name: Unique.Name("FastBot"));
        var bidId = (await stack.Bid(fast.ApiKey, postId, 5000, "I'll do it for $50...")).GetProperty("bid").GetProperty("id").GetString()!;
        foreach (var price in new[] { 4000L, 4200, 4400 })
            await stack.Bid((await stack.RegisterAgent()).ApiKey, postId, price);

        // The seed's "Bidder updates price": the earlier price goes to its history.
        var updated = await stack.ChangeBid(fast.ApiKey, postId, bidId, new { priceCents = 2500, message = "Updated proposal..." });
        Assert.Equal(2500, updated.GetProperty("bid").GetProperty("priceCents").GetInt64());
        var history = Assert.Single((await stack.ListBids(postId)).GetProperty("bids")[0].GetProperty("priceHistory").EnumerateArray());
        Assert.Equal(5000, history.GetProperty("priceCents").GetInt64());
        Assert.True(history.TryGetProperty("at", out _));

        var accepted = await stack.ChangeBid(poster.ApiKey, postId, bidId, new { status = "ACCEPTED" });

        var bid = accepted.GetProperty("bid");
        Assert.Equal(bidId, bid.GetProperty("id").GetString());
        Assert.Equal(2500, bid.GetProperty("priceCents").GetInt64());
        Assert.Equal("ACCEPTED", bid.GetProperty("status").GetString());
        Assert.Equal(fast.Id, bid.GetProperty("bidder").GetProperty("id").GetString());
        Assert.Equal(fast.Name, bid.GetProperty("bidder").GetProperty("name").GetString());
        var jobPost = accepted.GetProperty("jobPost");
        Assert.Equal(postId, jobPost.GetProperty("id").GetString());
        Assert.Equal("CLOSED", jobPost.GetProperty("status").GetString());
        Assert.Equal(1, jobPost.GetProperty("acceptedBidsCount").GetInt32());
        Assert.Equal(3, accepted.GetProperty("rejectedBids").GetInt32());
        Assert.Equal(["ACCEPTED", "REJECTED", "REJECTED", "REJECTED"],
            (await stack.ListBids(postId)).GetProperty("bids").EnumerateArray().Select(b => b.GetProperty("status").GetString()));
        Assert.Equal(7_500, await stack.WalletBalance(poster.ApiKey));
    }

    [Fact]
    public async Task The_seeds_multi_bid_accept_keeps_the_post_open_until_its_maximum()
    {
        var poster = await stack.RegisterAgent();
        await stack.FundWallet(poster.ApiKey, 20_000);
        var postId = (await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost(multiBid: true, maxAcceptedBids: 3)))
            .GetProperty("id").GetString()!;
        List<string> bidIds = [];
        foreach (var price in new[] { 3000L, 3500, 4000, 4500 })
            bidIds.Add((await stack.Bid((await stack.RegisterAgent()).ApiKey, postId, price)).GetProperty("bid").GetProperty("id").GetString()!);

        await stack.ChangeBid(poster.ApiKey, postId, bidIds[0], new { status = "ACCEPTED" });
        var second = await stack.ChangeBid(poster.ApiKey, postId, bidIds[1], new { status = "ACCEPTED" });

        Assert.Equal("ACCEPTED", second.GetProperty("bid").GetProperty("status").GetString());
        var jobPost = second.GetProperty("jobPost");
        Assert.Equal(postId, jobPost.GetProperty("id").GetString());
        Assert.Equal("OPEN", jobPost.GetProperty("status").GetString());
        Assert.Equal(2, jobPost.GetProperty("acceptedBidsCount").GetInt32());
        Assert.Equal(3, jobPost.GetProperty("maxAcceptedBids").GetInt32());

        var third = await stack.ChangeBid(poster.ApiKey, postId, bidIds[2], new { status = "ACCEPTED" });
        Assert.Equal("CLOSED", third.GetProperty("jobPost").GetProperty("status").GetString());
        Assert.Equal(3, third.GetProperty("jobPost").GetProperty("acceptedBidsCount").GetInt32());
        Assert.Equal(20_000 - 3000 - 3500 - 4000, await stack.WalletBalance(poster.ApiKey));
    }

    [Fact]
    public async Task Every_invalid_post_is_400_naming_the_field_and_writes_nothing()
    {
        var category = "val-" + Token();
        var poster = await stack.RegisterAgent();
        var (watcher, _) = await stack.AgentWithService(category, ["validation"]);
        var past = stack.Clock.GetUtcNow().AddMinutes(-1);
        Dictionary<string, object?> Post(Action<Dictionary<string, object?>> change)
        {
            var body = BidClient.SeedPost(category: category);
            change(body);
            return body;
        }
        (string Field, Dictionary<string, object?> Body)[] refused =
        [
            ("budgetCents", Post(b => b["budgetCents"] = 0)),
            ("budgetCents", Post(b => b["budgetCents"] = -5000)),
            ("budgetCents", Post(b => b.Remove("budgetCents"))),
            ("budgetCents", Post(b => b["budgetCents"] = "5000")),
            ("instantAcceptCents", Post(b => b["instantAcceptCents"] = 5001)),
            ("instantAcceptCents", Post(b => b["instantAcceptCents"] = 0)),
            ("maxAcceptedBids", Post(b => { b["multiBid"] = true; b["maxAcceptedBids"] = 0; })),
            ("maxAcceptedBids", Post(b => { b["multiBid"] = true; b["maxAcceptedBids"] = 51; })),
            ("maxAcceptedBids", Post(b => b["maxAcceptedBids"] = 3)),
            ("maxAcceptedBids", Post(b => { b["multiBid"] = false; b["maxAcceptedBids"] = 3; })),
            ("deadline", Post(b => b["deadline"] = past.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"))),
            ("deadline", Post(b => b["deadline"] = "next week")),
            ("title", Post(b => b.Remove("title"))),
            ("title", Post(b => b["title"] = "")),
            ("description", Post(b => b.Remove("description"))),
            ("category", Post(b => b.Remove("category"))),
            ("multiBid", Post(b => b["multiBid"] = "yes")),
            ("tags", Post(b => b["tags"] = "python")),
        ];
        var before = await stack.CreationRows(poster.Id, watcher.Id);

        foreach (var (field, body) in refused)
            await AssertRefused(await stack.CreateJobPost(poster.ApiKey, body), HttpStatusCode.BadRequest, field);

        Assert.Equal(before, await stack.CreationRows(poster.Id, watcher.Id));
        Assert.Equal((0L, 0L), (before.Posts, before.Feed));
    }

    [Fact]
    public async Task Posting_needs_a_key_and_reading_posts_and_bids_does_not()
    {
        var category = "key-" + Token();
        var poster = await stack.RegisterAgent();
        var (watcher, _) = await stack.AgentWithService(category, ["keys"]);
        var before = await stack.CreationRows(poster.Id, watcher.Id);

        var anonymous = await stack.Http.PostAsJsonAsync(BidClient.Posts, BidClient.SeedPost(category: category));
        using var wrongKey = stack.AsAgent("tok_not_a_key_of_anyone");
        var forged = await wrongKey.PostAsJsonAsync(BidClient.Posts, BidClient.SeedPost(category: category));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(before, await stack.CreationRows(poster.Id, watcher.Id));

        var postId = (await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost(category: category))).GetProperty("id").GetString()!;
        using var noKey = new HttpClient { BaseAddress = stack.ApiUrl };
        Assert.Equal(HttpStatusCode.OK, (await noKey.GetAsync($"{BidClient.Posts}?category={category}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await noKey.GetAsync($"{BidClient.Posts}/{postId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await noKey.GetAsync(BidClient.Bids(postId))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await noKey.PostAsJsonAsync(BidClient.Bids(postId), new { priceCents = 4000, message = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await noKey.GetAsync($"{BidClient.Posts}/jp_doesnotexist0000000000000000")).StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_q_category_tags_and_status_and_pages_newest_first()
    {
        // token names this test's categories and the other post's tag; word is what q looks for.
        var token = Token();
        var word = "w" + Token();
        var poster = await stack.RegisterAgent();
        var inTitle = await Open(poster, BidClient.SeedPost(category: "cat-a-" + token), title: $"Scraper {word} wanted");
        var inDescription = await Open(poster, BidClient.SeedPost(category: "cat-b-" + token), description: $"Needs {word} experience, 100% remote");
        var inTag = await Open(poster, BidClient.SeedPost(category: "cat-a-" + token, tags: ["scraping", "tag-" + word]));
        var other = await Open(poster, BidClient.SeedPost(category: "cat-c-" + token, tags: ["other-" + token]));

        Assert.Equal([inTag, inDescription, inTitle], (await stack.ListPosts($"q={word}")).JobPostIds());
        Assert.Equal([inTag, inDescription, inTitle], (await stack.ListPosts($"q={word.ToUpperInvariant()}")).JobPostIds());
        Assert.Equal([inDescription], (await stack.ListPosts($"q={Uri.EscapeDataString(word + " experience, 100%")}")).JobPostIds());
        // % and _ are matched as themselves, not as wildcards.
        Assert.Empty((await stack.ListPosts($"q={Uri.EscapeDataString(word + "%remote")}")).JobPostIds());
        Assert.Empty((await stack.ListPosts($"q={Uri.EscapeDataString(word[..4] + "_" + word[5..])}")).JobPostIds());
        Assert.Equal([inTag, inTitle], (await stack.ListPosts($"category=CAT-A-{token}")).JobPostIds());
        Assert.Equal([other, inTag], (await stack.ListPosts($"tags=TAG-{word},%20other-{token}")).JobPostIds());
        Assert.Equal([inTag], (await stack.ListPosts($"tags=tag-{word}&category=cat-a-{token}&q=scraper")).JobPostIds());

        var first = await stack.ListPosts($"q={word}&limit=2");
        Assert.Equal([inTag, inDescription], first.JobPostIds());
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal(2, first.GetProperty("limit").GetInt32());
        var second = await stack.ListPosts($"q={word}&limit=2&offset=2");
        Assert.Equal([inTitle], second.JobPostIds());
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal(2, second.GetProperty("offset").GetInt32());
        var beyond = await stack.ListPosts($"q={word}&limit=2&offset=10");
        Assert.Empty(beyond.JobPostIds());
        Assert.Equal(3, beyond.GetProperty("total").GetInt32());

        Assert.Empty((await stack.ListPosts($"q={word}&status=CLOSED")).JobPostIds());
        Assert.Equal([inTag, inDescription, inTitle], (await stack.ListPosts($"q={word}&status=open")).JobPostIds());

        foreach (var (query, field) in new[]
        {
            ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
            ("status=PENDING", "status"), ($"q={new string('x', 201)}", "q"),
            ("tags=" + string.Join(",", Enumerable.Range(0, 11).Select(i => $"t{i}")), "tags"),
        })
            await AssertRefused(await stack.GetPosts(query), HttpStatusCode.BadRequest, field);
        Assert.Equal(100, (await stack.ListPosts($"q={word}&limit=100")).GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task A_post_whose_deadline_passed_is_listed_as_closed_not_open()
    {
        var tag = "deadline-" + Token();
        var poster = await stack.RegisterAgent();
        var deadline = stack.Clock.GetUtcNow().AddHours(2);
        var postId = await Open(poster, BidClient.SeedPost(tags: [tag], deadline: deadline));
        var bidder = await stack.RegisterAgent();
        await stack.Bid(bidder.ApiKey, postId, 4000);
        Assert.Equal([postId], (await stack.ListPosts($"tags={tag}")).JobPostIds());

        stack.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        Assert.Empty((await stack.ListPosts($"tags={tag}")).JobPostIds());
        Assert.Equal(0, (await stack.ListPosts($"tags={tag}")).GetProperty("total").GetInt32());
        var closed = await stack.ListPosts($"tags={tag}&status=CLOSED");
        Assert.Equal(1, closed.GetProperty("total").GetInt32());
        var listed = Assert.Single(closed.GetProperty("jobPosts").EnumerateArray());
        Assert.Equal(postId, listed.GetProperty("id").GetString());
        Assert.Equal("CLOSED", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_new_post_is_announced_to_the_agents_whose_active_services_match_it()
    {
        var token = Token();
        var category = "research-" + token;
        var tag = "tag-" + token;
        var poster = await stack.RegisterAgent(name: Unique.Name("MyAgent"));
        using (var posterClient = stack.AsAgent(poster.ApiKey))
            await posterClient.CreateService(ServiceClient.ExampleService(category: category, tags: [tag]));
        var (byCategory, _) = await stack.AgentWithService(category.ToUpperInvariant(), ["unrelated"]);
        using (var second = stack.AsAgent(byCategory.ApiKey))
            await second.CreateService(ServiceClient.ExampleService(category: category, tags: [tag]));
        var (byTag, _) = await stack.AgentWithService("elsewhere-" + token, ["other", tag.ToUpperInvariant()]);
        var (neither, _) = await stack.AgentWithService("elsewhere-" + token, ["other-" + token]);
        var (paused, pausedService) = await stack.AgentWithService(category, [tag]);
        await stack.PauseService(paused, pausedService);
        var (deleted, deletedService) = await stack.AgentWithService("elsewhere-" + token, [tag]);
        await stack.DeleteService(deleted, deletedService);
        await using var categoryHook = await WebhookReceiver.Start();
        await using var tagHook = await WebhookReceiver.Start();
        await using var neitherHook = await WebhookReceiver.Start();
        await using var posterHook = await WebhookReceiver.Start();
        foreach (var (agent, receiver) in new[] { (byCategory, categoryHook), (byTag, tagHook), (neither, neitherHook), (poster, posterHook) })
        {
            using var client = stack.AsAgent(agent.ApiKey);
            await client.RegisterWebhook(receiver);
        }

        var post = await stack.OpenJobPost(poster.ApiKey, BidClient.SeedPost(category: category, tags: ["python-" + token, tag]));

        var postId = post.GetProperty("id").GetString()!;
        foreach (var (agent, receiver) in new[] { (byCategory, categoryHook), (byTag, tagHook) })
        {
            var delivery = Assert.Single(await receiver.WaitFor(1));
            Assert.NotEmpty(delivery.VerifiedWith);
            var payload = JsonDocument.Parse(delivery.Body).RootElement;
            Assert.Equal("job_post.created", payload.GetProperty("event").GetString());
            Assert.Equal(postId, payload.GetProperty("jobId").GetString());
            Assert.Equal(agent.Id, payload.GetProperty("agentId").GetString());
            Assert.True(payload.TryGetProperty("timestamp", out _));
            var data = payload.GetProperty("data");
            Assert.Equal(postId, data.GetProperty("id").GetString());
            Assert.Equal("Build me a web scraper", data.GetProperty("title").GetString());
            Assert.Equal(5000, data.GetProperty("budgetCents").GetInt64());
            Assert.Equal("OPEN", data.GetProperty("status").GetString());
            Assert.Equal(poster.Id, data.GetProperty("poster").GetProperty("id").GetString());

            var inbox = await stack.Inbox(agent.ApiKey);
            var notice = Assert.Single(inbox.GetProperty("notifications").EnumerateArray());
            Assert.Equal("system", notice.GetProperty("type").GetString());
            Assert.Contains("Build me a web scraper", notice.GetProperty("title").GetString());
            Assert.Contains(postId, notice.GetProperty("link").GetString());
            Assert.Equal(postId, notice.GetProperty("data").GetProperty("jobPostId").GetString());
            Assert.False(notice.GetProperty("read").GetBoolean());
        }
        await neitherHook.StaysAt(0);
        await posterHook.StaysAt(0);
        Assert.Equal(0, await stack.NotificationsOf(neither.Id));
        Assert.Equal(0, await stack.NotificationsOf(poster.Id));
        Assert.Equal(0, await stack.NotificationsOf(paused.Id));
        Assert.Equal(0, await stack.NotificationsOf(deleted.Id));
        Assert.Equal(new[] { $"job_post.created>{byCategory.Id}", $"job_post.created>{byTag.Id}" }.Order(StringComparer.Ordinal),
            await stack.WebhookEventsOfJob(postId));

        var feed = Assert.Single((await stack.ReadFeed($"?agentId={poster.Id}&type=JOB_POSTED")).GetProperty("posts").EnumerateArray());
        Assert.Equal($"{poster.Name} posted a new job: Build me a web scraper", feed.GetProperty("content").GetString());
        Assert.Equal("JOB_POSTED", feed.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_retried_creation_with_the_same_key_answers_the_same_post_and_announces_once()
    {
        var token = Token();
        var category = "retry-" + token;
        var poster = await stack.RegisterAgent();
        var (watcher, _) = await stack.AgentWithService(category, ["retry"]);
        var key = "create-" + token;
        // Tags of its own: the seed's (python, scraping) are other tests' services' tags too.
        var body = BidClient.SeedPost(category: category, tags: ["retry-" + token]);

        var first = await stack.CreateJobPost(poster.ApiKey, body, key);
        var retry = await stack.CreateJobPost(poster.ApiKey, body, key);
        var other = await stack.CreateJobPost(poster.ApiKey, body, "create-other-" + token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var id = (await first.ReadJson()).GetProperty("jobPost").GetProperty("id").GetString()!;
        Assert.Equal(id, (await retry.ReadJson()).GetProperty("jobPost").GetProperty("id").GetString());
        Assert.NotEqual(id, (await other.ReadJson()).GetProperty("jobPost").GetProperty("id").GetString());
        Assert.Equal(2, await stack.JobPostsBy(poster.Id));
        Assert.Equal(2, await stack.JobPostedFeedPostsOf(poster.Id));
        Assert.Equal(2, await stack.NotificationsOf(watcher.Id));
        Assert.Equal(1, await stack.WebhookEventsOfPost(id));

        // The first answer lost before the API stored it: the retry reaches the board again, and
        // the key still names the same post, which is answered as it is, not created or announced again.
        var board = stack.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<IJobBoardGrain>(IJobBoardGrain.Key);
        var afterLoss = await board.Post(new NewJobPost(poster.Id, "Build me a web scraper", "I need a Python web scraper that...",
            category, ["python", "scraping"], 5000, null, null, null, null, key));


        Assert.Null(afterLoss.Problem);
        Assert.Equal(id, afterLoss.Value!.Id);
        Assert.Equal(2, await stack.JobPostsBy(poster.Id));
        Assert.Equal(2, await stack.JobPostedFeedPostsOf(poster.Id));
        Assert.Equal(2, await stack.NotificationsOf(watcher.Id));
        Assert.Equal(1, await stack.WebhookEventsOfPost(id));
    }

    /// <summary>Opens a post (the seed's, with <paramref name="title"/> or <paramref name="description"/> when given); its id.</summary>
    async Task<string> Open(RegisteredAgent poster, Dictionary<string, object?> body, string? title = null, string? description = null)
    {
        if (title is not null) body["title"] = title;
        if (description is not null) body["description"] = description;
        return (await stack.OpenJobPost(poster.ApiKey, body)).GetProperty("id").GetString()!;
    }
}
