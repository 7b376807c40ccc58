using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Actors.Grains.Taskboard;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Actors.Api.Surfaces.Taskboard;

/// <summary>
/// The poll's answers as this API process last had them from the board, so that agents polling
/// alike cost no board call and no serialization between the board's refreshes:
/// <list type="bullet">
/// <item>each page, as the JSON it is sent as, for as long as the board said it keeps that page
/// itself (<see cref="TaskPollPage.FreshFor"/>: a page served from here is never older than one the
/// board would serve). Its key is the request's filters as sent plus, for a poll by
/// <c>agentId</c>, that agent's capabilities: the same key always has the same page, whoever asks;</item>
/// <item>for a poll by agentId, the agent's capabilities from its grain (one small call, which also
/// says whether it exists), kept for <see cref="TaskboardApiOptions.AgentCacheFor"/> as a key's
/// resolution is kept (<c>Auth:KeyCacheFor</c>): a capability changed through another API replica
/// counts within that time, one changed through this replica at once (<see cref="Forget"/>).</item>
/// </list>
/// Everything else (filters checked, unknown agents, what the skills default to) is the board's:
/// only pages it gave are reused. Both maps are bounded; past their size they start over.
/// </summary>
public sealed class TaskboardPolls(IClusterClient orleans, IOptions<TaskboardApiOptions> options, IOptions<HttpJsonOptions> json)
{
    const int MaxPages = 1_000;
    const int MaxAgents = 100_000;

    readonly ConcurrentDictionary<string, PolledPage> _pages = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, ResolvedAgent> _agents = new(StringComparer.Ordinal);
    readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    // Stands for "no agentId" in a key (capabilities are letters: never this).
    const string NoAgent = "-";

    sealed record ResolvedAgent(string Skills, long Until);

    public async Task<IResult> Answer(TaskPoll poll)
    {
        var handle = poll.AgentId is null ? null : TaskboardHandle.Normalize(poll.AgentId);
        // A poll by agentId whose agent is unknown (or whose agentId is no handle) has no key: the board answers it (404, 400).
        var agentSkills = poll.AgentId is null ? NoAgent : handle is null ? null : await SkillsOf(handle);
        var key = agentSkills is null ? null : KeyOf(poll, agentSkills);
        if (key is not null && _pages.TryGetValue(key, out var kept) && kept.Until > Environment.TickCount64)
            return new PollAnswer(Encoded(handle), kept);

        var result = await orleans.GetGrain<ITaskRegistryGrain>(ITaskRegistryGrain.Key).Poll(poll);
        if (result.Problem is { } problem) return TaskboardErrors.From(problem);
        var answer = result.Value!;
        var page = PolledPage.Of(answer, Environment.TickCount64 + (long)answer.FreshFor.TotalMilliseconds, _json);
        // Kept only when the board used the skills the key says (for a poll by agentId: the agent's
        // capabilities as this process knows them; a change in between is not kept under the old ones).
        if (key is not null && answer.FreshFor > TimeSpan.Zero && (agentSkills == NoAgent || string.Join(',', answer.Skills) == agentSkills))
            Keep(_pages, MaxPages, key, page);
        return new PollAnswer(Encoded(answer.AgentHandle), page);
    }

    /// <summary>An agent connected or re-authenticated through this replica: its capabilities may have changed.</summary>
    public void Forget(string agentHandle) => _agents.TryRemove(agentHandle, out _);

    /// <summary>The agent's capabilities (kept from its grain for <see cref="TaskboardApiOptions.AgentCacheFor"/>); null for an agent never connected.</summary>
    async ValueTask<string?> SkillsOf(string handle)
    {
        if (_agents.TryGetValue(handle, out var known) && known.Until > Environment.TickCount64) return known.Skills;
        if (await orleans.GetGrain<ITaskboardAgentGrain>(TaskboardHandle.GrainId(handle)).Get() is not { } agent) return null;
        var skills = string.Join(',', agent.Capabilities);
        var keepFor = options.Value.AgentCacheFor;
        if (keepFor > TimeSpan.Zero) Keep(_agents, MaxAgents, handle, new ResolvedAgent(skills, Environment.TickCount64 + (long)keepFor.TotalMilliseconds));
        return skills;
    }

    /// <summary>The request's filters as sent, and whose skills a poll by agentId stands for.</summary>
    static string KeyOf(TaskPoll poll, string agentSkills) =>
        string.Join('\u001f', poll.Skills ?? "\u0000", poll.Status ?? "\u0000", Text(poll.MinReward), Text(poll.MaxReward),
            Text(poll.Limit), Text(poll.Offset), agentSkills);

    static string Text<T>(T? value) where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "\u0000";

    static void Keep<T>(ConcurrentDictionary<string, T> map, int max, string key, T value)
    {
        if (map.Count >= max) map.Clear();
        map[key] = value;
    }

    byte[] Encoded(string? handle) => handle is null ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(handle, _json);
}

/// <summary>
/// One page as sent: <c>polling.filters</c>, and <c>tasks</c> with <c>pagination</c> (the object's
/// members without its opening brace), serialized once with the API's JSON options.
/// </summary>
public sealed record PolledPage(byte[] Filters, byte[] TasksAndPagination, long Until)
{
    public static PolledPage Of(TaskPollPage page, long until, JsonSerializerOptions json)
    {
        var body = PollResponse.From(page);
        var rest = JsonSerializer.SerializeToUtf8Bytes(new PollRest(body.Tasks, body.Pagination), json);
        return new PolledPage(JsonSerializer.SerializeToUtf8Bytes(body.Polling.Filters, json), rest[1..], until);
    }

    sealed record PollRest(IReadOnlyList<PolledTask> Tasks, Pagination Pagination);
}

/// <summary>
/// The seed's poll answer, <see cref="PollResponse"/>, written from a <see cref="PolledPage"/> and
/// the asking agent's handle: <c>{"success":true,"polling":{"agentId":…,"filters":…},"tasks":…,"pagination":…}</c>.
/// </summary>
sealed class PollAnswer(byte[] agentHandle, PolledPage page) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = http.Response.BodyWriter;
        body.Write("{\"success\":true,\"polling\":{\"agentId\":"u8);
        body.Write(agentHandle);
        body.Write(",\"filters\":"u8);
        body.Write(page.Filters);
        body.Write("},"u8);
        body.Write(page.TasksAndPagination);
        return body.FlushAsync(http.RequestAborted).AsTask();
    }
}
