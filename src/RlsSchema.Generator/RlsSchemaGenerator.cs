using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using RlsSchema.Generator.Diagnostics;
using System.Linq;
using RlsSchema.Generator.Emitting;
using RlsSchema.Generator.Migrations;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing;

namespace RlsSchema.Generator
{
    /// <summary>
    /// Turns RlsSchema entity classes into the PostgreSQL migration script (<c>RlsSchema.Generated.RlsSchemaScript.Sql</c>)
    /// and, when the compilation references RlsSchema.Npgsql, a typed repository per entity. This class only wires the
    /// pipeline: parsing lives in <c>Parsing/</c>, output in <c>Emitting/</c>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class RlsSchemaGenerator : IIncrementalGenerator
    {
        private const string SessionTypeName = "RlsSchema.Npgsql.IRlsSession";
        private const string BlanketGrantsProperty = "build_property.RlsSchemaBlanketGrants";

        private static readonly string[] MarkerStepNames =
        {
            TrackingNames.CrudPolicyEntities,
            TrackingNames.PolicyEntities,
            TrackingNames.ForceRlsEntities,
            TrackingNames.CheckEntities,
            TrackingNames.IndexEntities,
            TrackingNames.MembershipEntities,
        };

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValueProvider<ImmutableArray<EntityResult?>> all = Marker(context, 0);
            for (int i = 1; i < KnownAttributes.EntityMarkers.Length; i++)
            {
                all = all.Combine(Marker(context, i)).Select(static (pair, _) => pair.Left.AddRange(pair.Right));
            }

            IncrementalValueProvider<ImmutableEquatableArray<EntityResult>> results = all
                .Select(static (r, _) => SchemaBuilder.Merge(r))
                .WithTrackingName(TrackingNames.AllEntities);

            IncrementalValueProvider<ImmutableEquatableArray<DiagnosticInfo>> diagnostics = results
                .Select(static (r, _) => SchemaBuilder.CollectDiagnostics(r))
                .WithTrackingName(TrackingNames.Diagnostics);

            // Reporting re-runs on every edit (it needs the current syntax trees to place diagnostics in source, where
            // #pragma and .editorconfig apply), but it only maps cached data: it never re-parses or regenerates.
            context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, pair) =>
            {
                foreach (DiagnosticInfo info in pair.Left)
                {
                    spc.ReportDiagnostic(ToDiagnostic(info, pair.Right));
                }
            });

            IncrementalValueProvider<bool> blanketGrants = context.AnalyzerConfigOptionsProvider
                .Select(static (options, _) => options.GlobalOptions.TryGetValue(BlanketGrantsProperty, out string? value)
                    && string.Equals(value?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase))
                .WithTrackingName(TrackingNames.BlanketGrants);
            IncrementalValueProvider<SchemaModel> schema = results
                .Select(static (r, _) => SchemaBuilder.BuildSchema(r))
                .Combine(blanketGrants)
                .Select(static (pair, _) => pair.Left with { BlanketGrants = pair.Right })
                .WithTrackingName(TrackingNames.Schema);
            IncrementalValueProvider<bool> hasRuntime = context.CompilationProvider
                .Select(static (c, _) => c.GetTypeByMetadataName(SessionTypeName) is not null)
                .WithTrackingName(TrackingNames.HasRuntime);

            // With errors the generated namespace and its fixed types still exist, so that the errors are the only ones.
            IncrementalValueProvider<bool> hasErrors = diagnostics
                .Select(static (d, _) => d.Any(i => DiagnosticDescriptors.All[i.DescriptorId].DefaultSeverity == DiagnosticSeverity.Error))
                .WithTrackingName(TrackingNames.HasErrors);

            // The script is written once: the script's output and, before the first migration, the pending SQL use it; the
            // claims its SQL reads come from the same model.
            IncrementalValueProvider<(string Sql, string ClaimsRead)> script = schema
                .Select(static (s, _) => ScriptOf(s))
                .WithTrackingName(TrackingNames.Script);
            context.RegisterSourceOutput(script.Combine(hasErrors), static (spc, pair) => EmitScript(spc, pair.Left, pair.Right));

            // One output per entity: an edit to one entity re-emits its repository (and the script), no other. Items are
            // matched by position in table order, so adding or removing an entity re-emits the ones after it.
            IncrementalValuesProvider<(EntityModel Entity, bool HasRuntime)> repositories = schema
                .SelectMany(static (s, _) => s.Entities)
                .WithTrackingName(TrackingNames.Entities)
                .Combine(hasRuntime)
                .WithTrackingName(TrackingNames.Repositories);
            context.RegisterSourceOutput(repositories, static (spc, item) => EmitRepository(spc, item.Entity, item.HasRuntime));
            ServiceCollectionEmitter.Register(context, schema, hasErrors);

            IncrementalValueProvider<ImmutableEquatableArray<MigrationInput>> migrationFiles = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select(static (pair, ct) => MigrationFileReader.Read(pair.Left, pair.Right.GetOptions(pair.Left), ct))
                .Where(static input => input is not null)
                .Collect()
                .Select(static (inputs, _) => inputs.Select(i => i!).OrderBy(i => i.Path, System.StringComparer.Ordinal).ToImmutableEquatableArray())
                .WithTrackingName(TrackingNames.MigrationFiles);
            IncrementalValueProvider<ImmutableEquatableArray<RenameInfo>> renames = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    RenameReader.AttributeName,
                    static (node, _) => node is TypeDeclarationSyntax or PropertyDeclarationSyntax,
                    static (ctx, ct) => RenameReader.Read(ctx, ct))
                .Where(static rename => rename is not null)
                .Collect()
                .Select(static (r, _) => r.Select(x => x!).OrderBy(x => x.EntityFullyQualifiedName, System.StringComparer.Ordinal)
                    .ThenBy(x => x.PropertyName ?? "", System.StringComparer.Ordinal).ToImmutableEquatableArray())
                .WithTrackingName(TrackingNames.Renames);
            IncrementalValueProvider<MigrationsResult> migrations = schema.Combine(renames).Combine(migrationFiles).Combine(script)
                .Select(static (t, _) => MigrationsBuilder.Build(t.Left.Left.Left, t.Left.Left.Right, t.Left.Right, t.Right.Sql))
                .WithTrackingName(TrackingNames.Migrations);
            context.RegisterSourceOutput(migrations.Select(static (m, _) => m.Diagnostics).Combine(context.CompilationProvider), static (spc, pair) =>
            {
                foreach (DiagnosticInfo info in pair.Left)
                {
                    spc.ReportDiagnostic(ToDiagnostic(info, pair.Right));
                }
            });
            context.RegisterSourceOutput(migrations.Combine(hasErrors), static (spc, pair) => EmitMigrations(spc, pair.Left, pair.Right));
        }

        private static void EmitMigrations(SourceProductionContext context, MigrationsResult result, bool hasErrors)
        {
            if (!result.Emit)
            {
                if (hasErrors)
                {
                    context.AddSource(MigrationsSourceEmitter.MigrationsHintName, MigrationsSourceEmitter.EmitMigrations(result));
                }

                return;
            }

            context.AddSource(MigrationsSourceEmitter.MigrationsHintName, MigrationsSourceEmitter.EmitMigrations(result));
            context.AddSource(MigrationsSourceEmitter.PendingHintName, MigrationsSourceEmitter.EmitConstant(
                "RlsSchemaPending", "The SQL the next migration would hold (empty when the model matches the latest migration's snapshot).", result.PendingSql));
            context.AddSource(MigrationsSourceEmitter.ModelHintName, MigrationsSourceEmitter.EmitConstant(
                "RlsSchemaModel", "The current model, which <c>rlsschema migrations add</c> diffs against <c>rls-model.json</c> (the snapshot with its renames, comments and column order).", result.ModelJson));
        }

        private static IncrementalValueProvider<ImmutableArray<EntityResult?>> Marker(IncrementalGeneratorInitializationContext context, int index) =>
            context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownAttributes.EntityMarkers[index],
                    static (node, _) => node is TypeDeclarationSyntax || node is MethodDeclarationSyntax,
                    (ctx, ct) => EntityParser.Parse(ctx, index, ct))
                .WithTrackingName(MarkerStepNames[index])
                .Collect();

        private static (string Sql, string ClaimsRead) ScriptOf(SchemaModel schema)
        {
            if (schema.Entities.Count == 0)
            {
                return ("", ClaimsRead.Unknown);
            }

            var model = SqlScriptEmitter.Model(schema);
            return (RlsSchema.Schema.ScriptWriter.Write(model), ClaimsRead.Of(model));
        }

        private static void EmitScript(SourceProductionContext context, (string Sql, string ClaimsRead) script, bool hasErrors)
        {
            if (script.Sql.Length == 0)
            {
                if (hasErrors)
                {
                    context.AddSource(ScriptSourceEmitter.HintName, ScriptSourceEmitter.Emit("-- Not generated: the entities have errors (see the build's RLS diagnostics).\n", ClaimsRead.Unknown));
                }

                return;
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            context.AddSource(ScriptSourceEmitter.HintName, ScriptSourceEmitter.Emit(script.Sql, script.ClaimsRead));
        }

        private static void EmitRepository(SourceProductionContext context, EntityModel entity, bool hasRuntime)
        {
            if (hasRuntime)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                context.AddSource(RepositoryEmitter.HintName(entity), RepositoryEmitter.Emit(entity));
            }
        }

        private static Diagnostic ToDiagnostic(DiagnosticInfo info, Compilation compilation)
        {
            DiagnosticDescriptor descriptor = DiagnosticDescriptors.All[info.DescriptorId];
            Location location = Location.None;
            if (info.Location is { } l)
            {
                SyntaxTree? tree = null;
                foreach (SyntaxTree candidate in compilation.SyntaxTrees)
                {
                    if (candidate.FilePath == l.FilePath)
                    {
                        tree = candidate;
                        break;
                    }
                }

                location = tree is not null && l.Span.End <= tree.Length ? Location.Create(tree, l.Span) : Location.Create(l.FilePath, l.Span, l.LineSpan);
            }

            return Diagnostic.Create(descriptor, location, System.Linq.Enumerable.ToArray<object>(info.Arguments));
        }
    }
}
