#!/usr/bin/env bash
# The taskboard benchmark (issue 17): builds Release, starts its own stack with ./run (PostgreSQL
# with its data under a temp folder, one silo, one API, on ports of their own, so it does not
# collide with a developer's ./run) with the per-agent poll limit and the per-address connect limit
# raised (Taskboard__PollsPerMinute, Taskboard__ConnectsPerHourPerAddress: every agent of the
# benchmark polls and connects from 127.0.0.1, far above the 60 polls a minute one real agent may
# make), then runs bench/TaskboardLoad against it:
#   setup over HTTP: one client signs up by magic link and funds its wallet (deposit checkout +
#   the sandbox page's POST), mints AGENTS registration tokens, AGENTS agents connect
#   (capabilities spread over the eight), the client posts TASKS tasks (skills spread);
#   phase 1, side by side, DURATION each in alternating slices at CONNECTIONS connections:
#     (a) the raw grain-read ceiling: GET /taskboard/api/tasks/<id> of the OPEN tasks, keyless;
#     (b) the poll: GET /taskboard/api/tasks?agentId=<agent>&status=OPEN&limit=10 with that
#         agent's key, rotating over the AGENTS agents;
#     req/s, p50/p99, CPU per request (silo, API, PostgreSQL, the generator, from /proc), b/a against 0.8;
#   phase 2: WORKERS concurrent loops of post (client) → claim → deliver (agent) → approve
#     (client) for LIFECYCLE_DURATION: lifecycles/s, p50/p99 per step, CPU per lifecycle;
#   checks: every lifecycle task COMPLETED, the ledger sums to zero, each agent's earnings
#     (approvals = its wallet = the table = /agents/me), the client's wallet (exit code 3 if not).
# Output under bench/results/<timestamp>/ (git-ignored): taskboard.txt/.json, environment.txt.
#
# Usage: bench/run-taskboard.sh [agents=1000] [tasks=500] [duration=30] [connections=64] [workers=32] [lifecycle-duration=30]
# Environment: ACTORS_BENCH_DATA [/tmp/actors-bench-taskboard] (deleted first)
#              ACTORS_SKIP_BUILD=1 (use the existing Release build)  TASKBOARD_LOAD_ARGS (more TaskboardLoad options)
#              Taskboard__* (e.g. Taskboard__PollCacheFor=00:00:00): passed on to the silo and the API by ./run
set -euo pipefail
cd "$(dirname "$0")/.."
AGENTS=${1:-1000}; TASKS=${2:-500}; DURATION=${3:-30}; CONNECTIONS=${4:-64}; WORKERS=${5:-32}; LIFECYCLE_DURATION=${6:-30}

export Taskboard__PollsPerMinute=${Taskboard__PollsPerMinute:-1000000}
export Taskboard__ConnectsPerHourPerAddress=${Taskboard__ConnectsPerHourPerAddress:-1000000}
export ACTORS_DATA_DIR=${ACTORS_BENCH_DATA:-/tmp/actors-bench-taskboard}
export ACTORS_PG_PORT=55832 ACTORS_SILO_HTTP_PORT=8580 ACTORS_SILO_PORT=11611 ACTORS_GATEWAY_PORT=30500 ACTORS_API_PORT=5580
API=http://127.0.0.1:$ACTORS_API_PORT

. bench/stack.sh
bench_results "agents=$AGENTS tasks=$TASKS duration=$DURATION connections=$CONNECTIONS workers=$WORKERS lifecycle-duration=$LIFECYCLE_DURATION ${TASKBOARD_LOAD_ARGS:-}" \
  "stack:    $(env | grep '^Taskboard__' | sort | tr '\n' ' ')"
bench_build bench/TaskboardLoad/TaskboardLoad.csproj
bench_start_stack

set +e
# shellcheck disable=SC2086
dotnet bench/TaskboardLoad/bin/Release/net10.0/TaskboardLoad.dll --url "$API" --data-dir "$ACTORS_DATA_DIR" --pg-port "$ACTORS_PG_PORT" \
  --agents "$AGENTS" --tasks "$TASKS" --duration "$DURATION" --connections "$CONNECTIONS" --workers "$WORKERS" \
  --lifecycle-duration "$LIFECYCLE_DURATION" --out "$OUT/taskboard.json" ${TASKBOARD_LOAD_ARGS:-} | tee "$OUT/taskboard.txt"
rc=${PIPESTATUS[0]}
set -e
# The stack's own warnings and errors (a failed wake, a reminder that could not be set, a slow turn).
{
  for log in silo api; do
    echo "$log log: $(grep -cE '^(warn|fail|crit):' "$ACTORS_DATA_DIR/logs/$log.log" || true) warnings/errors"
    grep -A1 -E '^(warn|fail|crit):' "$ACTORS_DATA_DIR/logs/$log.log" | cut -c1-240 | head -n 20 | sed 's/^/  /' || true
  done
} | tee -a "$OUT/taskboard.txt"
echo "uptime after: $(uptime)" | tee -a "$OUT/environment.txt"
echo "results: $OUT"
exit "$rc"
