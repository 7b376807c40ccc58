#!/usr/bin/env bash
# The bid storm benchmark (issue 15): builds Release, starts its own stack with ./run (PostgreSQL
# with its data under a temp folder, one silo, one API, on ports of their own, so it does not
# collide with a developer's ./run), then runs bench/BidLoad against it:
#   registers BIDDERS bidders and POSTERS posters, creates ROUNDS+1 hot posts and POSTS spread
#   posts (standard auctions: no instant accept), then round after round
#     (a) hot post: every bidder bids once on ONE post (round r's own post), CONNECTIONS at a time;
#     (b) spread:   the same number of bids, one per post over POSTS posts;
#   alternating (a) and (b), round 0 of each a warm-up; then
#     (c) the price-update storm: every bidder PATCHes its price once on each measured hot post.
#   Each bid is answered only once durable; afterwards every post's totalBids is checked against
#   the bids acknowledged on it. Reports bids/s, p50/p95/p99, errors, and the CPU per request of
#   the silo, the API, PostgreSQL and the generator (from /proc) per scenario.
# Output under bench/results/<timestamp>/ (git-ignored): bidding.txt/.json, environment.txt.
#
# Usage: bench/run-bidding.sh [bidders=1000] [connections=64] [posts=1000] [rounds=5]
# Environment: POSTERS [100]  ACTORS_BENCH_DATA [/tmp/actors-bench-bidding] (deleted first)
#              ACTORS_SKIP_BUILD=1 (use the existing Release build)  BID_LOAD_ARGS (more BidLoad options)
set -euo pipefail
cd "$(dirname "$0")/.."
BIDDERS=${1:-1000}; CONNECTIONS=${2:-64}; POSTS=${3:-1000}; ROUNDS=${4:-5}
POSTERS=${POSTERS:-100}

export ACTORS_DATA_DIR=${ACTORS_BENCH_DATA:-/tmp/actors-bench-bidding}
export ACTORS_PG_PORT=55632 ACTORS_SILO_HTTP_PORT=8280 ACTORS_SILO_PORT=11311 ACTORS_GATEWAY_PORT=30200 ACTORS_API_PORT=5280
API=http://127.0.0.1:$ACTORS_API_PORT

. bench/stack.sh
bench_results "bidders=$BIDDERS connections=$CONNECTIONS posts=$POSTS rounds=$ROUNDS posters=$POSTERS ${BID_LOAD_ARGS:-}"
bench_build bench/BidLoad/BidLoad.csproj
bench_start_stack

set +e
# shellcheck disable=SC2086
dotnet bench/BidLoad/bin/Release/net10.0/BidLoad.dll --url "$API" --data-dir "$ACTORS_DATA_DIR" \
  --bidders "$BIDDERS" --posters "$POSTERS" --posts "$POSTS" --rounds "$ROUNDS" --connections "$CONNECTIONS" \
  --out "$OUT/bidding.json" ${BID_LOAD_ARGS:-} | tee "$OUT/bidding.txt"
rc=${PIPESTATUS[0]}
set -e
echo "uptime after: $(uptime)" | tee -a "$OUT/environment.txt"
echo "results: $OUT"
exit "$rc"
