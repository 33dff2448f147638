#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the store tests, as the
# non-root user `postgres`, on 127.0.0.1:$PGPORT (password login, scram)
# and a socket in $DIR. Prints the admin URL. Usage: .ci/postgres.sh DIR [PORT]
# Stop it with: su postgres -c "pg_ctl -D DIR/data stop"
set -euo pipefail
dir=$1
port=${2:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
id postgres >/dev/null 2>&1 || useradd --system --home "$dir" postgres
# A server left running in this directory by an earlier run is stopped first.
if [ -f "$dir/data/postmaster.pid" ]; then
  su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$dir/data' stop -m fast" >/dev/null 2>&1 || true
fi
rm -rf "$dir" && mkdir -p "$dir/socket"
chown -R postgres "$dir"
password=ci-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$password" > "$dir/password" && chown postgres "$dir/password" && chmod 600 "$dir/password"
su postgres -s /bin/sh -c "'$bin/initdb' -D '$dir/data' -U clinterview_ci --pwfile='$dir/password' --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8" >/dev/null
# TLS with a self-signed certificate: sslmode=require works, verify-full must refuse it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1
chown postgres "$dir/data/server.key" "$dir/data/server.crt" && chmod 600 "$dir/data/server.key"
su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on -c ssl=on\" start" >/dev/null
su postgres -s /bin/sh -c "'$bin/createdb' -h '$dir/socket' -p $port -U clinterview_ci clinterview"
echo "postgres://clinterview_ci:$password@127.0.0.1:$port/clinterview"
