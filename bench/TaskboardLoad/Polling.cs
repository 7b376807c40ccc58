using Actors.Bench.MarketLoad;

namespace Actors.Bench.TaskboardLoad;

/// <summary>
/// Phase 1: the poll beside the raw grain-read ceiling, in one run, each for the same time:
/// (a) <c>GET /taskboard/api/tasks/:id</c> of the OPEN tasks, keyless (one grain read, no SQL);
/// (b) <c>GET /taskboard/api/tasks?agentId=…&amp;status=OPEN&amp;limit=10</c> with that agent's key,
/// rotating over every agent. After a warm-up of each, they alternate in <see cref="Options.Slices"/>
/// slices (a, b, a, b, …) so that a disturbance of the shared machine falls on both alike.
/// </summary>
public static class Polling
{
    public static async Task<(Scenario Ceiling, Scenario Poll, IReadOnlyList<Scenario> Diagnosis)> Run(TaskboardApi api, Board board, Options o, ProcessCpu cpu)
    {
        var ceiling = new Scenario("(a) grain read: GET /tasks/:id", "read");
        var poll = new Scenario("(b) poll: GET /tasks?agentId&status=OPEN&limit=10", "poll");
        Task<Answer> Read(int k, long n) => api.ReadTask(board.OpenTasks[Index(k, n, o.Connections, board.OpenTasks.Length)]);
        Task<Answer> Poll(int k, long n)
        {
            var agent = board.Agents[Index(k, n, o.Connections, board.Agents.Length)];
            return api.Poll(agent.ApiKey, agent.Handle);
        }
        // --diagnose: where the poll's cost goes. (c) without the key (no authentication; the rate
        // limit per agentId and address instead), (d) without the key and the agentId, by the same
        // skills (no agent lookup either).
        Task<Answer> Keyless(int k, long n) => api.PollKeyless(board.Agents[Index(k, n, o.Connections, board.Agents.Length)].Handle, "");
        Task<Answer> BySkills(int k, long n) =>
            api.PollKeyless(null, string.Join(",", board.Agents[Index(k, n, o.Connections, board.Agents.Length)].Capabilities));
        var diagnosis = o.Diagnose
            ? new (Scenario Scenario, Func<int, long, Task<Answer>> Call)[]
            {
                (new Scenario("(c) poll without the key", "keyless"), Keyless),
                (new Scenario("(d) poll by skills, no key, no agentId", "skills"), BySkills),
            }
            : [];

        if (o.WarmupSeconds > 0)
        {
            var warmRead = await Closed.Run(o.Connections, o.WarmupSeconds, cpu, "read", Read, ceiling.Samples);
            var warmPoll = await Closed.Run(o.Connections, o.WarmupSeconds, cpu, "poll", Poll, poll.Samples);
            Console.WriteLine($"warm-up: (a) {Rate(warmRead)} req/s, (b) {Rate(warmPoll)} req/s");
        }
        var slice = (double)o.DurationSeconds / o.Slices;
        for (var s = 1; s <= o.Slices; s++)
        {
            var a = await Closed.Run(o.Connections, slice, cpu, "read", Read, ceiling.Samples);
            var b = await Closed.Run(o.Connections, slice, cpu, "poll", Poll, poll.Samples);
            ceiling.Stretches.Add(a);
            poll.Stretches.Add(b);
            var line = $"slice {s}: (a) {Rate(a)} req/s, (b) {Rate(b)} req/s";
            foreach (var (scenario, call) in diagnosis)
            {
                var d = await Closed.Run(o.Connections, slice, cpu, scenario.Type, call, scenario.Samples);
                scenario.Stretches.Add(d);
                line += $", {scenario.Name[..3]} {Rate(d)} req/s";
            }
            Console.WriteLine(line);
        }
        return (ceiling, poll, [.. diagnosis.Select(d => d.Scenario)]);
    }

    /// <summary>Loop k's n-th request takes item k + n × loops: every loop walks all the items, none twice in a row.</summary>
    static int Index(int k, long n, int loops, int count) => (int)((k + n * loops) % count);

    static string Rate(Stretch s)
    {
        var requests = Recorder.Merge(s.Recorders, []).Requests;
        return $"{requests / s.Seconds:0}";
    }
}
