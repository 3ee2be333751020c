namespace RlsSchema.Generator.Model
{
    /// <summary>A check constraint.</summary>
    /// <param name="Name">The constraint name, or null to let PostgreSQL name it.</param>
    /// <param name="Sql">The boolean expression, already validated.</param>
    internal sealed record CheckModel(string? Name, string Sql);
}
