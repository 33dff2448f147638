#!/usr/bin/env bash
# Replays the reference model's 10,000 recorded sessions as 10,000 answer files with the
# CLI, end to end (process start to results printed), and prints wall time and
# peak memory (GNU time). Needs the reference model's data (bench/peers.sh makes it).
# Usage: bench/replay-files.sh [DATA_DIR] [ANSWERS]   (defaults /tmp/peers-data 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-/tmp/peers-data}
m=${2:-10000}
files=/tmp/peers-answer-files-$m
swift build -c release --product clinterview-bench >/dev/null
swift build -c release --product clinterview >/dev/null
bin=$(swift build -c release --show-bin-path)
if [ ! -f "$files/$(printf %05d $((m - 1))).json" ]; then
  "$bin/clinterview-bench" convert "$data/model-150.json" -o /tmp/peers-150.json --answers "$data/answers-$m.ndjson" --answer-directory "$files"
else
  "$bin/clinterview-bench" convert "$data/model-150.json" -o /tmp/peers-150.json
fi
for mode in "" "--json"; do
  for run in 1 2 3; do
    /usr/bin/time -f "replay $m files ${mode:-summary}: %e s wall, %M KB peak" \
      "$bin/clinterview" replay -i /tmp/peers-150.json $mode "$files" > /tmp/replay-files.out
  done
done
tail -1 /tmp/replay-files.out
