#!/usr/bin/env bash
# Our engine on the peers' own inputs: generate them with the peers' generator
# (stdlib Python only), then load and lint model-N.json and replay
# answers-M.ndjson, checking expected-M.json. Prints one JSON line per point.
# Usage: bench/peers.sh [DATA_DIR]   (default /tmp/peers-data; ~190 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/tmp/peers-data}
if [ ! -f "$data/model-100000.json" ]; then
  python3 ../shared/bench/peers/gen.py --out "$data" --sizes 100,1000,10000,100000 --answers 1000,10000
fi
swift build -c release --product clinterview-bench >/dev/null
"$(swift build -c release --show-bin-path)/clinterview-bench" peers --data "$data" --json
"$(swift build -c release --show-bin-path)/clinterview-bench" keys --interview Interviews/core.json
