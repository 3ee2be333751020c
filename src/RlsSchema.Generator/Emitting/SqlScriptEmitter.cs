using RlsSchema.Generator.Migrations;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Emitting
{
    /// <summary>
    /// Writes the migration script of the entities: their database model, built from an empty database by the schema
    /// engine's differ and SQL writer (every statement idempotent: IF NOT EXISTS, DROP ... IF EXISTS, guarded DO blocks).
    /// </summary>
    internal static class SqlScriptEmitter
    {
        /// <summary>Writes the script for the given entities.</summary>
        /// <param name="schema">The entities, sorted.</param>
        /// <returns>The script; lines end with <c>\n</c>, and the last line is <see cref="ScriptWriter.EndLine"/> without a newline.</returns>
        public static string Emit(SchemaModel schema) => ScriptWriter.Write(Model(schema));

        /// <summary>The database model the script creates, for what else is read from it (<see cref="ClaimsRead"/>).</summary>
        /// <param name="schema">The entities, sorted.</param>
        /// <returns>The model.</returns>
        public static DatabaseModel Model(SchemaModel schema) =>
            DatabaseModelBuilder.Build(schema, ImmutableEquatableArray<RenameInfo>.Empty);
    }
}
