#!/usr/bin/env bash
# The webhook delivery benchmark (issue 14's Throughput bullet): bench/WebhookLoad against the
# stack ./run started (loopback only), whose silo must allow loopback receivers:
#   Webhooks__AllowPrivateNetworks=true ./run        (in another terminal; ./run passes its environment on)
# WebhookLoad starts RECEIVERS HTTP receivers in its own process (Kestrel on 127.0.0.1, one port
# each): all fast (200 at once) but SLOW slow ones (200 after SLOW_MS) and DOWN down ones (a port
# nothing listens on); registers one agent and webhook per receiver (POST /market/api/agents/register,
# POST /market/api/agents/me/webhooks), writes EVENTS_PER_RECEIVER events per agent straight into
# webhook_events with one INSERT, and reports the time to the last fast and slow delivery, events/s,
# insert -> receipt p50/p90/p99 per receiver class, signature checks, the attempts made to the down
# receiver, and the CPU of silo, API and PostgreSQL over the window (from /proc) per delivery.
# Output under bench/results/<timestamp>/ (git-ignored): webhooks.txt/.json, environment.txt.
#
# Usage: bench/run-webhooks.sh [receivers=100] [slow=5] [down=1] [events-per-receiver=100]
# Environment: API_URL [http://127.0.0.1:5080]  ACTORS_DATA_DIR (of that ./run) [.data]
#              ACTORS_PG_PORT (of that ./run) [55432]  SLOW_MS [2000]  TIMEOUT [180] (seconds)
#              ORDER [interleaved] (by-agent: each agent's events written together)
set -euo pipefail
cd "$(dirname "$0")/.."
RECEIVERS=${1:-100}; SLOW=${2:-5}; DOWN=${3:-1}; PER=${4:-100}
API_URL=${API_URL:-http://127.0.0.1:5080}
DATA=${ACTORS_DATA_DIR:-.data}

case $API_URL in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
  *) echo "API_URL must be a loopback address (this benchmark is for the local stack)" >&2; exit 1 ;;
esac
curl -fsS -o /dev/null --max-time 5 "$API_URL/health/ready" ||
  { echo "the API at $API_URL is not ready: start the stack with Webhooks__AllowPrivateNetworks=true ./run first" >&2; exit 1; }
silo_pid=$(cat "$DATA/run/silo.pid" 2>/dev/null || true)
if [ -n "$silo_pid" ] && [ -r "/proc/$silo_pid/environ" ] &&
   ! tr '\0' '\n' <"/proc/$silo_pid/environ" | grep -qix 'Webhooks__AllowPrivateNetworks=true'; then
  echo "the silo (pid $silo_pid) runs without Webhooks__AllowPrivateNetworks=true: deliveries to 127.0.0.1 would be refused" >&2
  echo "restart it: Webhooks__AllowPrivateNetworks=true ./run" >&2; exit 1
fi

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/$RUN_ID
mkdir -p "$OUT"
{
  echo "date:     $(date -u +%FT%TZ)"
  echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')"
  echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "uptime:   $(uptime)"
  echo "settings: receivers=$RECEIVERS slow=$SLOW down=$DOWN events-per-receiver=$PER slow-ms=${SLOW_MS:-2000} order=${ORDER:-interleaved}"
} | tee "$OUT/environment.txt"

echo; echo "== building bench/WebhookLoad"
dotnet build bench/WebhookLoad/WebhookLoad.csproj -c Release -v q -nologo 2>&1 | grep -E "error|warn" && exit 1
set +e
dotnet bench/WebhookLoad/bin/Release/net10.0/WebhookLoad.dll --url "$API_URL" --data-dir "$DATA" \
  --pg-port "${ACTORS_PG_PORT:-55432}" --receivers "$RECEIVERS" --slow "$SLOW" --down "$DOWN" \
  --events-per-receiver "$PER" --slow-ms "${SLOW_MS:-2000}" --timeout "${TIMEOUT:-180}" \
  --order "${ORDER:-interleaved}" --out "$OUT/webhooks.json" | tee "$OUT/webhooks.txt"
rc=${PIPESTATUS[0]}
set -e
echo "uptime after: $(uptime)" | tee -a "$OUT/environment.txt"
echo "results: $OUT"
exit "$rc"
