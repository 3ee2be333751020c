namespace RlsSchema.Generator.Model
{
    /// <summary>What a column defaults to. The emitters decide how each kind is written in SQL.</summary>
    internal abstract record ColumnDefault;

    /// <summary>The SQL expression of a <c>[DefaultSql]</c>, already validated.</summary>
    /// <param name="Sql">The expression.</param>
    internal sealed record SqlColumnDefault(string Sql) : ColumnDefault;

    /// <summary>False: a non-nullable <c>bool</c> without a default of its own.</summary>
    internal sealed record FalseColumnDefault : ColumnDefault;

    /// <summary>A random uuid: a <c>Guid</c> key without a default of its own.</summary>
    internal sealed record RandomUuidColumnDefault : ColumnDefault;
}
