using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Access;

[Collection(StackCollection.Name)]
public sealed class AccessAdminTests(ActorsStack stack)
{
    [Fact]
    public async Task The_admin_api_refuses_requests_without_the_operator_token()
    {
        var none = await stack.Http.PostAsJsonAsync("/admin/api/orgs", new { name = "x", plan = "p", monthlyLimit = 1 });
        using var wrong = stack.AsAgent("not-the-token");
        var bad = await wrong.PostAsJsonAsync("/admin/api/orgs", new { name = "x", plan = "p", monthlyLimit = 1 });

        var noBody = await stack.Http.PostAsync("/admin/api/orgs", null);
        using var agentKey = stack.AsAgent((await stack.NewSubscriber()).ApiKey);
        var asAgent = await agentKey.PostAsJsonAsync("/admin/api/orgs", new { name = "x", plan = "p", monthlyLimit = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noBody.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asAgent.StatusCode);
        Assert.NotNull((await bad.ReadJson()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_org_key_has_the_agnt_prefix_and_works_on_the_agent_api()
    {
        var subscriber = await stack.NewSubscriber(monthlyLimit: 50);

        Assert.StartsWith("agnt_", subscriber.ApiKey);
        Assert.Equal(50, await subscriber.RemainingCredits());
    }

    [Fact]
    public async Task Creating_an_org_names_the_missing_or_invalid_field()
    {
        using var admin = stack.AsAdmin();
        var grains = await stack.GrainStates();
        var noName = await admin.PostAsJsonAsync("/admin/api/orgs", new { plan = "Pro", monthlyLimit = 10 });
        var negative = await admin.PostAsJsonAsync("/admin/api/orgs", new { name = "n", plan = "Pro", monthlyLimit = -1 });
        var wrongType = await admin.PostAsJsonAsync("/admin/api/orgs", new { name = "n", plan = "Pro", monthlyLimit = "lots" });

        Assert.Equal("name", (await noName.ReadJson()).GetProperty("field").GetString());
        Assert.Equal("monthlyLimit", (await negative.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("monthlyLimit", (await wrongType.ReadJson()).GetProperty("field").GetString());
        Assert.Equal(grains, await stack.GrainStates());
    }

    [Fact]
    public async Task Keys_for_an_unknown_org_are_404()
    {
        using var admin = stack.AsAdmin();
        var (agents, grains) = (await stack.DirectoryRows(), await stack.GrainStates());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/admin/api/orgs/org_doesnotexist000000000000/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/admin/api/orgs/123/keys", null)).StatusCode);
        Assert.Equal((agents, grains), (await stack.DirectoryRows(), await stack.GrainStates()));
    }

    [Fact]
    public async Task A_domain_has_one_publisher_and_a_path_one_piece_of_content()
    {
        var article = await stack.NewArticle();
        using var admin = stack.AsAdmin();

        var again = await admin.PostAsJsonAsync("/admin/api/publishers", new { domain = article.Domain.ToUpperInvariant(), name = "Copycat" });
        var samePath = await admin.PostAsJsonAsync($"/admin/api/publishers/{article.Domain}/content", new
        {
            contentId = "other", path = article.Path, title = "t", markdown = "m", tier = 1, license = new { summary = "s" },
        });
        var unknownPublisher = await admin.PostAsJsonAsync("/admin/api/publishers/nobody.example/content", new
        {
            contentId = "x", path = "/x", title = "t", markdown = "m", tier = 1, license = new { summary = "s" },
        });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, samePath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPublisher.StatusCode);
        // The path still leads to the first content; neither refused piece of content was kept.
        Assert.Equal(article.ContentId, await stack.Postgres.Scalar(
            "SELECT content_id FROM access_content_paths WHERE domain = @d AND path = @p", ("d", article.Domain), ("p", article.Path)));
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM access_content_paths WHERE domain = @d", ("d", article.Domain)));
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM access_content_paths WHERE domain = 'nobody.example'"));
    }

    [Fact]
    public async Task Content_is_validated_field_by_field()
    {
        var article = await stack.NewArticle();
        using var admin = stack.AsAdmin();

        async Task<string?> FieldOf(object body)
        {
            var response = await admin.PostAsJsonAsync($"/admin/api/publishers/{article.Domain}/content", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.ReadJson()).GetProperty("field").GetString();
        }

        Assert.Equal("contentId", await FieldOf(new { path = "/a", title = "t", markdown = "m", tier = 1, license = new { summary = "s" } }));
        Assert.Equal("path", await FieldOf(new { contentId = "a", path = "no-slash", title = "t", markdown = "m", tier = 1, license = new { summary = "s" } }));
        Assert.Equal("path", await FieldOf(new { contentId = "a", path = "/agentthreshold/content/a", title = "t", markdown = "m", tier = 1, license = new { summary = "s" } }));
        Assert.Equal("tier", await FieldOf(new { contentId = "a", path = "/a", title = "t", markdown = "m", tier = 0, license = new { summary = "s" } }));
        Assert.Equal("license", await FieldOf(new { contentId = "a", path = "/a", title = "t", markdown = "m", tier = 1 }));
        Assert.Equal("markdown", await FieldOf(new { contentId = "a", path = "/a", title = "t", tier = 1, license = new { summary = "s" } }));
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM access_content_paths WHERE domain = @d", ("d", article.Domain)));
    }

    [Fact]
    public async Task Creating_an_org_with_an_idempotency_key_twice_creates_it_once()
    {
        using var admin = stack.AsAdmin();
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Create(long limit)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/orgs") { Content = JsonContent.Create(new { name = "Idem", plan = "Pro", monthlyLimit = limit }) };
            request.Headers.Add("Idempotency-Key", key);
            return await admin.SendAsync(request);
        }

        var first = await Create(10);
        var repeat = await Create(10);
        var different = await Create(11);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal((await first.ReadJson()).GetProperty("id").GetString(), (await repeat.ReadJson()).GetProperty("id").GetString());
        Assert.True(repeat.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
    }
}
