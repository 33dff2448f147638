#!/usr/bin/env bash
# Key press to settled screen, and launch to first usable screen, of the
# release build in a real terminal (tmux 80x24), measured with the shared
# terminal latency probe (../shared/bench/peers/tui_latency.py: tmux control
# mode, ~0.2 ms polling), beside dialog's menu in the same run (apt-get install
# dialog). Prints one JSON line per scenario.
#
# Usage: bench/tui-latency.sh [PROBE]
set -euo pipefail
cd "$(dirname "$0")/.."
probe=${1:-../shared/bench/peers/tui_latency.py}
# The deployment build: the Swift runtime and Foundation linked in statically
# (README, "Installing"), which saves about 7 ms of process start.
swift build -c release --static-swift-stdlib --product clinterview >/dev/null
binary=$(swift build -c release --show-bin-path)/clinterview
interview=$(pwd)/bench/interviews/latency.json
run() {
  local sessions; sessions=$(mktemp -d)
  python3 "$probe" --name "$1" --ready "Benchmark symptom 1" --keys "$2" --reps "$3" --launches "$4" \
    --cmd "env LANG=C.UTF-8 $binary run -i $interview --client bench --rater bench --role bench --sessions $sessions" | grep '^{'
  rm -rf "$sessions"
}
# Moving the highlight: drawing only.
run clinterview-highlight Down,Up 30 10
# Answering: engine, journal write with fsync, next item drawn.
run clinterview-answer 2,3 60 3
# The yardstick: dialog's menu of ten items (Debian's dialog), moving the highlight.
if command -v dialog >/dev/null; then
  items=$(for i in $(seq 1 10); do printf "%d 'Item number %d' " "$i" "$i"; done)
  printf '%s\n' "exec dialog --title Pick --menu 'Choose one' 20 70 12 $items" > /tmp/tui-latency-dialog.sh
  python3 "$probe" --name dialog-menu-10 --cmd "sh /tmp/tui-latency-dialog.sh" --ready "Item number 10" --keys Down,Up --reps 30 --launches 10 | grep '^{'
fi
# The floor: the terminal's own echo through tmux.
python3 "$probe" --name floor-cat-echo --cmd "sh -c 'echo READY; exec cat'" --ready READY --keys x,y --reps 30 --launches 10 | grep '^{'
