#!/usr/bin/env bash
# Packs RlsSchema.Abstractions, RlsSchema.Schema, RlsSchema.Generator, RlsSchema.Npgsql and the RlsSchema.Cli tool, consumes them from a
# local folder source in a fresh console project outside the repository that references only the generator (which
# brings the attributes with it), builds it, and checks that the build wrote rls/schema.sql (and honours
# RlsSchemaScriptPath and RlsSchemaWriteScript=false). Then installs the tool as a local tool and runs the migrations
# workflow against a throwaway PostgreSQL cluster: migrations add, migrations list, migrate, diff and lint, with their
# exit codes and error messages.
# Then b2b.sh runs a second consumer against the runtime packages and a real database, and efcore.sh an EF Core
# consumer through dotnet ef migrations add and database update.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A private package cache, so a rebuilt 0.1.0 package is never shadowed by a stale copy.
export NUGET_PACKAGES="$work/packages-cache"
# Local tools are resolved through a per-user cache of package paths; keep it private too, or it would point at the
# package cache of an earlier run.
export DOTNET_CLI_HOME="$work/home"

fail() { echo "package-consumer: FAIL: $*" >&2; exit 1; }

dotnet pack "$repo/src/RlsSchema.Abstractions/RlsSchema.Abstractions.csproj" -c Release -o "$work/feed" -nologo -v q
dotnet pack "$repo/src/RlsSchema.Schema/RlsSchema.Schema.csproj" -c Release -o "$work/feed" -nologo -v q
dotnet pack "$repo/src/RlsSchema.Generator/RlsSchema.Generator.csproj" -c Release -o "$work/feed" -nologo -v q
dotnet pack "$repo/src/RlsSchema.Npgsql/RlsSchema.Npgsql.csproj" -c Release -o "$work/feed" -nologo -v q
dotnet pack "$repo/src/RlsSchema.Cli/RlsSchema.Cli.csproj" -c Release -o "$work/feed" -nologo -v q

generator_nupkg="$(ls "$work"/feed/RlsSchema.Generator.*.nupkg)"
listing="$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$generator_nupkg")"
for entry in analyzers/dotnet/cs/RlsSchema.Generator.dll buildTransitive/RlsSchema.Generator.props \
             buildTransitive/RlsSchema.Generator.targets build/RlsSchema.Generator.props build/RlsSchema.Generator.targets; do
  grep -qx "$entry" <<<"$listing" || fail "$entry missing from $(basename "$generator_nupkg")"
done
if grep -q '^lib/' <<<"$listing"; then fail "the generator package must not put its dll under lib/"; fi
nuspec="$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("RlsSchema.Generator.nuspec").decode())' "$generator_nupkg")"
grep -q 'dependency id="RlsSchema.Abstractions"' <<<"$nuspec" || fail "the generator package does not bring RlsSchema.Abstractions"
# The schema engine is compiled into the analyzer: the generator package gains no dependency on it; the runtime has one.
if grep -q 'dependency id="RlsSchema.Schema"' <<<"$nuspec"; then fail "the generator package must not depend on RlsSchema.Schema"; fi
npgsql_nuspec="$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("RlsSchema.Npgsql.nuspec").decode())' "$(ls "$work"/feed/RlsSchema.Npgsql.*.nupkg)")"
grep -q 'dependency id="RlsSchema.Schema"' <<<"$npgsql_nuspec" || fail "the runtime package does not bring RlsSchema.Schema"
version="$(basename "$generator_nupkg" .nupkg)"; version="${version#RlsSchema.Generator.}"

app="$work/app"
mkdir -p "$app"
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="RlsSchema.Generator" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$app/Note.cs" <<'CS'
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using RlsSchema;

namespace App;

[Table("notes")]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
public class Note
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
    public string Text { get; set; } = "";
}

// The embedded migrations need no runtime package: this project references only the generator.
public static class MigrationCount
{
    public static int Value => RlsSchema.Generated.RlsMigrations.All.Count;
}

public static class Program
{
    public static void Main() => System.Console.Write(RlsSchema.Generated.RlsSchemaScript.Sql);
}
CS

dotnet build "$app/App.csproj" -nologo -v q
script="$app/bin/Debug/net10.0/rls/schema.sql"
[ -f "$script" ] || fail "$script was not written"
grep -q 'CREATE POLICY "crud-authenticated-policy-select" ON notes' "$script" || fail "no CREATE POLICY in $script"
grep -q '^-- Generated by RlsSchema. Do not edit.$' "$script" || fail "no header in $script"
# The file must be exactly the constant the assembly carries.
dotnet "$app/bin/Debug/net10.0/App.dll" > "$work/constant.sql"
cmp -s "$work/constant.sql" "$script" || fail "schema.sql differs from RlsSchemaScript.Sql"

