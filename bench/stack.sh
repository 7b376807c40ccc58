# Sourced by the benchmarks that start a stack of their own and keep their results (run-bidding.sh,
# run-subscriptions.sh), after they export ACTORS_DATA_DIR and the ACTORS_*_PORT variables:
#   bench_results SETTINGS [LINE]        OUT=bench/results/<timestamp>, environment.txt written there
#   bench_build PROJECT                  builds the stack (unless ACTORS_SKIP_BUILD) and the load generator
#   bench_start_stack                    deletes ACTORS_DATA_DIR, starts ./run, waits until it runs;
#                                        the stack is stopped when the calling script exits

bench_results() {
  OUT=bench/results/$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p "$OUT"
  {
    echo "date:     $(date -u +%FT%TZ)"
    echo "commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')"
    echo "machine:  $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
    echo "uptime:   $(uptime)"
    echo "settings: $1"
    if [ -n "${2:-}" ]; then echo "$2"; fi
  } | tee "$OUT/environment.txt"
}

bench_build() {
  if [ -z "${ACTORS_SKIP_BUILD:-}" ]; then
    echo "== building the stack (Release)"
    dotnet build Actors.sln -c Release -v q -nologo 2>&1 | grep -E "error|warn" && exit 1
  fi
  echo "== building $1"
  dotnet build "$1" -c Release -v q -nologo 2>&1 | grep -E "error|warn" && exit 1
  return 0
}

bench_start_stack() {
  rm -rf "$ACTORS_DATA_DIR"
  mkdir -p "$ACTORS_DATA_DIR"
  LOG=$ACTORS_DATA_DIR/run.out
  ACTORS_SKIP_BUILD=1 ./run >"$LOG" 2>&1 &
  RUN_PID=$!
  trap 'kill -TERM $RUN_PID 2>/dev/null; wait $RUN_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 240); do
    grep -qs "Actors is running" "$LOG" && break
    kill -0 $RUN_PID 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 1
  done
  grep -q "Actors is running" "$LOG" || { echo "the stack did not start" >&2; tail -n 40 "$LOG" >&2; exit 1; }
}
