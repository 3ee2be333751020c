namespace RlsSchema.Generator.Model
{
    /// <summary>A policy's <c>USING</c> or <c>WITH CHECK</c> condition, as meaning: the emitters write the SQL.</summary>
    internal abstract record PolicyExpression;

    /// <summary>A SQL boolean expression the user wrote, already validated.</summary>
    /// <param name="Sql">The expression, trimmed.</param>
    internal sealed record SqlPolicyExpression(string Sql) : PolicyExpression;

    /// <summary>The row belongs to the signed-in user: its owner column equals the user's id.</summary>
    /// <param name="Owner">The owner column.</param>
    internal sealed record OwnerPolicyExpression(OwnerModel Owner) : PolicyExpression;
}
