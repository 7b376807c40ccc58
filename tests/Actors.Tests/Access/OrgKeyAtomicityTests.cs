using System.Net;
using System.Net.Http.Json;
using Actors.Tests.Infrastructure;

namespace Actors.Tests.Access;

/// <summary>
/// Issue 12, "both or neither": an organisation key whose record fails to be stored in the
/// organisation's state is revoked before the failure is answered, and a retry issues one that works.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OrgKeyAtomicityTests(ActorsStack stack)
{
    [Fact]
    public async Task A_key_the_organisation_fails_to_record_does_not_authenticate_and_a_retry_issues_one()
    {
        using var admin = stack.AsAdmin();
        var name = Unique.Name("org");
        var org = await admin.PostAsJsonAsync("/admin/api/orgs", new { name, plan = "Professional", monthlyLimit = 100 });
        Assert.True(org.IsSuccessStatusCode, (await org.ReadJson()).ToString());
        var orgId = (await org.ReadJson()).GetProperty("id").GetString()!;
        var liveKeys = await LiveKeys();

        // Only the organisation's own state holds key records (apiKeyGrainId) beside its name.
        var condition = $"{TableObstacle.StateContains("\"apiKeyGrainId\"")} AND {TableObstacle.StateContains(name)}";
        await using (await TableObstacle.Install(stack.Postgres, "orleans_grain_state", condition))
        {
            var refused = await admin.PostAsync($"/admin/api/orgs/{orgId}/keys", null);
            Assert.False(refused.IsSuccessStatusCode, refused.StatusCode.ToString());
            Assert.Equal(liveKeys, await LiveKeys());
        }

        var issued = await admin.PostAsync($"/admin/api/orgs/{orgId}/keys", null);
        var body = await issued.ReadJson();
        Assert.True(issued.IsSuccessStatusCode, body.ToString());
        Assert.Equal(liveKeys + 1, await LiveKeys());
        using var agent = stack.AsAgent(body.GetProperty("apiKey").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync(AccessClient.SubscriptionStatus)).StatusCode);
    }

    /// <summary>API keys (grain states with a prefix) that are not revoked.</summary>
    async Task<long> LiveKeys() => (long)(await stack.Postgres.Scalar("""
        SELECT count(*) FROM (SELECT convert_from(payload, 'UTF8')::jsonb AS s FROM orleans_grain_state WHERE payload IS NOT NULL) k
        WHERE k.s ? 'prefix' AND k.s ? 'agentId' AND k.s ? 'revokedAt' AND k.s ->> 'revokedAt' IS NULL
        """))!;
}
