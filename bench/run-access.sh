#!/usr/bin/env bash
# Benchmarks POST /access/api/v1/agent/retrieve/authorize against the real stack started by
# ./run (own data folder and ports, so it does not collide with a developer's ./run):
# ORGS organisations with KEYS agnt_ keys each, one tier-1 article, wrk over loopback.
#   bench/run-access.sh [duration=10s] [connections=64] [orgs=1000] [keys per org=5]
# Each authorize is a real ledger transfer committed with its access-token row.
# The per-key limit (100/min) is left on: 1,000 orgs × 5 keys allow 500,000 authorizations a
# minute, so a run at 10,000/s for 5 s warm-up + 15 s + 15 s (profile) stays under it.
# ACCESS_BENCH_PROFILE=1 adds a second run of the same length that reports the CPU time each
# process used (utime+stime from /proc) per authorization.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10s}; CONNECTIONS=${2:-64}; ORGS=${3:-1000}; KEYS=${4:-5}
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

python3 bench/access-setup.py "$API" "$ACTORS_ADMIN_TOKEN" "$ORGS" bench/access-keys.lua "$KEYS"
# Warm up: activate the org and key grains once before measuring.
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/access-authorize.lua "$API" >/dev/null
echo "== $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD) wrk -t2 -c$CONNECTIONS -d$DURATION, $ORGS orgs × $KEYS keys, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/access-authorize.lua "$API"
if [ -n "${ACCESS_BENCH_PROFILE:-}" ]; then
  # CPU time (utime+stime, clock ticks) of a process, or of every child of the postmaster.
  ticks() { awk '{s += $14 + $15} END {print s+0}' "$@" 2>/dev/null || echo 0; }
  pg=$(head -n1 "$ACTORS_DATA_DIR/postgres/postmaster.pid"); silo=$(cat "$ACTORS_DATA_DIR/run/silo.pid"); api=$(cat "$ACTORS_DATA_DIR/run/api.pid")
  pgticks() { local kids; kids=$(ps -o pid= --ppid "$pg" | sed 's|^ *\(.*\)|/proc/\1/stat|'); ticks /proc/$pg/stat $kids; }
  hz=$(getconf CLK_TCK)
  s0=$(ticks /proc/$silo/stat); a0=$(ticks /proc/$api/stat); p0=$(pgticks); t0=$(date +%s.%N)
  out=$( { /usr/bin/time -f "wrk-cpu %U %S" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/access-authorize.lua "$API"; } 2>&1 )
  s1=$(ticks /proc/$silo/stat); a1=$(ticks /proc/$api/stat); p1=$(pgticks); t1=$(date +%s.%N)
  echo "$out" | grep -E "Requests/sec|non-2xx|requests in"
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  wrkcpu=$(echo "$out" | awk '/wrk-cpu/ {print $2 + $3}')
  awk -v r="$reqs" -v hz="$hz" -v s=$((s1 - s0)) -v a=$((a1 - a0)) -v p=$((p1 - p0)) -v w="$wrkcpu" -v el="$(echo "$t1 - $t0" | bc)" 'BEGIN {
    printf "cpu seconds over %.1f s: silo %.2f, api %.2f, postgres %.2f, wrk %.2f (total %.2f of %.1f core-seconds)\n", el, s/hz, a/hz, p/hz, w, (s+a+p)/hz + w, 2*el;
    printf "cpu per authorization: silo %.0f us, api %.0f us, postgres %.0f us, wrk %.0f us, total %.0f us\n", s/hz/r*1e6, a/hz/r*1e6, p/hz/r*1e6, w/r*1e6, ((s+a+p)/hz + w)/r*1e6 }'
fi
