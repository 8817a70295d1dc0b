#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server for the tests: its own data folder, on
# 127.0.0.1 only, user "pmo" with password "pmo-test", database "pmo".
#
#   scripts/postgres.sh start DIR [PORT]   prints the server's URL (PORT: a free one)
#   scripts/postgres.sh stop DIR           stops it (then remove DIR)
#
# PostgreSQL refuses to run as root: as root the server runs as the "postgres" system
# user (created by the Debian package) via runuser. Install PostgreSQL with
# scripts/ensure-system-deps.sh (root + apt-get) or: apt-get install postgresql.
# Exit status 3 means PostgreSQL cannot be used here (the message says why).
set -euo pipefail
action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] && command -v pg_ctl > /dev/null 2>&1; then
  bin=$(dirname "$(command -v pg_ctl)")
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin);" \
       "install it: sudo scripts/ensure-system-deps.sh, or apt-get install postgresql" >&2
  exit 3
fi
owner=$(id -un)
if [ "$(id -u)" = "0" ]; then
  owner=postgres
  if ! id "$owner" > /dev/null 2>&1; then
    echo "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as" >&2
    exit 3
  fi
fi
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}
data="$dir/data"
case "$action" in
  start)
    port=${3:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    password=pmo-test
    mkdir -p "$dir"
    chmod 700 "$dir"
    printf '%s\n' "$password" > "$dir/password"
    if [ "$(id -u)" = "0" ]; then
      chown -R "$owner" "$dir"
      if ! as_owner test -w "$dir"; then
        echo "user $owner cannot reach $dir (a parent folder is private): use a folder" \
             "made with mktemp -d directly" >&2
        exit 1
      fi
    fi
    as_owner "$bin/initdb" -D "$data" -U pmo --pwfile="$dir/password" -E UTF8 \
      --auth-local=trust --auth-host=scram-sha-256 > "$dir/initdb.log" 2>&1 || {
      echo "initdb failed; see $dir/initdb.log" >&2
      exit 1
    }
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=50" \
      start > /dev/null || {
      echo "the PostgreSQL server did not start; see $dir/server.log" >&2
      exit 1
    }
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U pmo pmo
    echo "postgresql://pmo:$password@127.0.0.1:$port/pmo"
    ;;
  stop)
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop > /dev/null
    fi
    ;;
  *)
    echo "usage: $0 start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
