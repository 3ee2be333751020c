#!/usr/bin/env bash
# Starts the web sample as a person would (dotnet run, default URL), then checks over HTTP that it is ready, serves the
# page, hands out development tokens, and that Bob never sees Alice's todo. Stops it and its PostgreSQL afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."

url=http://127.0.0.1:5080
log=$(mktemp)
setsid dotnet run --project samples/Todos.Web >"$log" 2>&1 &
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT

for _ in $(seq 1 180); do
  if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "the web sample exited"; exit 1; fi
  sleep 1
done
curl -fsS "$url/healthz" | grep -qx Healthy
curl -fsS "$url/" | grep -q "<title>Todos"

alice=$(curl -fsS "$url/dev/token/alice")
bob=$(curl -fsS "$url/dev/token/bob")
task="Buy milk $RANDOM"
created=$(curl -fsS -X POST -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' -d "{\"task\":\"$task\"}" "$url/api/todos")
id=$(echo "$created" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fsS -H "Authorization: Bearer $alice" "$url/api/todos" | grep -q "$task"
if curl -fsS -H "Authorization: Bearer $bob" "$url/api/todos" | grep -q "$task"; then echo "Bob sees Alice's todo"; exit 1; fi
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $bob" "$url/api/todos/$id")" = 404 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/todos")" = 401 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer x$alice" "$url/healthz")" = 401 ]

# Another local user cannot get into the sample's embedded PostgreSQL: every throwaway cluster's superuser needs its
# password, which only the process that started it holds.
if [ "$(id -u)" -eq 0 ]; then
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  ports=$(for f in /tmp/rlsschema-*/pg-*/data/postmaster.pid; do [ -f "$f" ] && sed -n 4p "$f"; done | sort -u)
  [ -n "$ports" ] || { echo "no embedded cluster found under /tmp/rlsschema-*"; exit 1; }
  for port in $ports; do
    if runuser -u nobody -- env -u PGPASSWORD "$bin/psql" -w -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "SELECT 1" >/dev/null 2>&1; then
      echo "the OS user nobody got into the embedded cluster on port $port without a password"; exit 1
    fi
  done
fi
echo "web sample: ready, page served, Alice's todo #$id invisible to Bob, its database closed to other local users"
