#!/usr/bin/env bash
# Called by run.sh with its work folder (holding feed/, the packed generator) and the package version. Packs the runtime
# packages into the same feed, builds a console project outside the repository that references only the packages, from
# b2b/Program.cs and the Teams sample's entity files (linked: the one definition of that model; organizations,
# memberships, projects, tasks, comments, announcements; CrudPolicy Tenant and typed policies through a navigation), and
# runs it: it applies the generated script to a fresh embedded database and checks, with tokens from the development
# issuer, that members see only their organization's tasks and that only an admin deletes one.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$1"
version="$2"

fail() { echo "package-consumer (b2b): FAIL: $*" >&2; exit 1; }

dotnet pack "$repo/src/RlsSchema.Npgsql/RlsSchema.Npgsql.csproj" -c Release -o "$work/feed" -nologo -v q
dotnet pack "$repo/src/RlsSchema.Testing/RlsSchema.Testing.csproj" -c Release -o "$work/feed" -nologo -v q

app="$work/b2b"
mkdir -p "$app"
cp "$repo/tests/package-consumer/b2b/"*.cs "$app/"
# RlsSchema's packages come from the folder only; their dependencies (Npgsql, Dapper, ...) from nuget.org.
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local">
      <package pattern="RlsSchema.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
cat > "$app/B2b.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <!-- EF Core is referenced only for the memberships' [PrimaryKey]; the model uses RlsSchema's [Index] on properties. -->
    <RlsSchemaEfCoreIndexAlias>false</RlsSchemaEfCoreIndexAlias>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore.Abstractions" Version="10.0.4" />
    <PackageReference Include="RlsSchema.Generator" Version="$version" />
    <PackageReference Include="RlsSchema.Npgsql" Version="$version" />
    <PackageReference Include="RlsSchema.Testing" Version="$version" />
  </ItemGroup>
  <ItemGroup>
    <Compile Include="$repo/samples/Teams/Organization.cs" Link="Model/Organization.cs" />
    <Compile Include="$repo/samples/Teams/Membership.cs" Link="Model/Membership.cs" />
    <Compile Include="$repo/samples/Teams/Project.cs" Link="Model/Project.cs" />
    <Compile Include="$repo/samples/Teams/TaskItem.cs" Link="Model/TaskItem.cs" />
    <Compile Include="$repo/samples/Teams/Comment.cs" Link="Model/Comment.cs" />
    <Compile Include="$repo/samples/Teams/Announcement.cs" Link="Model/Announcement.cs" />
  </ItemGroup>
</Project>
XML

dotnet build "$app/B2b.csproj" -nologo -v q || fail "the B2B consumer does not build against the packages"
assets="$app/obj/project.assets.json"
if grep -q '"type": "project"' "$assets"; then fail "the B2B consumer resolved a project reference; it must use the packages only"; fi
script="$app/bin/Debug/net10.0/rls/schema.sql"
[ -f "$script" ] || fail "$script was not written"
grep -q 'CREATE POLICY "admins-delete" ON tasks' "$script" || fail "the typed policy admins-delete is not in $script"
grep -q 'auth.member_tenants(' "$script" || fail "the membership function is not in $script"

dotnet run --project "$app/B2b.csproj" --no-build || fail "the B2B consumer's checks against a fresh database failed (see above)"
echo "package-consumer (b2b): OK ($version)"
