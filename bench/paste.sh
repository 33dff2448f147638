#!/usr/bin/env bash
# A paste into a free-text answer, in a real terminal (tmux 100x30): the time
# from tmux's paste-buffer to the screen showing the end of the pasted text,
# for 1,000, 10,000 and 100,000 characters, on the release build. Prints one
# JSON line per size: a linear editor keeps the time per character level.
#
# Usage: bench/paste.sh [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
swift build -c release --static-swift-stdlib --product clinterview >/dev/null
binary=$(swift build -c release --show-bin-path)/clinterview
work=$(mktemp -d)
trap 'tmux kill-session -t paste-bench 2>/dev/null; rm -rf "$work"' EXIT
for size in 1000 10000 100000; do
  python3 -c "import sys; n=int(sys.argv[1]); print(('abcdefghij' * (n // 10))[:n - 3] + 'END', end='')" "$size" > "$work/paste.txt"
  times=()
  for _ in $(seq "$reps"); do
    rm -rf "$work/s"; mkdir -m 700 "$work/s"
    tmux new-session -d -s paste-bench -x 100 -y 30 "env LANG=C.UTF-8 $binary run -i Interviews/core.json --client bench --rater bench --role bench --sessions $work/s"
    until tmux capture-pane -p -t paste-bench | grep -q "press Enter to continue"; do sleep 0.02; done
    tmux send-keys -t paste-bench Enter
    until tmux capture-pane -p -t paste-bench | grep -q "ov_problem"; do sleep 0.02; done
    tmux load-buffer "$work/paste.txt"
    start=$(date +%s%N)
    tmux paste-buffer -t paste-bench
    until tmux capture-pane -p -t paste-bench | grep -q "END"; do sleep 0.005; done
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    tmux kill-session -t paste-bench
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
  echo "{\"scenario\": \"paste\", \"characters\": $size, \"ms\": [${sorted// /, }]}" | sed 's/, \]/]/'
done
