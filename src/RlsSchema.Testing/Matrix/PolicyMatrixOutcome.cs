namespace RlsSchema.Testing;

/// <summary>What PostgreSQL did with one statement of a <see cref="PolicyMatrix"/>.</summary>
public enum PolicyMatrixOutcome
{
    /// <summary>The statement read, inserted, updated or deleted the row.</summary>
    Allowed,

    /// <summary>The statement ran without error but touched no row: a policy's <c>USING</c> hid the row.</summary>
    Filtered,

    /// <summary>PostgreSQL refused the statement with <c>42501</c>: the role holds no privilege, or a policy's <c>WITH CHECK</c> rejected the row.</summary>
    Refused,
}
