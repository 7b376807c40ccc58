#!/usr/bin/env bash
# Offset report-usage benchmark: wrk against the real stack started by ./run (loopback only),
# 1,000 approved links, 64 connections; the group-commit writer and the one-row-per-transaction
# baseline (Offset__UsageWriter__Mode=single) measured in the same invocation, on the same data.
# Usage: bench/run-offset.sh [duration, default 30s]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-30s}
LINKS=${BENCH_LINKS:-1000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DATA=${BENCH_DATA:-/tmp/actors-bench-offset}
OUT=$ROOT/bench/results
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v python3 >/dev/null || { echo "python3 is required for the setup" >&2; exit 1; }

# Ports of their own, so a developer's ./run on the defaults is untouched.
export ACTORS_DATA_DIR=$DATA ACTORS_PG_PORT=55632 ACTORS_SILO_HTTP_PORT=8380 ACTORS_SILO_PORT=11411 \
       ACTORS_GATEWAY_PORT=30300 ACTORS_API_PORT=5380
API=http://127.0.0.1:$ACTORS_API_PORT
rm -rf "$DATA"

RUN_PID=""
stop_stack() {
  [ -n "$RUN_PID" ] || return 0
  kill -TERM "$RUN_PID" 2>/dev/null || true
  wait "$RUN_PID" 2>/dev/null || true
  RUN_PID=""
}
trap stop_stack EXIT

start_stack() { # mode
  Offset__UsageWriter__Mode=$1 Logging__LogLevel__Default=Warning ./run >"$OUT/run-$1.log" 2>&1 &
  RUN_PID=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$API/health/ready" 2>/dev/null && return 0
    kill -0 "$RUN_PID" 2>/dev/null || { tail -n 40 "$OUT/run-$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the stack did not become ready" >&2; exit 1
}

rows() {
  . "$DATA/secrets.env"
  PGPASSWORD=$PG_APP_PASSWORD /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$ACTORS_PG_PORT" -U "$PG_APP_USER" -d actors -qtAc \
    "SELECT count(*) FROM usage_events"
}

measure() { # mode
  local before after
  before=$(rows)
  # Warm-up: activate the link grains and fill connection pools.
  LINKS_FILE="$OUT/links.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s bench/offset-report.lua "$API" >/dev/null
  before=$(rows)
  LINKS_FILE="$OUT/links.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/offset-report.lua "$API" | tee "$OUT/wrk-$1.txt"
  after=$(rows)
  echo "rows appended during the measured run ($1): $((after - before))" | tee -a "$OUT/wrk-$1.txt"
}

echo "== group commit (default) =="
ACTORS_SKIP_BUILD=${ACTORS_SKIP_BUILD:-} start_stack group
python3 bench/offset-setup.py "$API" "$DATA/mail" "$OUT/links.txt" "$LINKS" 10
measure group
stop_stack

echo "== one row per transaction (Offset__UsageWriter__Mode=single) =="
ACTORS_SKIP_BUILD=1 start_stack single
measure single
stop_stack
