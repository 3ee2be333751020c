using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Migrations
{
    /// <summary>One migration file, ready to embed.</summary>
    /// <param name="Id">The file's number.</param>
    /// <param name="Name">The name after the number.</param>
    /// <param name="Sql">The file's SQL, with <c>\n</c> line ends.</param>
    /// <param name="Checksum">The lower-case hex SHA-256 of the SQL in UTF-8.</param>
    internal sealed record EmbeddedMigration(long Id, string Name, string Sql, string Checksum);

    /// <summary>What the migrations part of the generator produces for a compilation.</summary>
    /// <param name="Migrations">The migration files, by number.</param>
    /// <param name="PendingSql">The SQL the next migration would hold; empty when the model matches the snapshot.</param>
    /// <param name="ModelJson">The current model as <c>rlsschema migrations add</c> reads it: the snapshot with its renames, comments and column order.</param>
    /// <param name="Emit">Whether there is anything to emit (entities or migration files).</param>
    /// <param name="Diagnostics">RLS0100 and its neighbours.</param>
    internal sealed record MigrationsResult(
        ImmutableEquatableArray<EmbeddedMigration> Migrations,
        string PendingSql,
        string ModelJson,
        bool Emit,
        ImmutableEquatableArray<DiagnosticInfo> Diagnostics);
}
