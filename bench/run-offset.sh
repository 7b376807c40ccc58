#!/usr/bin/env bash
# Offset report-usage benchmark: wrk against the real stack started by ./run (loopback only),
# 1,000 approved links, 64 connections; the group-commit writer and the one-row-per-transaction
# baseline (Offset__UsageWriter__Mode=single) measured in the same invocation, on the same data.
# Usage: bench/run-offset.sh [duration, default 30s]
#   BENCH_MODES="group single"  which writers to measure (default both, in that order)
#   BENCH_REUSE=1               keep the data folder and its links from an earlier run (skips the setup)
# Besides wrk's numbers it prints the CPU time each process used during the measured run, per
# request (utime+stime from /proc/<pid>/stat): the number that stays meaningful on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${1:-30s}
LINKS=${BENCH_LINKS:-1000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DATA=${BENCH_DATA:-/tmp/actors-bench-offset}
MODES=${BENCH_MODES:-group single}
OUT=$ROOT/bench/results
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v python3 >/dev/null || { echo "python3 is required for the setup" >&2; exit 1; }

# Ports of their own, so a developer's ./run on the defaults is untouched.
export ACTORS_DATA_DIR=$DATA ACTORS_PG_PORT=55632 ACTORS_SILO_HTTP_PORT=8380 ACTORS_SILO_PORT=11411 \
       ACTORS_GATEWAY_PORT=30300 ACTORS_API_PORT=5380
API=http://127.0.0.1:$ACTORS_API_PORT
REUSE=""
if [ -n "${BENCH_REUSE:-}" ] && [ -s "$OUT/links.txt" ] && [ -f "$DATA/secrets.env" ]; then REUSE=1; else rm -rf "$DATA"; fi

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

# CPU ticks (utime+stime, children that exited included) of one process; of PostgreSQL: the
# postmaster and every backend of this cluster.
TICK=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local pm t; pm=$(head -n 1 "$DATA/postgres/postmaster.pid"); t=$(ticks "$pm")
  for c in $(ps -o pid= --ppid "$pm"); do t=$((t + $(ticks "$c"))); done
  echo "$t"
}

measure() { # mode
  local before after api silo a0 s0 p0 a1 s1 p1 requests wrk_cpu
  # Warm-up: activate the link grains and fill connection pools.
  LINKS_FILE="$OUT/links.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s bench/offset-report.lua "$API" >/dev/null
  before=$(rows)
  api=$(cat "$DATA/run/api.pid"); silo=$(cat "$DATA/run/silo.pid")
  a0=$(ticks "$api"); s0=$(ticks "$silo"); p0=$(pg_ticks)
  echo "== $(date -u +%FT%TZ) $1: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(wc -l <"$OUT/links.txt") links, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/wrk-$1.txt"
  # `times` in the subshell: the CPU wrk itself used (user and system, as children of the subshell).
  (LINKS_FILE="$OUT/links.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/offset-report.lua "$API"; times) | tee -a "$OUT/wrk-$1.txt"
  a1=$(ticks "$api"); s1=$(ticks "$silo"); p1=$(pg_ticks)
  after=$(rows)
  echo "rows appended during the measured run ($1): $((after - before))" | tee -a "$OUT/wrk-$1.txt"
  requests=$(awk '/requests in/ {print $1}' "$OUT/wrk-$1.txt")
  wrk_cpu=$(grep -E '^[0-9]+m[0-9.]+s [0-9]+m[0-9.]+s$' "$OUT/wrk-$1.txt" | tail -n 1 | awk '{ for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] } print s }')
  awk -v r="$requests" -v a=$((a1 - a0)) -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v w="$wrk_cpu" -v hz="$TICK" -v mode="$1" 'BEGIN {
    printf "cpu per request (%s, %d requests): api %.1f us, silo %.1f us, postgres %.1f us, wrk %.1f us; total %.1f us\n",
      mode, r, a / hz / r * 1e6, s / hz / r * 1e6, p / hz / r * 1e6, w / r * 1e6, ((a + s + p) / hz + w) / r * 1e6 }' | tee -a "$OUT/wrk-$1.txt"
}

first=1
for mode in $MODES; do
  echo "== writer: $mode =="
  if [ -n "$first" ] && [ -z "$REUSE" ]; then
    start_stack "$mode"
    python3 bench/offset-setup.py "$API" "$DATA/mail" "$OUT/links.txt" "$LINKS" 10
  else
    ACTORS_SKIP_BUILD=${ACTORS_SKIP_BUILD:-$([ -n "$first" ] || echo 1)} start_stack "$mode"
  fi
  measure "$mode"
  stop_stack
  first=""
done
