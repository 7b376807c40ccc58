using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Offset;

[Collection(StackCollection.Name)]
public sealed class OffsetIdempotencyTests(ActorsStack stack)
{
    static HttpRequestMessage Post(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task Register_repeated_with_its_idempotency_key_returns_the_same_agent_and_key_and_creates_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var name = Unique.Name("idem");
        object Body(string description) => new { name, ownerEmail = "ops@aria.example", description, websiteUrl = "https://aria.example" };

        var first = await stack.Http.SendAsync(Post("/offset/api/agents/register", Body("first"), key));
        var repeat = await stack.Http.SendAsync(Post("/offset/api/agents/register", Body("first"), key));
        var different = await stack.Http.SendAsync(Post("/offset/api/agents/register", Body("another"), key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        var (firstBody, repeatBody) = (await first.ReadJson(), await repeat.ReadJson());
        Assert.Equal(firstBody.GetProperty("agentId").GetString(), repeatBody.GetProperty("agentId").GetString());
        Assert.Equal(firstBody.GetProperty("apiKey").GetString(), repeatBody.GetProperty("apiKey").GetString());
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM agent_directory WHERE name = @name", ("name", name)));

        // The replayed key is the live one.
        using var agent = stack.AsAgent(repeatBody.GetProperty("apiKey").GetString()!);
        var status = await agent.GetAsync("/offset/api/agents/link-status?linkId=lnk_none");
        Assert.NotEqual(HttpStatusCode.Unauthorized, status.StatusCode);
    }

    [Fact]
    public async Task Signup_user_repeated_with_its_idempotency_key_returns_the_same_link_and_sends_one_email()
    {
        var agent = await stack.RegisterOffsetAgent();
        var other = await stack.RegisterOffsetAgent();
        var key = Guid.NewGuid().ToString();
        var email = Unique.Email("idem");
        object Body(string userName, string? to = null) => new { userEmail = to ?? email, userName, exclusiveAgent = false };

        var first = await agent.Http.SendAsync(Post("/offset/api/agents/signup-user", Body("Jordan Lee"), key));
        var repeat = await agent.Http.SendAsync(Post("/offset/api/agents/signup-user", Body("Jordan Lee"), key));
        var different = await agent.Http.SendAsync(Post("/offset/api/agents/signup-user", Body("Sam Lee"), key));
        // Keys belong to their caller: another agent's same key is its own first request.
        var others = await other.Http.SendAsync(Post("/offset/api/agents/signup-user", Body("Jordan Lee", Unique.Email("other")), key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var (firstBody, repeatBody) = (await first.ReadJson(), await repeat.ReadJson());
        Assert.Equal(firstBody.GetRawText(), repeatBody.GetRawText());
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.False(others.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.OK, others.StatusCode);
        Assert.NotEqual(firstBody.GetProperty("linkId").GetString(), (await others.ReadJson()).GetProperty("linkId").GetString());

        await OutboxDrained();
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE recipient = @to", ("to", email)));
    }

    async Task OutboxDrained()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((long)(await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE sent_at IS NULL"))! > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the email outbox did not drain");
            await Task.Delay(100);
        }
    }
}
