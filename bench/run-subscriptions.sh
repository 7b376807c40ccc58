#!/usr/bin/env bash
# The subscriptions benchmark (issue 16): builds Release, starts its own stack with ./run (PostgreSQL
# with its data under a temp folder, one silo, one API, on ports of their own, so it does not collide
# with a developer's ./run) with a compressed hour (Subscriptions__HourLength: one hour of
# runIntervalHours lasts HOUR_LENGTH) and the default sweep settings (reminders drive the runs, the
# sweep only catches stragglers), then runs bench/SubscriptionLoad against it:
#   registers PROVIDERS providers listing SERVICES_PER_PROVIDER SUBSCRIPTION services each
#   (runIntervalHours 1, $1.00 a month) and SUBSCRIBERS subscribers, funds each wallet with its first
#   month, POSTs SUBSCRIBERS × PER_SUBSCRIBER subscriptions (at most CONCURRENCY at a time, paced
#   evenly over one interval so that the runs then come at a steady rate), then observes
#   ROUNDS intervals: 90 % of the new runs are reported COMPLETED by their provider over HTTP (run ids
#   read from PostgreSQL), the rest left to be MISSED. Reports subscribe/s, p50/p99, CPU per subscribe;
#   per slot, runs with one / none / more; the lag started_at − scheduled_at (p50 … max); MISSED as
#   expected; the silo's RSS and SubscriptionGrain activations every 10 s; CPU per run.
# Output under bench/results/<timestamp>/ (git-ignored): subscriptions.txt/.json, environment.txt.
#
# Usage: bench/run-subscriptions.sh [subscribers=100] [per-subscriber=100] [rounds=3] [hour-length=00:02:00]
# Environment: PROVIDERS [50]  SERVICES_PER_PROVIDER [20]  CONCURRENCY [32]
#              ACTORS_BENCH_DATA [/tmp/actors-bench-subscriptions] (deleted first)
#              ACTORS_SKIP_BUILD=1 (use the existing Release build)  SUBSCRIPTION_LOAD_ARGS (more SubscriptionLoad options)
#              Subscriptions__* (e.g. Subscriptions__SweepGrace=00:00:00): passed on to the silo by ./run
set -euo pipefail
cd "$(dirname "$0")/.."
SUBSCRIBERS=${1:-100}; PER_SUBSCRIBER=${2:-100}; ROUNDS=${3:-3}; HOUR_LENGTH=${4:-00:02:00}
PROVIDERS=${PROVIDERS:-50}; SERVICES_PER_PROVIDER=${SERVICES_PER_PROVIDER:-20}; CONCURRENCY=${CONCURRENCY:-32}

export Subscriptions__HourLength=$HOUR_LENGTH
export ACTORS_DATA_DIR=${ACTORS_BENCH_DATA:-/tmp/actors-bench-subscriptions}
export ACTORS_PG_PORT=55732 ACTORS_SILO_HTTP_PORT=8480 ACTORS_SILO_PORT=11511 ACTORS_GATEWAY_PORT=30400 ACTORS_API_PORT=5480
API=http://127.0.0.1:$ACTORS_API_PORT

. bench/stack.sh
bench_results "subscribers=$SUBSCRIBERS per-subscriber=$PER_SUBSCRIBER rounds=$ROUNDS providers=$PROVIDERS services-per-provider=$SERVICES_PER_PROVIDER concurrency=$CONCURRENCY ${SUBSCRIPTION_LOAD_ARGS:-}" \
  "silo:     $(env | grep '^Subscriptions__' | sort | tr '\n' ' ')"
bench_build bench/SubscriptionLoad/SubscriptionLoad.csproj
bench_start_stack

set +e
# shellcheck disable=SC2086
dotnet bench/SubscriptionLoad/bin/Release/net10.0/SubscriptionLoad.dll --url "$API" --data-dir "$ACTORS_DATA_DIR" \
  --pg-port "$ACTORS_PG_PORT" --hour-length "$HOUR_LENGTH" --providers "$PROVIDERS" --services-per-provider "$SERVICES_PER_PROVIDER" \
  --subscribers "$SUBSCRIBERS" --per-subscriber "$PER_SUBSCRIBER" --rounds "$ROUNDS" --concurrency "$CONCURRENCY" \
  --out "$OUT/subscriptions.json" ${SUBSCRIPTION_LOAD_ARGS:-} | tee "$OUT/subscriptions.txt"
rc=${PIPESTATUS[0]}
set -e
# The silo's own warnings and errors (a failed wake, a reminder that could not be set, a slow turn).
{
  echo "silo log: $(grep -cE '^(warn|fail|crit):' "$ACTORS_DATA_DIR/logs/silo.log" || true) warnings/errors"
  grep -A1 -E '^(warn|fail|crit):' "$ACTORS_DATA_DIR/logs/silo.log" | cut -c1-240 | head -n 20 | sed 's/^/  /' || true
} | tee -a "$OUT/subscriptions.txt"
echo "uptime after: $(uptime)" | tee -a "$OUT/environment.txt"
echo "results: $OUT"
exit "$rc"