dotnet build "$app/App.csproj" -nologo -v q -p:RlsSchemaScriptPath=db/migrate.sql
[ -f "$app/db/migrate.sql" ] || fail "RlsSchemaScriptPath was not honoured"

rm -rf "$app/bin" "$app/obj"
dotnet build "$app/App.csproj" -nologo -v q -p:RlsSchemaWriteScript=false
[ ! -e "$script" ] || fail "RlsSchemaWriteScript=false still wrote $script"

# One build with the file turned off must not keep later plain builds from writing it.
dotnet build "$app/App.csproj" -nologo -v q
[ -f "$script" ] || fail "a plain build after RlsSchemaWriteScript=false did not write $script"
rm -f "$script"
dotnet build "$app/App.csproj" -nologo -v q
[ -f "$script" ] || fail "an up-to-date build did not write the missing $script"

# ---- The migrations workflow with the rlsschema tool.
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
pg="$work/pg"
mkdir -p "$pg"
chmod 755 "$work"
chmod 700 "$pg"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg"; fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
trap 'as_pg "$bin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# No trust: another local user must not get in as superuser while this runs. A random password, in a file only the
# server's user may read, deleted once initdb has read it.
password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
(umask 077; echo "$password" >"$pg/pwfile")
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg/pwfile"; fi
as_pg "$bin/initdb" -D "$pg/data" -U postgres --auth=scram-sha-256 --pwfile="$pg/pwfile" >/dev/null
rm -f "$pg/pwfile"
export PGPASSWORD="$password"
as_pg "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$pg' -c fsync=off" start >/dev/null
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE app"
url="postgres://postgres:$password@127.0.0.1:$port/app"

cd "$app"
dotnet new tool-manifest >/dev/null
dotnet tool install RlsSchema.Cli --version "$version"
rls() { dotnet rlsschema "$@"; }

rls --help | grep -q "migrations" || fail "rlsschema --help does not list the commands"
set +e
out="$(rls migrations list --project "$work/nowhere" 2>&1)"; code=$?
set -e
[ "$code" -ne 0 ] && grep -q "No project at" <<<"$out" || fail "a missing project was not a clear error: $out"
if grep -q "   at " <<<"$out"; then fail "a missing project printed a stack trace: $out"; fi

rls migrations add Initial
[ -s Migrations/0001_Initial.sql ] && [ -s Migrations/rls-model.json ] || fail "migrations add Initial wrote no files"
head -n 1 Migrations/0001_Initial.sql | grep -q "^-- Access report" || fail "0001_Initial.sql does not start with the access report"
grep -q "^--   widens public.notes authenticated SELECT: " Migrations/0001_Initial.sql || fail "the access report does not say the first migration lets authenticated read notes"
grep -q '"format": 1' Migrations/rls-model.json || fail "rls-model.json has no format version"
set +e
out="$(rls migrate --connection "postgres://postgres@127.0.0.1:1/app" 2>&1)"; code=$?
set -e
[ "$code" -ne 0 ] && grep -q "Cannot reach the database" <<<"$out" || fail "an unreachable database was not a clear error: $out"
if grep -q "   at " <<<"$out"; then fail "an unreachable database printed a stack trace: $out"; fi
rls migrations add Nothing | grep -q "No changes" || fail "migrations add wrote a migration for an unchanged model"
[ ! -e Migrations/0002_Nothing.sql ] || fail "an unchanged model gave a migration file"

sed -i 's|    public string Text { get; set; } = "";|    public string Text { get; set; } = "";\n    public System.DateOnly? DueOn { get; set; }|' Note.cs
dotnet build -nologo -v q 2>&1 | grep -q "RLS0100" || fail "a model change without a migration did not warn RLS0100"
[ -s bin/Debug/net10.0/rls/pending.sql ] || fail "the build wrote no rls/pending.sql"
rls migrations add AddDueOn
grep -q "ADD COLUMN due_on date" Migrations/0002_AddDueOn.sql || fail "0002_AddDueOn.sql does not add the column"
grep -q "^--   no change to who may do what" Migrations/0002_AddDueOn.sql || fail "the access report of 0002_AddDueOn.sql is not empty"
if dotnet build -nologo -v q 2>&1 | grep -q "RLS0100"; then fail "RLS0100 stayed after migrations add"; fi

