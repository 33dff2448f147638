#!/usr/bin/env bash
# The service store at a service's scale: a synthetic year (clinterview-bench
# service-year) synced into PostgreSQL, then outcome over it.
# Usage: bench/service-store.sh ADMIN_URL [CLIENTS] [DIR] [COPIES]
#   ADMIN_URL: a role that may create roles (e.g. what .ci/postgres.sh prints)
#   CLIENTS: clients in the year (default 2000: about 10,000 sessions)
#   DIR: where the journals go (default /dev/shm/clinterview-service-year: tmpfs)
#   COPIES: then fill the store to a service's year by copying every synced
#     session, its records and results COPIES times under new client and
#     session ids, in SQL (59 copies of 2,000 clients: 603,216 sessions)
# Prints: sync of one clinician's sessions, sync of all 20 clinicians at once,
# and outcome --database (time and peak memory) beside outcome --cohort; with
# COPIES, sync and outcome --database (owner and auditor) at the year's size.
set -euo pipefail
cd "$(dirname "$0")/.."
admin=$1
clients=${2:-2000}
dir=${3:-/dev/shm/clinterview-service-year}
copies=${4:-0}
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
interviews="-i Interviews/core.json -i Interviews/phq9.json -i Interviews/gad7.json -i Interviews/episode.json"
for run in 1 2 3; do
  /usr/bin/time -f "outcome --database (all clients, as the owner): %e s, %M KB peak" \
    "$bin/clinterview" outcome --database "$admin" >/dev/null
done
mkdir -p "$dir/all"
for n in $(seq 1 20); do ln -sf "$dir/c$n"/*.jsonl "$dir/all/"; done
/usr/bin/time -f "outcome --cohort over the same journals (replayed): %e s, %M KB peak" \
  "$bin/clinterview" outcome --cohort "$dir/all" $interviews >/dev/null

[ "$copies" -gt 0 ] || exit 0
# The year: each synced session copied under "<id>~k" (k = 1..COPIES), as the
# owner; the pseudonym trigger and the generated columns run as at sync.
psql "$admin" -q <<SQL
INSERT INTO clinterview.sessions (session_id, owner, client, rater, role, interview_id, interview_version,
    definition_sha256, blind, time_frame, started_at, assessed_at)
  SELECT s.session_id || '~' || k, s.owner, s.client || '~' || k, s.rater, s.role, s.interview_id,
    s.interview_version, s.definition_sha256, s.blind, s.time_frame, s.started_at, s.assessed_at
  FROM clinterview.sessions s, generate_series(1, $copies) k;
INSERT INTO clinterview.records (session_id, seq, owner, recorded_at, type, line, hash)
  SELECT r.session_id || '~' || k, r.seq, r.owner, r.recorded_at, r.type, r.line, r.hash
  FROM clinterview.records r, generate_series(1, $copies) k WHERE r.session_id NOT LIKE '%~%';
INSERT INTO clinterview.results (session_id, head_seq, head_hash, owner, status, engine_version,
    definition_sha256, diagnoses, scores, alerts)
  SELECT r.session_id || '~' || k, r.head_seq, r.head_hash, r.owner, r.status, r.engine_version,
    r.definition_sha256, r.diagnoses, r.scores, r.alerts
  FROM clinterview.results r, generate_series(1, $copies) k WHERE r.session_id NOT LIKE '%~%';
VACUUM ANALYZE;
SQL
psql "$admin" -Atc "SELECT count(*) || ' sessions; records ' || pg_size_pretty(pg_total_relation_size('clinterview.records'))
  || ', results ' || pg_size_pretty(pg_total_relation_size('clinterview.results'))
  || ', sessions ' || pg_size_pretty(pg_total_relation_size('clinterview.sessions')) FROM clinterview.sessions"
psql "$admin" -qc "DROP ROLE IF EXISTS bench_auditor" -c "CREATE ROLE bench_auditor LOGIN PASSWORD '$password' IN ROLE clinterview_auditor"
auditor=$(echo "$admin" | sed -E "s#//[^@]*@#//bench_auditor:$password@#")
for run in 1 2 3; do
  /usr/bin/time -f "outcome --database at the year's size, as the owner: %e s, %M KB peak" \
    "$bin/clinterview" outcome --database "$admin" >/dev/null
  /usr/bin/time -f "outcome --database at the year's size, as an auditor: %e s, %M KB peak" \
    "$bin/clinterview" outcome --database "$auditor" >/dev/null
done
# Sync into the full store: the first clinician's sessions again, as new sessions.
rm -rf "$dir/again" && "$bin/clinterview-bench" service-year --clients 100 --out "$dir/again" >/dev/null
mkdir -p "$dir/again/all" && cp "$dir/again"/c*/*.jsonl "$dir/again/all/"
more=$(sessions_in "$dir/again/all")
start=$(date +%s.%N)
"$bin/clinterview" sync --database "$(url 1)" --sessions "$dir/again/all" >/dev/null
end=$(date +%s.%N)
echo "sync into the year's store, one clinician: $more sessions in $(echo "$end - $start" | bc) s ($(echo "$more / ($end - $start)" | bc) sessions/s)"
