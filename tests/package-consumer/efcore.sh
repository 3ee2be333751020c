#!/usr/bin/env bash
# Called by run.sh with its work folder (holding feed/ with the packed generator, schema and runtime packages), the
# package version and the port of its throwaway PostgreSQL cluster (PGPASSWORD exported). Packs
# RlsSchema.EntityFrameworkCore into the same feed, builds an EF Core project outside the repository that references
# only the packages, and runs the EF workflow with dotnet-ef 10.0.15 as a local tool: migrations add (the migration and
# the model snapshot carry the RlsSchema model), database update (the catalog then holds row-level security, the
# policies and the grants), and a policy change alone, which still makes a migration that database update applies.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$1"
version="$2"
port="$3"
fail() { echo "package-consumer (efcore): FAIL: $*" >&2; exit 1; }
dotnet pack "$repo/src/RlsSchema.EntityFrameworkCore/RlsSchema.EntityFrameworkCore.csproj" -c Release -o "$work/feed" -nologo -v q
nupkg="$work/feed/RlsSchema.EntityFrameworkCore.$version.nupkg"
nuspec="$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("RlsSchema.EntityFrameworkCore.nuspec").decode())' "$nupkg")"
for dependency in RlsSchema.Schema RlsSchema.Npgsql Npgsql.EntityFrameworkCore.PostgreSQL; do
  grep -q "dependency id=\"$dependency\"" <<<"$nuspec" || fail "the EF Core package does not bring $dependency"
done

app="$work/efapp"
mkdir -p "$app"
# The folder feed for RlsSchema.*, nuget.org for the rest, as b2b.sh (which ran before) set it up.
cp "$work/b2b/nuget.config" "$app/nuget.config"
cat > "$app/EfApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="RlsSchema.Generator" Version="$version" />
    <PackageReference Include="RlsSchema.EntityFrameworkCore" Version="$version" />
    <PackageReference Include="EFCore.NamingConventions" Version="10.0.1" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="10.0.15" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML
cat > "$app/Note.cs" <<'CS'
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using RlsSchema;

namespace EfApp;

[Table("notes")]
[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
public class Note
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
    public string Text { get; set; } = "";
}

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
}

public sealed class AppDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseNpgsql(Environment.GetEnvironmentVariable("EFAPP_CONNECTION") ?? "Host=localhost;Database=efapp")
        .UseSnakeCaseNamingConvention()
        .UseRlsSchema()
        .Options);
}

public static class Program
{
    public static void Main() { }
}
CS

dotnet build "$app/EfApp.csproj" -nologo -v q || fail "the EF Core consumer does not build against the packages"
if grep -q '"type": "project"' "$app/obj/project.assets.json"; then fail "the EF Core consumer resolved a project reference; it must use the packages only"; fi

cd "$app"
dotnet new tool-manifest >/dev/null
dotnet tool install dotnet-ef --version 10.0.15 >/dev/null
dotnet ef migrations add Initial || fail "dotnet ef migrations add Initial failed"
grep -q '"RlsSchema:Model"' Migrations/*_Initial.cs || fail "the first migration does not carry the RlsSchema model"
grep -q '"RlsSchema:Model"' Migrations/AppDbContextModelSnapshot.cs || fail "the model snapshot does not record the RlsSchema model"
dotnet ef migrations script | grep -q 'CREATE POLICY "crud-authenticated-policy-select" ON notes' || fail "migrations script does not create the policies"

export EFAPP_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Password=$PGPASSWORD;Database=efapp"
dotnet ef database update || fail "dotnet ef database update failed"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
query() { "$bin/psql" -X -q -tA -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d efapp -c "$1"; }
[ "$(query "SELECT relrowsecurity FROM pg_class WHERE oid = 'public.notes'::regclass")" = "t" ] || fail "database update did not enable row-level security on notes"
[ "$(query "SELECT count(*) FROM pg_policies WHERE tablename = 'notes'")" = "4" ] || fail "database update did not create the four policies on notes"
[ "$(query "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE table_name = 'notes' AND grantee = 'authenticated'")" = "DELETE,INSERT,SELECT,UPDATE" ] \
  || fail "database update did not grant authenticated its four privileges on notes"

# A policy change alone: no table changes, and still a migration.
sed -i 's|\[CrudPolicy(Role = "authenticated", Owner = nameof(UserId))\]|[CrudPolicy(Role = "authenticated", Read = "true", Owner = nameof(UserId))]|' Note.cs
dotnet ef migrations add EveryoneReads || fail "dotnet ef migrations add EveryoneReads failed"
grep -q 'AlterDatabase()' Migrations/*_EveryoneReads.cs || fail "a policy change alone made no AlterDatabase migration"
dotnet ef database update || fail "dotnet ef database update of the policy change failed"
[ "$(query "SELECT qual FROM pg_policies WHERE tablename = 'notes' AND policyname = 'crud-authenticated-policy-select'")" = "true" ] \
  || fail "the policy change was not applied"
echo "package-consumer (efcore): OK ($version)"
