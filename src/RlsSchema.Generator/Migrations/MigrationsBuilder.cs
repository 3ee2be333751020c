using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Emitting;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Migrations
{
    /// <summary>
    /// Joins the model, the <c>[RenamedFrom]</c> names and the migrations folder: the migrations to embed, the pending
    /// SQL (the model diffed against the snapshot, or the full script when there is no snapshot yet) and the diagnostics.
    /// </summary>
    internal static class MigrationsBuilder
    {
        /// <summary>Builds the result.</summary>
        /// <param name="schema">The entities.</param>
        /// <param name="renames">The renames, sorted.</param>
        /// <param name="inputs">The migrations folder's files.</param>
        /// <param name="script">The entities' full script when the caller has written it already (the generator's script step), else null.</param>
        /// <returns>The result.</returns>
        public static MigrationsResult Build(SchemaModel schema, ImmutableEquatableArray<RenameInfo> renames, ImmutableEquatableArray<MigrationInput> inputs, string? script = null)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var migrations = new List<EmbeddedMigration>();
            var paths = new Dictionary<long, string>();
            foreach (MigrationInput input in inputs.Where(i => !i.IsSnapshot).OrderBy(i => i.FileName, StringComparer.Ordinal))
            {
                if (!MigrationFiles.TryParseFileName(input.FileName, out long id, out string name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMigrationFileName.Id, At(input.Path), input.FileName));
                    continue;
                }

                if (paths.ContainsKey(id))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateMigrationNumber.Id, At(input.Path), System.IO.Path.GetFileName(paths[id]), input.FileName));
                    continue;
                }

                paths[id] = input.Path;
                migrations.Add(new EmbeddedMigration(id, name, input.Text, MigrationFiles.Checksum(input.Text)));
            }

            migrations.Sort((a, b) => a.Id.CompareTo(b.Id));
            DatabaseModel current = DatabaseModelBuilder.Build(schema, renames);
            string pending = "";
            MigrationInput? snapshotFile = inputs.FirstOrDefault(i => i.IsSnapshot);
            DatabaseModel? snapshot = null;
            bool snapshotUsable = true;
            if (snapshotFile is not null)
            {
                try
                {
                    snapshot = SnapshotJson.Read(snapshotFile.Text);
                }
                catch (FormatException e)
                {
                    snapshotUsable = false;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableSnapshot.Id, At(snapshotFile.Path), snapshotFile.FileName, e.Message));
                }
            }
            else if (migrations.Any(m => MigrationFiles.IsModelMigration(m.Sql)))
            {
                // Application migrations alone may come before the model's first one, which starts the snapshot.
                snapshotUsable = false;
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnreadableSnapshot.Id,
                    At(paths[migrations.Last(m => MigrationFiles.IsModelMigration(m.Sql)).Id]),
                    MigrationFiles.SnapshotFileName,
                    "it is missing beside the migrations; restore it from version control (it records the model as of the latest migration)"));
            }

            if (snapshot is not null)
            {
                MigrationPlan plan = MigrationPlan.Between(snapshot, current);
                pending = plan.ToSql();
                if (!plan.IsEmpty)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.PendingModelChanges.Id, null));
                    foreach (string loss in plan.Destructive)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DestructiveChange.Id, null, loss));
                    }

                    foreach (AccessChange change in AccessReport.Of(snapshot, plan.Operations).Widening)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.WideningChange.Id,
                            null,
                            change.Table.ToString(),
                            change.Role,
                            change.Command,
                            change.IsAnonymous ? " (a role with no token: anyone, signed in or not, gains this access)" : "",
                            string.Join("; ", change.Reasons)));
                    }
                }
            }
            else if (snapshotUsable && schema.Entities.Count > 0)
            {
                // No migration yet: the first one is the full script, which also adopts a database made from it.
                pending = (script ?? SqlScriptEmitter.Emit(schema)) + "\n";
            }

            return new MigrationsResult(
                migrations.ToImmutableEquatableArray(),
                pending,
                SnapshotJson.WriteFull(current),
                schema.Entities.Count > 0 || migrations.Count > 0,
                diagnostics.ToImmutableEquatableArray());
        }

        private static LocationInfo At(string path) => new LocationInfo(path, default(TextSpan), default(LinePositionSpan));
    }
}
