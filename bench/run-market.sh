#!/usr/bin/env bash
# Load benchmark of the market endpoints against the stack started by ./run (loopback only).
#   setup: registers $AGENTS agents with curl and keeps their API keys in a file
#   (a) GET  /market/api/agents/me      round-robin over those keys (bearer auth → ApiKeyGrain → AgentGrain)
#   (b) POST /market/api/agents/register (new grains, state writes and a directory row in PostgreSQL)
#   (c) GET  /market/api/agents?limit=20 (directory search: stateless worker grain → PostgreSQL)
# Each scenario runs wrk for $DURATION with $CONNECTIONS connections on $THREADS threads and
# prints wrk's latency distribution. Output is kept under bench/results/<timestamp>/ (git-ignored).
#
# Usage: ./run (in another terminal), then bench/run-market.sh [scenario ...]   (a b c by default)
# Environment: API_URL [http://127.0.0.1:5080] DURATION [25s] CONNECTIONS [64] THREADS [2]
#              AGENTS [200] WARMUP [5s]
set -euo pipefail
cd "$(dirname "$0")/.."

API_URL=${API_URL:-http://127.0.0.1:5080}
DURATION=${DURATION:-25s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
AGENTS=${AGENTS:-200}
WARMUP=${WARMUP:-5s}
SCENARIOS=("$@"); [ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(a b c)

case $API_URL in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
  *) echo "API_URL must be a loopback address (this benchmark is for the local stack)" >&2; exit 1 ;;
esac
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing wrk" >&2
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "wrk is required: sudo apt-get install -y wrk" >&2; exit 1
  fi
fi
curl -fsS -o /dev/null --max-time 5 "$API_URL/health/ready" ||
  { echo "the API at $API_URL is not ready: start the stack with ./run first" >&2; exit 1; }

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/$RUN_ID
mkdir -p "$OUT"
KEYS_FILE=$OUT/keys.txt
export KEYS_FILE RUN_ID

{
  echo "date:     $(date -u +%FT%TZ)"
  echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')"
  echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "wrk:      $(wrk -v 2>&1 | head -n 1)"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min load average before the run)"
  echo "settings: duration=$DURATION connections=$CONNECTIONS threads=$THREADS agents=$AGENTS warmup=$WARMUP"
} | tee "$OUT/environment.txt"

# ---------------------------------------------------------------------------- setup
needs_keys=false
for s in "${SCENARIOS[@]}"; do [ "$s" = a ] && needs_keys=true; done
if $needs_keys; then
  echo; echo "setup: registering $AGENTS agents"
  : >"$KEYS_FILE"
  for i in $(seq 1 "$AGENTS"); do
    response=$(curl -fsS --max-time 10 -H 'Content-Type: application/json' \
      -d "{\"name\":\"bench-key-$RUN_ID-$i\",\"description\":\"Benchmark agent $i\"}" \
      "$API_URL/market/api/agents/register")
    key=$(sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p' <<<"$response")
    [ -n "$key" ] || { echo "registration $i returned no apiKey: $response" >&2; exit 1; }
    echo "$key" >>"$KEYS_FILE"
  done
  echo "setup: $(wc -l <"$KEYS_FILE") keys in $KEYS_FILE"
  # Each key answers 200 before the load starts.
  first=$(head -n 1 "$KEYS_FILE")
  curl -fsS -o /dev/null -H "Authorization: Bearer $first" "$API_URL/market/api/agents/me"
fi

# ---------------------------------------------------------------------------- CPU accounting
# CPU seconds used by the silo, the API, PostgreSQL and wrk during each measured run, read
# from /proc (processes started by ./run: PIDs from its data folder). On a machine where
# everything shares the same cores this says which process the load was really waiting on.
DATA=${ACTORS_DATA_DIR:-.data}
TICKS=$(getconf CLK_TCK)
ticks_of() { # pid... -> utime+stime ticks (children threads included)
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
pg_ticks() { # the postmaster, its live children, and (cutime+cstime) the children that already exited
  local pm; pm=$(head -n 1 "$DATA/postgres/postmaster.pid" 2>/dev/null) || { echo 0; return; }
  [ -r "/proc/$pm/stat" ] || { echo 0; return; }
  echo $(( $(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat") + $(ticks_of $(ps -o pid= --ppid "$pm" 2>/dev/null)) ))
}
snapshot() { # -> "silo api postgres" ticks
  echo "$(ticks_of $(cat "$DATA/run/silo.pid" 2>/dev/null)) $(ticks_of $(cat "$DATA/run/api.pid" 2>/dev/null)) $(pg_ticks)"
}
wall_of() { awk -v d="$1" 'BEGIN { n = d + 0; u = substr(d, length(n "") + 1); print (u == "m" ? n * 60 : u == "h" ? n * 3600 : n) }'; }

# ---------------------------------------------------------------------------- scenarios
run_wrk() { # name duration wrk-args...
  local name=$1 duration=$2; shift 2
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$duration" --timeout 10s --latency "$@"
}
scenario() { # id title wrk-args...
  local id=$1 title=$2; shift 2
  echo; echo "=== ($id) $title"
  echo "\$ wrk -t $THREADS -c $CONNECTIONS -d $DURATION --timeout 10s --latency $*"
  # A short warm-up first (JIT, grain activation, connection pools), not recorded.
  run_wrk "$id" "$WARMUP" "$@" >/dev/null
  local before after wall wrk_cpu
  before=$(snapshot)
  TIMEFORMAT='%U %S'
  { time run_wrk "$id" "$DURATION" "$@" >"$OUT/$id.txt" 2>&1; } 2>"$OUT/$id.wrk-cpu"
  after=$(snapshot)
  cat "$OUT/$id.txt"
  wall=$(wall_of "$DURATION")
  read -r wu ws <"$OUT/$id.wrk-cpu"
  set -- $before $after
  awk -v t="$TICKS" -v w="$wall" -v s0="$1" -v a0="$2" -v p0="$3" -v s1="$4" -v a1="$5" -v p1="$6" -v wu="$wu" -v ws="$ws" \
    'BEGIN { printf "CPU during the run (100%% = one core): silo %.0f%%, API %.0f%%, PostgreSQL %.0f%%, wrk %.0f%%\n",
             100 * (s1 - s0) / t / w, 100 * (a1 - a0) / t / w, 100 * (p1 - p0) / t / w, 100 * (wu + ws) / w }' \
    | tee -a "$OUT/$id.txt"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/$id.txt"
}

for s in "${SCENARIOS[@]}"; do
  case $s in
    a) scenario a "GET /market/api/agents/me, round-robin over $AGENTS keys" -s bench/me.lua "$API_URL/market/api/agents/me" ;;
    b) scenario b "POST /market/api/agents/register" -s bench/register.lua "$API_URL/market/api/agents/register" ;;
    c) total=$(curl -fsS "$API_URL/market/api/agents?limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
       echo; echo "directory size before (c): ${total:-?} agents (every search counts the matching rows)"
       scenario c "GET /market/api/agents?limit=20" "$API_URL/market/api/agents?limit=20" ;;
    *) echo "unknown scenario $s (a, b or c)" >&2; exit 1 ;;
  esac
done

# ---------------------------------------------------------------------------- summary
echo; echo "=== summary ($OUT)"
printf '%-10s %12s %10s %10s %10s %10s\n' scenario 'req/s' p50 p90 p99 non-2xx
for s in "${SCENARIOS[@]}"; do
  f=$OUT/$s.txt
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$f")
  p50=$(awk '$1 == "50%" {print $2}' "$f"); p90=$(awk '$1 == "90%" {print $2}' "$f"); p99=$(awk '$1 == "99%" {print $2}' "$f")
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$f"); errors=$(grep -o 'Socket errors:.*' "$f" || true)
  cpu=$(sed -n 's/^CPU during the run (100% = one core): //p' "$f")
  printf '%-10s %12s %10s %10s %10s %10s  %s %s\n' "$s" "$rps" "$p50" "$p90" "$p99" "${bad:-0}" "$cpu" "$errors"
done | tee "$OUT/summary.txt"
