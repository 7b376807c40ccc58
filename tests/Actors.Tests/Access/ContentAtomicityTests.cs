using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Access;

/// <summary>
/// Issue 12, "both or neither": content's path index (<c>access_content_paths</c>) and its grain
/// state change together or not at all when the state write fails for real, and a retry completes.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ContentAtomicityTests(ActorsStack stack)
{
    [Fact]
    public async Task A_move_whose_state_write_fails_leaves_the_content_at_its_old_path_and_its_retry_moves_it()
    {
        var article = await stack.NewArticle();
        var moved = $"/moved/{article.ContentId}";
        var title = Unique.Name("refused-title");

        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", TableObstacle.StateContains(title)))
        {
            var refused = await Publish(article.Domain, article.ContentId, moved, title);
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());

            Assert.Equal(HttpStatusCode.OK, await Head(article.Domain, article.Path));
            Assert.Equal(HttpStatusCode.NotFound, await Head(article.Domain, moved));
            Assert.Equal(article.Path, await PathOf(article.Domain, article.ContentId));
        }

        var retried = await Publish(article.Domain, article.ContentId, moved, title);
        Assert.True(retried.IsSuccessStatusCode, (await retried.ReadJson()).ToString());
        Assert.Equal(HttpStatusCode.NotFound, await Head(article.Domain, article.Path));
        Assert.Equal(HttpStatusCode.OK, await Head(article.Domain, moved));
        Assert.Equal(moved, await PathOf(article.Domain, article.ContentId));
    }

    [Fact]
    public async Task New_content_whose_state_write_fails_keeps_no_path_and_its_retry_publishes_it()
    {
        var article = await stack.NewArticle();
        var contentId = "article_" + Guid.NewGuid().ToString("N")[..8];
        var path = $"/article/{contentId}";
        var title = Unique.Name("refused-title");

        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", TableObstacle.StateContains(title)))
        {
            var refused = await Publish(article.Domain, contentId, path, title);
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());

            Assert.Equal(HttpStatusCode.NotFound, await Head(article.Domain, path));
            Assert.Null(await PathOf(article.Domain, contentId));
        }

        var retried = await Publish(article.Domain, contentId, path, title);
        Assert.True(retried.IsSuccessStatusCode, (await retried.ReadJson()).ToString());
        Assert.Equal(HttpStatusCode.OK, await Head(article.Domain, path));
        Assert.Equal(path, await PathOf(article.Domain, contentId));
    }

    async Task<HttpResponseMessage> Publish(string domain, string contentId, string path, string title)
    {
        using var admin = stack.AsAdmin();
        return await admin.PostAsJsonAsync($"/admin/api/publishers/{domain}/content", new
        {
            contentId,
            path,
            title,
            markdown = "# Moved\n\nThe same article under another path.",
            tier = 3,
            license = new { summary = "Standard usage allowed", internal_analysis = true },
        });
    }

    async Task<HttpStatusCode> Head(string domain, string path) =>
        (await stack.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/access/publishers/{domain}{path}"))).StatusCode;

    async Task<string?> PathOf(string domain, string contentId) =>
        (string?)await stack.Postgres.Scalar(
            "SELECT path FROM access_content_paths WHERE domain = @domain AND content_id = @id", ("domain", domain), ("id", contentId));
}
