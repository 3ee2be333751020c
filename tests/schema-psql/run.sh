#!/usr/bin/env bash
# Applies the rls/schema.sql that `dotnet build samples/Todos` wrote, with psql, twice, to a fresh database on a
# throwaway cluster, and checks what the server then holds: the todos table with row-level security on and the
# four Drizzle-named policies.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
script="$repo/samples/Todos/bin/Debug/net10.0/rls/schema.sql"
fail() { echo "schema-psql: FAIL: $*" >&2; exit 1; }

dotnet build "$repo/samples/Todos" -nologo -v q >/dev/null
[ -s "$script" ] || fail "the build wrote no $script"

bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
work="$(mktemp -d)"
chmod 700 "$work"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cleanup() { as_pg "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# No trust: another local user must not get in as superuser while this runs. A random password, in a file only the
# server's user may read, deleted once initdb has read it.
password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
(umask 077; echo "$password" >"$work/pwfile")
if [ "$(id -u)" -eq 0 ]; then chown postgres "$work/pwfile"; fi
as_pg "$bin/initdb" -D "$work/data" -U postgres --auth=scram-sha-256 --pwfile="$work/pwfile" >/dev/null
rm -f "$work/pwfile"
export PGPASSWORD="$password"
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$work' -c fsync=off" start >/dev/null

export PGOPTIONS="-c client_min_messages=warning"
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE todos"
"${psql[@]}" -d todos -f "$script"
"${psql[@]}" -d todos -f "$script"

policies="$("${psql[@]}" -d todos -At -c "SELECT string_agg(policyname || ':' || cmd, ',' ORDER BY policyname) FROM pg_policies WHERE tablename = 'todos'")"
expected="crud-authenticated-policy-delete:DELETE,crud-authenticated-policy-insert:INSERT,crud-authenticated-policy-select:SELECT,crud-authenticated-policy-update:UPDATE"
[ "$policies" = "$expected" ] || fail "policies on todos: '$policies', expected '$expected'"
rls="$("${psql[@]}" -d todos -At -c "SELECT relrowsecurity FROM pg_class WHERE relname = 'todos'")"
[ "$rls" = "t" ] || fail "row-level security is not enabled on todos"
echo "schema-psql: OK ($script applied twice; 4 policies, row-level security on)"
