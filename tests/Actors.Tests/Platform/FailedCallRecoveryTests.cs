using System.Net;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Platform;

/// <summary>A grain whose state write fails must not keep answering from the state it could not store.</summary>
[Collection(StackCollection.Name)]
public sealed class FailedCallRecoveryTests(ActorsStack stack)
{
    [Fact]
    public async Task After_a_failed_state_write_the_next_call_answers_from_stored_state()
    {
        var (agent, linkId, _) = await stack.ApprovedLink();
        Assert.Equal(HttpStatusCode.OK, (await agent.SetPlan(new { linkId, band = "casual" })).StatusCode);

        // The database refuses this grain's next state write (as an outage would; not an etag
        // conflict, which Orleans already handles by dropping the activation).
        var trigger = "refuse_" + linkId.ToLowerInvariant();
        await stack.Postgres.Scalar($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
            CREATE TRIGGER {trigger} BEFORE UPDATE ON orleans_grain_state FOR EACH ROW
                WHEN (OLD.grain_id_ext LIKE '%{linkId}%') EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            var failed = await agent.SetPlan(new { linkId, band = "power" });
            Assert.True((int)failed.StatusCode >= 500, $"expected a server error, got {(int)failed.StatusCode}");
        }
        finally
        {
            await stack.Postgres.Scalar($"DROP TRIGGER {trigger} ON orleans_grain_state; DROP FUNCTION {trigger}();");
        }

        // The change that was never stored is not served...
        var summary = await (await agent.UsageSummary(linkId)).ReadJson();
        Assert.Equal("casual", summary.GetProperty("plan").GetProperty("band").GetString());

        // ...and the reloaded grain writes again.
        Assert.Equal(HttpStatusCode.OK, (await agent.SetPlan(new { linkId, band = "power" })).StatusCode);
        summary = await (await agent.UsageSummary(linkId)).ReadJson();
        Assert.Equal("power", summary.GetProperty("plan").GetProperty("band").GetString());
    }
}
