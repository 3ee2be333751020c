using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Model.TypedPolicies
{
    // A typed policy's condition is a tree of the records below, translated from C# but not yet SQL: columns are named
    // by their C# properties and related rows by their entities, so the emitter applies each entity's own names,
    // qualifies every column, and chooses the SQL shapes. Value-equal, so the pipeline caches it.

    /// <summary><c>a &amp;&amp; b</c>.</summary>
    /// <param name="Left">The left operand.</param>
    /// <param name="Right">The right operand.</param>
    internal sealed record AndExpression(PolicyExpression Left, PolicyExpression Right) : PolicyExpression;

    /// <summary><c>a || b</c>.</summary>
    /// <param name="Left">The left operand.</param>
    /// <param name="Right">The right operand.</param>
    internal sealed record OrExpression(PolicyExpression Left, PolicyExpression Right) : PolicyExpression;

    /// <summary><c>!a</c>.</summary>
    /// <param name="Operand">The negated condition.</param>
    internal sealed record NotExpression(PolicyExpression Operand) : PolicyExpression;

    /// <summary><c>true</c> or <c>false</c>.</summary>
    /// <param name="Value">The constant.</param>
    internal sealed record BooleanConstant(bool Value) : PolicyExpression;

    /// <summary>A comparison of two values, with C#'s null semantics.</summary>
    /// <param name="Operator">The operator.</param>
    /// <param name="Left">The left value.</param>
    /// <param name="Right">The right value.</param>
    internal sealed record Comparison(ComparisonOperator Operator, PolicyValue Left, PolicyValue Right) : PolicyExpression;

    /// <summary><c>new[] { ... }.Contains(value)</c>: the value equals one of the constants.</summary>
    /// <param name="Value">The tested value.</param>
    /// <param name="Items">The constants.</param>
    internal sealed record InList(PolicyValue Value, ImmutableEquatableArray<PolicyValue> Items) : PolicyExpression;

    /// <summary>A boolean value used as a condition, e.g. a <c>bool</c> column.</summary>
    /// <param name="Value">The value.</param>
    internal sealed record BooleanTest(PolicyValue Value) : PolicyExpression;

    /// <summary><c>Auth.HasPermission("...")</c>.</summary>
    /// <param name="Permission">The permission.</param>
    internal sealed record HasPermission(string Permission) : PolicyExpression;

    /// <summary><c>Auth.IsMemberOf(tenant)</c> or, with a role, <c>Auth.HasMemberRole(tenant, role)</c>.</summary>
    /// <param name="Tenant">The tenant id.</param>
    /// <param name="Role">The membership role, or null for any.</param>
    internal sealed record MemberOf(PolicyValue Tenant, string? Role) : PolicyExpression;

    /// <summary>A condition on the row a many-to-one foreign key references: <c>t.Project.X == ...</c>.</summary>
    /// <param name="ForeignKeyProperty">The foreign key property of the current row.</param>
    /// <param name="PrincipalEntity">The referenced entity, fully qualified.</param>
    /// <param name="Condition">The condition, over the referenced row.</param>
    internal sealed record ThroughReference(string ForeignKeyProperty, string PrincipalEntity, PolicyExpression Condition) : PolicyExpression;

    /// <summary>
    /// A condition on the row a many-to-one foreign key references that also reads this row's columns
    /// (<see cref="OuterColumnValue"/>): <c>m.UserId != m.Account.PrimaryOwnerUserId</c>. It needs the related row of each
    /// row, so it is a per-row lookup by the related table's primary key.
    /// </summary>
    /// <param name="ForeignKeyProperty">The foreign key property of the current row.</param>
    /// <param name="PrincipalEntity">The referenced entity, fully qualified.</param>
    /// <param name="Condition">The condition, over the referenced row and this row.</param>
    internal sealed record CorrelatedReference(string ForeignKeyProperty, string PrincipalEntity, PolicyExpression Condition) : PolicyExpression;

    /// <summary><c>p.Tasks.Any(t =&gt; ...)</c>: some dependent row referencing the current row meets the condition.</summary>
    /// <param name="DependentEntity">The dependent entity, fully qualified.</param>
    /// <param name="ForeignKeyProperty">The dependent's foreign key property referencing the current row.</param>
    /// <param name="Condition">The condition over the dependent row, or null for any.</param>
    internal sealed record AnyDependent(string DependentEntity, string ForeignKeyProperty, PolicyExpression? Condition) : PolicyExpression;

    /// <summary>A comparison operator.</summary>
    internal enum ComparisonOperator
    {
        /// <summary><c>==</c>.</summary>
        Equal,

        /// <summary><c>!=</c>.</summary>
        NotEqual,

        /// <summary><c>&lt;</c>.</summary>
        LessThan,

        /// <summary><c>&lt;=</c>.</summary>
        LessThanOrEqual,

        /// <summary><c>&gt;</c>.</summary>
        GreaterThan,

        /// <summary><c>&gt;=</c>.</summary>
        GreaterThanOrEqual,
    }
}