rls migrations list --connection "$url" | grep -q "0002_AddDueOn.*pending" || fail "migrations list does not show 0002 pending"
DATABASE_URL="$url" rls migrate | grep -q "Applied 2 migrations" || fail "migrate did not apply both migrations"
rls migrate --connection "$url" | grep -q "up to date" || fail "a second migrate was not a no-op"
rls migrations list --connection "$url" | grep -q "0002_AddDueOn.*applied" || fail "migrations list does not show 0002 applied"

rls diff --connection "$url" || fail "diff found differences on a freshly migrated database"
"${psql[@]}" -d app -c "CREATE POLICY stale ON notes FOR UPDATE TO authenticated USING (true)"
set +e
out="$(rls diff --connection "$url")"; code=$?
set -e
[ "$code" -eq 1 ] && grep -q 'DROP POLICY IF EXISTS "stale" ON notes;' <<<"$out" || fail "diff did not report the stale policy (exit $code): $out"
"${psql[@]}" -d app -c "DROP POLICY stale ON notes"

rls lint --connection "$url" || fail "lint found errors in the migrated database"
"${psql[@]}" -d app -c "CREATE TABLE loose (id int primary key)"
set +e
out="$(rls lint --connection "$url")"; code=$?
set -e
[ "$code" -eq 1 ] && grep -q "rls_disabled_in_public  loose" <<<"$out" || fail "lint did not fail on a public table without RLS (exit $code): $out"
# rlsschema explain: a token signed by a key whose JWKS a loopback server publishes (the runtime's validation), one
# allowed and one refused case, and nothing changed.
"${psql[@]}" -d app -c "DROP TABLE loose"
note="$("${psql[@]}" -d app -tA -c "INSERT INTO notes (user_id, text) VALUES ('user_alice', 'kept') RETURNING id")"
jwks_dir="$work/jwks"
mkdir -p "$jwks_dir"
openssl genrsa -out "$work/jwt-key.pem" 2048 2>/dev/null
modulus="$(openssl rsa -in "$work/jwt-key.pem" -noout -modulus | cut -d= -f2)"
token="$(python3 - "$work/jwt-key.pem" "$modulus" "$jwks_dir/jwks.json" <<'PY'
import base64, json, subprocess, sys, time
key, modulus, jwks = sys.argv[1:]
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
with open(jwks, "w") as f:
    json.dump({"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1", "n": b64(bytes.fromhex(modulus)), "e": "AQAB"}]}, f)
header = b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "k1"}).encode())
payload = b64(json.dumps({"sub": "user_alice", "iat": int(time.time()), "exp": int(time.time()) + 600}).encode())
signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=(header + "." + payload).encode(), capture_output=True, check=True).stdout
print(header + "." + payload + "." + b64(signature))
PY
)"
jwks_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$jwks_port" --bind 127.0.0.1 --directory "$jwks_dir" >/dev/null 2>&1 &
jwks_pid=$!
trap 'kill "$jwks_pid" 2>/dev/null || true; as_pg "$bin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$jwks_port/jwks.json" >/dev/null && break; sleep 0.1; done
out="$(rls explain --connection "$url" --jwks-url "http://127.0.0.1:$jwks_port/jwks.json" --token "$token" --table notes --command select --key "$note")" \
  || fail "explain refused alice her own note: $out"
grep -q "verdict: allowed" <<<"$out" || fail "explain did not say alice may read her note: $out"
set +e
out="$(rls explain --connection "$url" --anonymous --table notes --command delete --key "$note")"; code=$?
set -e
[ "$code" -eq 1 ] && grep -q "verdict: refused" <<<"$out" || fail "explain did not refuse a delete without a token (exit $code): $out"
[ "$("${psql[@]}" -d app -tA -c "SELECT count(*) FROM notes")" = "1" ] || fail "explain changed the notes table"
kill "$jwks_pid"

# ---- B2B model: the runtime packages, a typed-policy model applied to a fresh database (b2b.sh) ----
"$repo/tests/package-consumer/b2b.sh" "$work" "$version"
# ---- end of the B2B model ----

# ---- EF Core: dotnet ef migrations add and database update carry the policies (efcore.sh) ----
"$repo/tests/package-consumer/efcore.sh" "$work" "$version" "$port"

echo "package-consumer: OK ($version)"
