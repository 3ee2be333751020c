using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Security.Tests.Infrastructure;
using RlsSchema.Testing;
using RlsSchema.Tests.Generation;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>What became of one declaration.</summary>
public enum Verdict
{
    /// <summary>The C# itself does not compile; the generator only had to survive it.</summary>
    BrokenCSharp,

    /// <summary>The generator reported an error diagnostic.</summary>
    Refused,

    /// <summary>The generator emitted a script, PostgreSQL applied it (twice), and the catalog was compared.</summary>
    Applied,
}

/// <summary>
/// Runs one declaration through the generator and, when it emits a script, through a fresh database; lists every
/// way the outcome breaks the rule "never an exception; an error diagnostic on the user's code, or a script that
/// PostgreSQL accepts and whose catalog means what the attributes say".
/// </summary>
public sealed class HostileDeclarationJudge(SecurityEnvironment env)
{
    private int _case;

    /// <summary>Judges one declaration.</summary>
    public async Task<(Verdict Verdict, List<string> Problems)> JudgeAsync(EntitySpec spec)
    {
        var problems = new List<string>();
        string source = EntitySource.Render(spec, "Hostile.Case" + (++_case).ToString(System.Globalization.CultureInfo.InvariantCulture));
        CSharpCompilation compilation;
        GenerationResult run;
        try
        {
            compilation = GeneratorHarness.Compile([source]);
            run = GeneratorHarness.Run(compilation);
        }
        catch (Exception e)
        {
            problems.Add("running the generator threw " + e);
            return (Verdict.Refused, problems);
        }

        problems.AddRange(run.Exceptions.Select(e => "the generator threw " + e.GetType().Name + ": " + e.Message));
        if (compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return (Verdict.BrokenCSharp, problems);
        }

        SyntaxTree input = compilation.SyntaxTrees.Single();
        List<Diagnostic> errors = run.GeneratorErrors.ToList();
        if (errors.Count > 0)
        {
            foreach (Diagnostic d in errors)
            {
                if (!d.Id.StartsWith("RLS", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    problems.Add($"diagnostic {d.Id} is not an RLS diagnostic with a message");
                }

                FileLinePositionSpan at = d.Location.GetLineSpan();
                if (d.Location.Kind == LocationKind.None || at.Path != input.FilePath || d.Location.SourceSpan.End > input.Length)
                {
                    problems.Add($"diagnostic {d.Id} has no location on the user's code: {d}");
                }
            }

            if (spec.MustAccept)
            {
                problems.Add("refused a legitimate declaration: " + string.Join("; ", errors.Select(d => d.ToString())));
            }

            return (Verdict.Refused, problems);
        }

        if (run.OutputErrors.Any())
        {
            problems.Add("the generated C# does not compile: " + string.Join("; ", run.OutputErrors.Take(3).Select(d => d.ToString())));
        }

        if (run.Sql is null)
        {
            // Hand-written sources may declare no entity at all, nor does a class without any class-level RlsSchema attribute.
            if (spec.RawSource is null && (spec.Cruds.Count > 0 || spec.Policies.Count > 0 || spec.Force))
            {
                problems.Add("no error diagnostic and no script");
            }

            return (Verdict.Refused, problems);
        }

        ExpectedCatalog expected = CatalogOracle.Expect(spec);
        if (spec.RawSource is null && expected.Policies.Any(p => p.Using?.StartsWith('<') == true || p.WithCheck?.StartsWith('<') == true))
        {
            problems.Add("accepted a declaration whose policies have no meaning (an owner that is no mapped property)");
        }

        TestDatabase database = await env.Server.CreateDatabaseAsync();
        try
        {
            await CatalogCheck.PrepareAsync(database.OwnerConnectionString);
            await using var migrator = database.CreateMigrator();
            try
            {
                await migrator.MigrateAsync(run.Sql);
                await migrator.MigrateAsync(run.Sql);
            }
            catch (Exception e) when (e is PostgresException or NpgsqlException or ArgumentException or System.Text.EncoderFallbackException)
            {
                problems.Add("PostgreSQL refused the script: " + e.Message);
                return (Verdict.Applied, problems);
            }

            if (spec.RawSource is null)
            {
                problems.AddRange(await CatalogCheck.CompareAsync(database.OwnerConnectionString, expected));
            }

            return (Verdict.Applied, problems);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Sql.ExecuteAsync(env.Server.ConnectionString, $"DROP DATABASE IF EXISTS \"{database.Name}\" WITH (FORCE)");
            await Sql.ExecuteAsync(env.Server.ConnectionString, $"DROP ROLE IF EXISTS \"{database.AuthenticatorRole}\"");
        }
    }
}
