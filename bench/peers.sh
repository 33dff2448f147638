#!/usr/bin/env bash
# Our engine on the reference interview model's inputs, made by its generator
# (stdlib Python only), then load and lint model-N.json and replay
# answers-M.ndjson, checking expected-M.json. Prints one JSON line per point,
# then the wall time and peak memory of `clinterview validate` (a fresh process
# that loads and lints) on the converted 10,000- and 100,000-item definitions.
# Usage: bench/peers.sh [DATA_DIR]   (default /tmp/peers-data; ~190 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/tmp/peers-data}
if [ ! -f "$data/model-100000.json" ]; then
  python3 ../shared/bench/peers/gen.py --out "$data" --sizes 100,1000,10000,100000 --answers 1000,10000
fi
swift build -c release --product clinterview-bench >/dev/null
swift build -c release --product clinterview >/dev/null
bin=$(swift build -c release --show-bin-path)
"$bin/clinterview-bench" peers --data "$data" --json
"$bin/clinterview-bench" keys --interview Interviews/core.json
for n in 10000 100000; do
  "$bin/clinterview-bench" convert "$data/model-$n.json" -o "/tmp/peers-$n.json"
  for run in 1 2 3; do
    /usr/bin/time -f "validate $n items: %e s wall, %M KB peak" "$bin/clinterview" validate "/tmp/peers-$n.json" >/dev/null
  done
done
