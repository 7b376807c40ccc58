using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Market;

/// <summary>
/// Issue 12, "both or neither": an agent's grain state and its <c>agent_directory</c> row change
/// together or not at all, whichever of the two writes fails (made to fail for real by a trigger),
/// and a retry after the failure completes the change.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ProfileAtomicityTests(ActorsStack stack)
{
    const string Description = "An AI agent that does cool things";

    [Fact]
    public async Task A_profile_change_whose_directory_write_fails_keeps_nothing_and_its_retry_keeps_all()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var renamed = Unique.Name("renamed");

        await using (await TableObstacle.Install(stack.Postgres, "agent_directory", $"NEW.name = '{renamed}'"))
        {
            var refused = await agent.PatchAsJsonAsync("/market/api/agents/me", new { name = renamed, description = "changed too" });
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());

            await AssertProfile(agent, registered.Id, registered.Name, Description);
        }

        var retried = await agent.PatchAsJsonAsync("/market/api/agents/me", new { name = renamed, description = "changed too" });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await AssertProfile(agent, registered.Id, renamed, "changed too");
    }

    [Fact]
    public async Task A_profile_change_whose_state_write_fails_puts_the_directory_row_back()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var renamed = Unique.Name("renamed");

        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", TableObstacle.StateContains(renamed)))
        {
            var refused = await agent.PatchAsJsonAsync("/market/api/agents/me", new { name = renamed, tags = new[] { "kept-nowhere" } });
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());

            await AssertProfile(agent, registered.Id, registered.Name, Description);
            Assert.Equal(0L, await stack.Postgres.Scalar(
                "SELECT count(*) FROM agent_directory WHERE agent_id = @id AND 'kept-nowhere' = ANY(tags)", ("id", registered.Id)));
        }

        var retried = await agent.PatchAsJsonAsync("/market/api/agents/me", new { name = renamed });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await AssertProfile(agent, registered.Id, renamed, Description);
    }

    [Fact]
    public async Task A_directory_row_left_ahead_of_its_state_is_corrected_when_the_agent_next_activates()
    {
        var registered = await stack.RegisterAgent();
        using var agent = stack.AsAgent(registered.ApiKey);
        var renamed = Unique.Name("renamed");

        // The state write fails, and so does putting the row back (an update away from the new name):
        // the row is left ahead of the state, as when the database goes away between the two.
        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", TableObstacle.StateContains(renamed)))
        await using (await TableObstacle.Install(stack.Postgres, "agent_directory", $"OLD.name = '{renamed}' AND NEW.name <> '{renamed}'"))
        {
            var refused = await agent.PatchAsJsonAsync("/market/api/agents/me", new { name = renamed });
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
            Assert.Equal(renamed, await DirectoryName(registered.Id));
        }

        // The failed call dropped the activation; the next call activates the grain, which corrects the row.
        await AssertProfile(agent, registered.Id, registered.Name, Description);
    }

    [Fact]
    public async Task A_registration_whose_directory_write_fails_leaves_no_agent_key_row_or_email()
    {
        var name = Unique.Name("refused");
        var owner = Unique.Email();
        var liveKeys = await LiveKeys();

        await using (await TableObstacle.Install(stack.Postgres, "agent_directory", $"NEW.name = '{name}'"))
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var refused = await stack.Http.PostAsJsonAsync("/market/api/agents/register", new { name, description = Description, ownerEmail = owner });
                Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
            }
            await AssertNothingRegistered(name, owner, liveKeys);
        }

        await AssertRegistersNow(name, owner, liveKeys);
    }

    [Fact]
    public async Task A_registration_whose_claim_email_fails_is_undone_row_state_and_key()
    {
        var name = Unique.Name("unmailed");
        var owner = Unique.Email();
        var liveKeys = await LiveKeys();

        await using (await TableObstacle.Install(stack.Postgres, "emails", $"NEW.recipient = '{owner}'"))
        {
            var refused = await stack.Http.PostAsJsonAsync("/market/api/agents/register", new { name, description = Description, ownerEmail = owner });
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
            await AssertNothingRegistered(name, owner, liveKeys);
        }

        await AssertRegistersNow(name, owner, liveKeys);
    }

    async Task AssertNothingRegistered(string name, string owner, long liveKeys)
    {
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM agent_directory WHERE name = @name", ("name", name)));
        Assert.Equal(0L, await stack.Postgres.Scalar(
            "SELECT count(*) FROM orleans_grain_state WHERE position(@name in coalesce(convert_from(payload, 'UTF8'), '')) > 0", ("name", name)));
        Assert.Equal(0L, await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE recipient = @owner", ("owner", owner)));
        // No key that authenticates was left behind: every key issued on the way was revoked.
        Assert.Equal(liveKeys, await LiveKeys());
    }

    async Task AssertRegistersNow(string name, string owner, long liveKeys)
    {
        var registered = await stack.Http.PostAsJsonAsync("/market/api/agents/register", new { name, description = Description, ownerEmail = owner });
        var body = await registered.ReadJson();
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = body.GetProperty("agent").GetProperty("id").GetString()!;
        using var agent = stack.AsAgent(body.GetProperty("agent").GetProperty("apiKey").GetString()!);
        await AssertProfile(agent, id, name, Description);
        Assert.Equal(1L, await stack.Postgres.Scalar("SELECT count(*) FROM emails WHERE recipient = @owner", ("owner", owner)));
        Assert.Equal(liveKeys + 1, await LiveKeys());
    }

    /// <summary>GET /me and the directory row agree on the name and description.</summary>
    async Task AssertProfile(HttpClient agent, string agentId, string name, string description)
    {
        var me = await agent.GetAsync("/market/api/agents/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = (await me.ReadJson()).GetProperty("agent");
        Assert.Equal(name, profile.GetProperty("name").GetString());
        Assert.Equal(description, profile.GetProperty("description").GetString());

        Assert.Equal(name, await DirectoryName(agentId));
        Assert.Equal(description, await stack.Postgres.Scalar("SELECT description FROM agent_directory WHERE agent_id = @id", ("id", agentId)));
    }

    async Task<string?> DirectoryName(string agentId) =>
        (string?)await stack.Postgres.Scalar("SELECT name FROM agent_directory WHERE agent_id = @id", ("id", agentId));

    /// <summary>API keys (grain states with a prefix) that are not revoked.</summary>
    async Task<long> LiveKeys() => (long)(await stack.Postgres.Scalar("""
        SELECT count(*) FROM (SELECT convert_from(payload, 'UTF8')::jsonb AS s FROM orleans_grain_state WHERE payload IS NOT NULL) k
        WHERE k.s ? 'prefix' AND k.s ? 'agentId' AND k.s ? 'revokedAt' AND k.s ->> 'revokedAt' IS NULL
        """))!;
}
