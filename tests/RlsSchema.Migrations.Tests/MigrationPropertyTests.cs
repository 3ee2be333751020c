extern alias generator;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using generator::RlsSchema.Generator.Emitting;
using generator::RlsSchema.Generator.Migrations;
using generator::RlsSchema.Generator.Model;
using generator::RlsSchema.Schema;
using RlsSchema.Npgsql;
using RlsSchema.Npgsql.Migrations;
using Xunit;
using Xunit.Abstractions;

namespace RlsSchema.Migrations.Tests;

/// <summary>
/// Random sequences of model edits: applying migrations 1..n to an empty database must give the catalog the full script
/// of model n gives an empty database (tables, columns, constraints, indexes, policies with PostgreSQL's normalised
/// expressions, RLS flags, grants), and so must applying 1..k, then k+1..n in a second run.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrationPropertyTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly Gen<(Edit[] Edits, int Split)> Sequences = Gen.Select(Edit.Gen.Array[1, 12], Gen.Int[0, 1000]);

    private static int Iterations =>
        Environment.GetEnvironmentVariable("RLS_MIGRATIONS_ITER") is { Length: > 0 } v && int.TryParse(v, out int n) ? n : 30;

    [Fact]
    public async Task Migrations_one_by_one_and_in_two_runs_build_the_catalog_the_full_script_builds()
    {
        int sequences = 0, edits = 0, foreignKeyEdits = 0, membershipEdits = 0, typedPolicies = 0, otherSchemaTables = 0, migrations = 0, divergences = 0;
        await Check.SampleAsync(
            Sequences,
            async sample =>
            {
                var (models, applied) = Models(sample.Edits);
                var list = Migrations.From(models);
                string last = SqlScriptEmitter.Emit(models[^1].Schema);
                int split = 1 + (sample.Split % list.Count);

                await using var full = await ScratchDatabase.CreateAsync(fixture.Server);
                await Migrations.ExecuteAsync(full.ConnectionString, last);
                var expected = await Migrations.CatalogAsync(full.ConnectionString);

                await using var stepwise = await ScratchDatabase.CreateAsync(fixture.Server);
                await using (var migrator = new RlsMigrator(stepwise.ConnectionString))
                {
                    await migrator.MigrateAsync(list);
                }

                await using var twoRuns = await ScratchDatabase.CreateAsync(fixture.Server);
                await using (var migrator = new RlsMigrator(twoRuns.ConnectionString))
                {
                    await migrator.MigrateAsync(list.Take(split));
                    await migrator.MigrateAsync(list);
                }

                var one = Migrations.Compare(expected, await Migrations.CatalogAsync(stepwise.ConnectionString));
                var two = Migrations.Compare(expected, await Migrations.CatalogAsync(twoRuns.ConnectionString));
                Interlocked.Increment(ref sequences);
                Interlocked.Add(ref edits, applied.Count);
                Interlocked.Add(ref foreignKeyEdits, applied.Count(a => a.Contains("foreign key", StringComparison.Ordinal) || a.StartsWith("on delete", StringComparison.Ordinal)));
                Interlocked.Add(ref membershipEdits, applied.Count(a => a.Contains("membership", StringComparison.Ordinal)));
                Interlocked.Add(ref typedPolicies, applied.Count(a => a.StartsWith("add typed policy", StringComparison.Ordinal)));
                Interlocked.Add(ref otherSchemaTables, applied.Count(a => a.StartsWith("add table app.", StringComparison.Ordinal)));
                Interlocked.Add(ref migrations, list.Count);
                if (one.Count > 0 || two.Count > 0)
                {
                    Interlocked.Increment(ref divergences);
                    throw new Xunit.Sdk.XunitException(
                        "edits:\n  " + string.Join("\n  ", applied)
                        + "\nmigrations 1.." + list.Count + " against the full script:\n" + Migrations.Describe(one)
                        + "\nmigrations 1.." + split + " then the rest:\n" + Migrations.Describe(two)
                        + "\nthe last migration:\n" + list[^1].Sql);
                }
            },
            iter: Iterations,
            threads: 1,
            seed: Environment.GetEnvironmentVariable("RLS_MIGRATIONS_SEED") is { Length: > 0 } s ? s : null,
            print: s => string.Join("; ", Models(s.Edits).Applied));

        output.WriteLine($"{sequences} sequences, {edits} edits ({foreignKeyEdits} of foreign keys, {membershipEdits} of the membership entity, {typedPolicies} typed policies through a foreign key, {otherSchemaTables} tables added outside public), {migrations} migrations, {divergences} divergences");
        Assert.True(sequences >= Iterations, $"ran {sequences} sequences");
        // Most random edits apply (3.8 a sequence over 300 sequences); the bound sits far enough below that mean that 30
        // sequences never miss it by chance, and a model that stopped taking edits still fails it.
        Assert.True(edits >= sequences * 2, $"only {edits} edits in {sequences} sequences applied");
    }

    [Fact]
    public async Task The_comparison_sees_a_policy_expression_that_differs()
    {
        var model = new RandomModel();
        var schema = model.ToSchema();
        var entity = schema.Entities[0];
        var changed = new SchemaModel(new[]
        {
            entity with
            {
                Policies = entity.Policies.Select(p => p with
                {
                    Using = p.Using is SqlPolicyExpression u ? new SqlPolicyExpression("(" + u.Sql + ") AND false") : null,
                    WithCheck = p.WithCheck is SqlPolicyExpression c ? new SqlPolicyExpression("(" + c.Sql + ") AND false") : null,
                }).ToImmutableEquatableArray(),
            },
        }.ToImmutableEquatableArray());
        var a = await fixture.Server.CreateDatabaseAsync();
        var b = await fixture.Server.CreateDatabaseAsync();
        await Migrations.ExecuteAsync(a.OwnerConnectionString, SqlScriptEmitter.Emit(schema));
        await Migrations.ExecuteAsync(b.OwnerConnectionString, SqlScriptEmitter.Emit(changed));

        var differences = Migrations.Compare(await Migrations.CatalogAsync(a.OwnerConnectionString), await Migrations.CatalogAsync(b.OwnerConnectionString));

        Assert.Equal(2, differences.Count);
        Assert.All(differences, d => Assert.StartsWith(d.StartsWith('-') ? "- policy public." : "+ policy public.", d));
    }

    private static (List<(SchemaModel Schema, IReadOnlyList<RenameInfo> Renames)> Models, List<string> Applied) Models(Edit[] edits)
    {
        var model = new RandomModel();
        var models = new List<(SchemaModel, IReadOnlyList<RenameInfo>)> { (model.ToSchema(), model.Renames) };
        var applied = new List<string>();
        foreach (Edit edit in edits)
        {
            if (model.Apply(edit) is { } what)
            {
                applied.Add(what);
                models.Add((model.ToSchema(), model.Renames));
            }
        }

        return (models, applied);
    }
}
