#!/usr/bin/env bash
# The market's money benchmark (issue 13), beside access's authorize in the same run:
#   (1) bench/MarketLoad against the stack ./run started (loopback only): registers PAIRS agent
#       pairs (the worker lists one service, the buyer is funded by deposits), then runs full job
#       lifecycles — POST /market/api/agents/hire, PATCH /market/api/jobs/:id accept, start,
#       deliver, complete — at CONNECTIONS connections for DURATION after a WARMUP; reports
#       lifecycles/s, requests/s, p50/p90/p99 per request type, failures, and the CPU each
#       process (silo, API, PostgreSQL, the generator) used per request, from /proc; then
#       PHASE_JOBS more lifecycles one step at a time (all hires, then all accepts, …), each
#       step measured on its own: the CPU per request of each request type.
#   (2) bench/run-access.sh with ACCESS_BENCH_PROFILE=1 (it starts its own stack on its own
#       ports and data folder, and stops it): authorize's req/s, p99 and CPU per authorization.
# Output under bench/results/<timestamp>/ (git-ignored): market-money.txt/.json, access.txt,
# environment.txt and summary.txt with the two CPU-per-request figures side by side.
#
# Usage: ./run (in another terminal), then bench/run-market-money.sh [duration=30s] [connections=64] [pairs=1000]
# Environment: API_URL [http://127.0.0.1:5080]  ACTORS_DATA_DIR (of that ./run) [.data]  WARMUP [5s]
#              PHASE_JOBS [1000] (0 skips the one-step-at-a-time phases)
#              ACCESS [1] (0 skips (2))  ACCESS_ORGS [1000]  ACCESS_KEYS [5]
#              MARKET_LOAD_ARGS (more MarketLoad options, e.g. --idempotency-keys or --price 500)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30s}; CONNECTIONS=${2:-64}; PAIRS=${3:-1000}
API_URL=${API_URL:-http://127.0.0.1:5080}
DATA=${ACTORS_DATA_DIR:-.data}
WARMUP=${WARMUP:-5s}

case $API_URL in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
  *) echo "API_URL must be a loopback address (this benchmark is for the local stack)" >&2; exit 1 ;;
esac
curl -fsS -o /dev/null --max-time 5 "$API_URL/health/ready" ||
  { echo "the API at $API_URL is not ready: start the stack with ./run first" >&2; exit 1; }

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/$RUN_ID
mkdir -p "$OUT"
{
  echo "date:     $(date -u +%FT%TZ)"
  echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')"
  echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "uptime:   $(uptime)"
  echo "settings: duration=$DURATION connections=$CONNECTIONS pairs=$PAIRS warmup=$WARMUP ${MARKET_LOAD_ARGS:-}"
} | tee "$OUT/environment.txt"

echo; echo "== (1) market money: building bench/MarketLoad"
dotnet build bench/MarketLoad/MarketLoad.csproj -c Release -v q -nologo 2>&1 | grep -E "error|warn" && exit 1
# shellcheck disable=SC2086
dotnet bench/MarketLoad/bin/Release/net10.0/MarketLoad.dll --url "$API_URL" --data-dir "$DATA" \
  --pairs "$PAIRS" --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
  --phases "${PHASE_JOBS:-1000}" --out "$OUT/market-money.json" ${MARKET_LOAD_ARGS:-} | tee "$OUT/market-money.txt"

if [ "${ACCESS:-1}" != 0 ]; then
  echo; echo "== (2) access authorize (its own stack: bench/run-access.sh $DURATION $CONNECTIONS ${ACCESS_ORGS:-1000} ${ACCESS_KEYS:-5})"
  echo "uptime before: $(uptime)" | tee "$OUT/access.txt"
  # The build is the one ./run above runs from; both stacks are this worktree's binaries.
  ACCESS_BENCH_PROFILE=1 ACTORS_SKIP_BUILD=1 bench/run-access.sh "$DURATION" "$CONNECTIONS" "${ACCESS_ORGS:-1000}" "${ACCESS_KEYS:-5}" \
    2>&1 | tee -a "$OUT/access.txt"
fi

# ---------------------------------------------------------------------------- summary
{
  echo "== summary ($OUT)"
  m=$OUT/market-money.txt
  echo "market: $(grep -m1 '^lifecycles:' "$m")"
  awk '/^cpu seconds/ {done = 1} !done && on && NF >= 8 {printf "  %-9s p50 %s ms  p99 %s ms  %s req/s  failed %s\n", $1, $4, $6, $3, $8} /^request / {on = 1}' "$m"
  echo "market $(grep -m1 '^cpu per request:' "$m")"
  sed -n '/^== one step at a time/,/^written:/p' "$m" | grep -v '^written:' || true
  if [ -f "$OUT/access.txt" ]; then
    a=$OUT/access.txt
    echo "access: $(grep -m1 '^Requests/sec:' "$a" | awk '{print $2}') authorizations/s, p50 $(awk '$1 == "50%" {print $2; exit}' "$a"), p99 $(awk '$1 == "99%" {print $2; exit}' "$a")"
    echo "access $(grep -m1 '^cpu per authorization:' "$a" || echo 'cpu per authorization: (not measured)')"
  fi
} | tee "$OUT/summary.txt"
