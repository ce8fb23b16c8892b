#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite and print its URL on stdout.
# Installs the server from Debian's packages when it is missing; data lives in a fresh temporary folder
# and the server listens on 127.0.0.1 only, on a free port. Stop it with: scripts/pg-test-server.sh stop DIR
set -euo pipefail
if [ "${1:-}" = stop ]; then
  dir=$2
  pgbin=$(cat "$dir/pgbin")
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
  else "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; fi
  rm -rf "$dir"
  exit 0
fi
find_pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
pgbin=$(find_pgbin)
if [ -z "$pgbin" ]; then
  echo "installing PostgreSQL from Debian's packages..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  pgbin=$(find_pgbin)
fi
dir=$(mktemp -d /tmp/schoon-pg.XXXXXX)
echo "$pgbin" > "$dir/pgbin"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
as_owner "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null
as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" start >/dev/null
echo "$dir" >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
