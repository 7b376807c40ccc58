#!/usr/bin/env bash
# Benchmarks POST /access/api/v1/agent/retrieve/authorize against the real stack started by
# ./run (own data folder and ports, so it does not collide with a developer's ./run):
# 1,000 organisations with one agnt_ key each, one tier-1 article, wrk over loopback.
#   bench/run-access.sh [duration=10s] [connections=64] [orgs=1000]
# Each authorize is a real ledger transfer, an access-token grain write and its reminder.
# The per-key limit (100/min) is left on: 1,000 keys allow 100,000 authorizations a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}; CONNECTIONS=${2:-64}; ORGS=${3:-1000}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }

export ACTORS_DATA_DIR=${ACTORS_BENCH_DATA:-/tmp/actors-bench-access}
export ACTORS_PG_PORT=55532 ACTORS_SILO_HTTP_PORT=8180 ACTORS_SILO_PORT=11211 ACTORS_GATEWAY_PORT=30100 ACTORS_API_PORT=5180
export ACTORS_ADMIN_TOKEN=${ACTORS_ADMIN_TOKEN:-bench-admin-$RANDOM$RANDOM}
API=http://127.0.0.1:$ACTORS_API_PORT
rm -rf "$ACTORS_DATA_DIR"
mkdir -p "$ACTORS_DATA_DIR"
LOG=$ACTORS_DATA_DIR/run.out

./run >"$LOG" 2>&1 &
RUN_PID=$!
trap 'kill -TERM $RUN_PID 2>/dev/null; wait $RUN_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  grep -q "Actors is running" "$LOG" && break
  kill -0 $RUN_PID 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 1
done
grep -q "Actors is running" "$LOG" || { echo "the stack did not start" >&2; exit 1; }

python3 bench/access-setup.py "$API" "$ACTORS_ADMIN_TOKEN" "$ORGS" bench/access-keys.lua
# Warm up: activate the org and key grains once before measuring.
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/access-authorize.lua "$API" >/dev/null
echo "== $(date -u +%FT%TZ) wrk -t2 -c$CONNECTIONS -d$DURATION, $ORGS orgs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/access-authorize.lua "$API"
if [ -n "${ACCESS_BENCH_PROFILE:-}" ]; then
  # CPU seconds each process used during a second run of the same length.
  cpu() { ps -o cputimes= -p "$1" 2>/dev/null | tr -d ' ' || echo 0; }
  pg=$(head -n1 "$ACTORS_DATA_DIR/postgres/postmaster.pid"); silo=$(cat "$ACTORS_DATA_DIR/run/silo.pid"); api=$(cat "$ACTORS_DATA_DIR/run/api.pid")
  pgcpu() { ps -o cputimes= --ppid "$pg" | awk '{s+=$1} END {print s+0}'; }
  s0=$(cpu "$silo"); a0=$(cpu "$api"); p0=$(pgcpu)
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/access-authorize.lua "$API" | grep -E "Requests/sec|non-2xx"
  echo "cpu seconds: silo $(( $(cpu "$silo") - s0 )), api $(( $(cpu "$api") - a0 )), postgres $(( $(pgcpu) - p0 ))"
fi
