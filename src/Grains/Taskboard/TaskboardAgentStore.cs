using Actors.Grains.Platform;
using Npgsql;

namespace Actors.Grains.Taskboard;

/// <summary>
/// <c>taskboard_agents</c> (schema 0800): one row per connected agentId, written only by its
/// <see cref="TaskboardAgentGrain"/>. The registry reads here who an identity is on the board and an
/// owner's agents; an agent's profile counts its tasks from <c>taskboard_tasks</c>.
/// </summary>
public sealed class TaskboardAgentStore(NpgsqlDataSource db)
{
    const string Columns = "handle, agent_id, owner_id, name, capabilities, endpoint, connected_at";

    /// <summary>
    /// Writes the row; an unchanged row is not written again (what an activation's check relies
    /// on). True when it wrote.
    /// </summary>
    public async Task<bool> Upsert(TaskboardAgentView agent, DateTimeOffset updatedAt)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO taskboard_agents (handle, agent_id, owner_id, name, capabilities, endpoint, connected_at, updated_at)
            VALUES (@handle, @agent, @owner, @name, @capabilities, @endpoint, @connected, @updated)
            ON CONFLICT (handle) DO UPDATE SET
                agent_id = EXCLUDED.agent_id, owner_id = EXCLUDED.owner_id, name = EXCLUDED.name,
                capabilities = EXCLUDED.capabilities, endpoint = EXCLUDED.endpoint,
                connected_at = EXCLUDED.connected_at, updated_at = EXCLUDED.updated_at
            WHERE (taskboard_agents.agent_id, taskboard_agents.owner_id, taskboard_agents.name, taskboard_agents.capabilities,
                   taskboard_agents.endpoint, taskboard_agents.connected_at)
                IS DISTINCT FROM (EXCLUDED.agent_id, EXCLUDED.owner_id, EXCLUDED.name, EXCLUDED.capabilities,
                   EXCLUDED.endpoint, EXCLUDED.connected_at)
            """);
        cmd.Parameters.AddWithValue("handle", agent.AgentHandle);
        cmd.Parameters.AddWithValue("agent", agent.AgentId);
        cmd.Parameters.AddWithValue("owner", agent.OwnerId);
        cmd.Parameters.AddWithValue("name", agent.Name);
        cmd.Parameters.AddWithValue("capabilities", agent.Capabilities.ToArray());
        cmd.Parameters.Add(PgParameters.Text("endpoint", agent.Endpoint));
        cmd.Parameters.AddWithValue("connected", agent.ConnectedAt);
        cmd.Parameters.AddWithValue("updated", updatedAt);
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    public async Task Delete(string handle)
    {
        await using var cmd = db.CreateCommand("DELETE FROM taskboard_agents WHERE handle = @handle");
        cmd.Parameters.AddWithValue("handle", handle);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The agentId the identity <paramref name="agentId"/> (<c>agt_…</c>) is connected as; null when never.</summary>
    public async Task<string?> HandleOf(string agentId)
    {
        await using var cmd = db.CreateCommand("SELECT handle FROM taskboard_agents WHERE agent_id = @agent");
        cmd.Parameters.AddWithValue("agent", agentId);
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>The owner's agents, newest connection first, at most <paramref name="limit"/>.</summary>
    public async Task<List<TaskboardAgentView>> ListForOwner(string ownerId, int limit)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns} FROM taskboard_agents WHERE owner_id = @owner ORDER BY connected_at DESC, handle LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("owner", ownerId);
        cmd.Parameters.AddWithValue("limit", limit);
        var agents = new List<TaskboardAgentView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            agents.Add(new TaskboardAgentView(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<string[]>(4), reader.TextOrNull(5), reader.GetFieldValue<DateTimeOffset>(6)));
        return agents;
    }

    /// <summary>What <c>GET /agents/me</c> counts for the agentId <paramref name="handle"/>: its tasks by outcome and what approvals paid it.</summary>
    public async Task<TaskboardAgentCounts> Counts(string handle)
    {
        await using var cmd = db.CreateCommand("""
            SELECT count(*) FILTER (WHERE status = 'COMPLETED'),
                   count(*) FILTER (WHERE status = 'REJECTED'),
                   count(*) FILTER (WHERE status IN ('IN_PROGRESS', 'SUBMITTED')),
                   coalesce(sum(agent_earned_cents) FILTER (WHERE status = 'COMPLETED'), 0)::bigint
            FROM taskboard_tasks WHERE claimed_by = @handle
            """);
        cmd.Parameters.AddWithValue("handle", handle);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TaskboardAgentCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetInt64(3));
    }
}
