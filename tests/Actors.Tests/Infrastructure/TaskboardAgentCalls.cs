using System.Net;
using System.Text.Json;

namespace Actors.Tests.Infrastructure;

/// <summary>What the owner, token and agent tests read back: the stored agent rows and the token grains kept.</summary>
public static class TaskboardAgentCalls
{
    /// <summary>The agentId's <c>taskboard_agents</c> row (handle, agent_id, owner_id, name, capabilities, endpoint), or null.</summary>
    public static async Task<object?[]?> TaskboardAgentRow(this ActorsStack stack, string agentId) =>
        (await stack.Postgres.Rows("SELECT handle, agent_id, owner_id, name, capabilities, endpoint FROM taskboard_agents WHERE handle = @h",
            ("h", agentId.ToLowerInvariant()))).SingleOrDefault();

    /// <summary>Registration tokens kept (each minted token is one grain state).</summary>
    public static async Task<long> RegistrationTokensKept(this ActorsStack stack) =>
        (long)(await stack.Postgres.Scalar("SELECT count(*) FROM orleans_grain_state WHERE grain_type = 'taskboard-registration-token' AND payload IS NOT NULL"))!;

    /// <summary>The registration token in a mint's answer.</summary>
    public static string Token(this JsonElement minted) => minted.GetProperty("registrationToken").GetString()!;

    public static JsonElement Connection(this JsonElement connected) => connected.GetProperty("connection");
}

/// <summary>A registration token's stored state, read by its hash (the grain's key): whether a refused connect used it up.</summary>
public static class StoredRegistrationToken
{
    /// <summary>When the token was used; null while unused (or never minted).</summary>
    public static async Task<DateTimeOffset?> TokenUsedAt(this ActorsStack stack, string token)
    {
        var used = await stack.Postgres.Scalar(
            "SELECT convert_from(payload, 'UTF8')::jsonb ->> 'usedAt' FROM orleans_grain_state WHERE grain_id_ext = @key AND payload IS NOT NULL",
            ("key", "rtk_" + Actors.Grains.Identity.SecretHash.Of(token)));
        return used is string text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
