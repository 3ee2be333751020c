using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>One property of a declared entity, as the attributes on it say.</summary>
/// <param name="Name">The C# name; may start with <c>@</c> to use a keyword.</param>
/// <param name="ClrType">The C# type without <c>?</c>.</param>
/// <param name="Nullable">Whether the C# type carries <c>?</c>.</param>
/// <param name="Column">The <c>[Column]</c> name, or null for the snake_case default.</param>
public sealed record PropSpec(
    string Name,
    string ClrType,
    bool Nullable = false,
    string? Column = null,
    bool Key = false,
    string? DefaultSql = null,
    string? Check = null,
    bool NotMapped = false,
    int? MaxLength = null,
    bool Index = false);

/// <summary>A <c>[CrudPolicy]</c>.</summary>
public sealed record CrudSpec(string Role, string? Owner = null, string? Read = null, string? Modify = null);

/// <summary>A raw <c>[Policy]</c>.</summary>
public sealed record PolicySpec(
    string Name,
    PolicyCommand Command,
    string Roles,
    string? Using = null,
    string? WithCheck = null,
    bool Restrictive = false);

/// <summary>
/// An entity declaration to feed the generator: what the attributes say, from which both the C# source and
/// the catalog PostgreSQL must end up with are derived.
/// </summary>
/// <param name="Label">A short description for failure messages.</param>
/// <param name="MustAccept">True when the declaration is legitimate, so a generator that refuses it is wrong too.</param>
/// <param name="RawSource">Hand-written (possibly malformed) C# used instead of rendering the spec.</param>
public sealed record EntitySpec(
    string Label,
    string ClassName,
    string? Table,
    IReadOnlyList<PropSpec> Props,
    IReadOnlyList<CrudSpec> Cruds,
    IReadOnlyList<PolicySpec> Policies,
    bool Force = false,
    bool MustAccept = false,
    string? RawSource = null)
{
    /// <summary>The table name PostgreSQL should end up with.</summary>
    public string ExpectedTable => Table ?? Naming.SnakeCase(ClassName);

    /// <summary>The mapped properties, in declaration order.</summary>
    public IEnumerable<PropSpec> Mapped => Props.Where(p => !p.NotMapped);

    /// <summary>The column name a property should end up with.</summary>
    public static string ColumnOf(PropSpec p) => p.Column ?? Naming.SnakeCase(p.Name);

    /// <inheritdoc />
    public override string ToString() => Label;
}
