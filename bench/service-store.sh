#!/usr/bin/env bash
# The service store at a service's scale: a synthetic year (clinterview-bench
# service-year) synced into PostgreSQL, then outcome over it.
# Usage: bench/service-store.sh ADMIN_URL [CLIENTS] [DIR]
#   ADMIN_URL: a role that may create roles (e.g. what .ci/postgres.sh prints)
#   CLIENTS: clients in the year (default 2000: about 10,000 sessions)
#   DIR: where the journals go (default /dev/shm/clinterview-service-year: tmpfs)
# Prints: sync of one clinician's sessions, sync of all 20 clinicians at once,
# and outcome --database (time and peak memory) beside outcome --cohort.
set -euo pipefail
cd "$(dirname "$0")/.."
admin=$1
clients=${2:-2000}
dir=${3:-/dev/shm/clinterview-service-year}
swift build -c release --product clinterview-bench >/dev/null
swift build -c release --product clinterview >/dev/null
bin=$(swift build -c release --show-bin-path)
rm -rf "$dir"
"$bin/clinterview-bench" service-year --clients "$clients" --out "$dir"
export PGOPTIONS='-c client_min_messages=warning'
psql "$admin" -qc "DROP SCHEMA IF EXISTS clinterview CASCADE"
"$bin/clinterview" store init --database "$admin" >/dev/null
password=bench-$RANDOM$RANDOM
url() { echo "$admin" | sed -E "s#//[^@]*@#//bench_c$1:$password@#"; }
for n in $(seq 1 20); do
  psql "$admin" -qc "DROP ROLE IF EXISTS bench_c$n" -c "CREATE ROLE bench_c$n LOGIN PASSWORD '$password' IN ROLE clinterview_clinician"
done
sessions_in() { ls "$@" | grep -c '\.jsonl$'; }
one=$(sessions_in "$dir/c1")
start=$(date +%s.%N)
"$bin/clinterview" sync --database "$(url 1)" --sessions "$dir/c1" >/dev/null
end=$(date +%s.%N)
echo "sync, one clinician: $one sessions in $(echo "$end - $start" | bc) s ($(echo "$one / ($end - $start)" | bc) sessions/s)"
rest=$(for n in $(seq 2 20); do sessions_in "$dir/c$n"; done | paste -sd+ | bc)
start=$(date +%s.%N)
for n in $(seq 2 20); do "$bin/clinterview" sync --database "$(url "$n")" --sessions "$dir/c$n" >/dev/null & done
wait
end=$(date +%s.%N)
echo "sync, 19 clinicians at once: $rest sessions in $(echo "$end - $start" | bc) s ($(echo "$rest / ($end - $start)" | bc) sessions/s)"
interviews="-i Interviews/core.json -i Interviews/phq9.json -i Interviews/gad7.json"
for run in 1 2 3; do
  /usr/bin/time -f "outcome --database (all clients, as the owner): %e s, %M KB peak" \
    "$bin/clinterview" outcome --database "$admin" >/dev/null
done
mkdir -p "$dir/all"
for n in $(seq 1 20); do ln -sf "$dir/c$n"/*.jsonl "$dir/all/"; done
/usr/bin/time -f "outcome --cohort over the same journals (replayed): %e s, %M KB peak" \
  "$bin/clinterview" outcome --cohort "$dir/all" $interviews >/dev/null
