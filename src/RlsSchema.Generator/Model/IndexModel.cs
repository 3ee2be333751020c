namespace RlsSchema.Generator.Model
{
    /// <summary>An index on the table.</summary>
    /// <param name="Name">The index name, unquoted.</param>
    /// <param name="Columns">The column names, in order.</param>
    /// <param name="Unique">Whether the index is unique.</param>
    internal sealed record IndexModel(string Name, ImmutableEquatableArray<string> Columns, bool Unique);
}
