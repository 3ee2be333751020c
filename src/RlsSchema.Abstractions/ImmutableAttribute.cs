using System;

namespace RlsSchema
{
    /// <summary>
    /// Marks a column end users set when they insert a row and never change afterwards (an owner, a tenant, a kind).
    /// The session roles' UPDATE privilege on the table then lists every other column, so an end user's
    /// <c>UPDATE</c> of this column fails with 42501 (<c>RlsAuthorizationException</c>) whatever the policies say;
    /// INSERT keeps every column. The table's owner and the service session may still change it. The generated
    /// repository's <c>UpdateAsync</c> leaves the column out.
    /// </summary>
    /// <example>
    /// <code>
    /// [Immutable, DefaultSql("auth.user_id()")] public string OwnerId { get; set; } = "";
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class ImmutableAttribute : Attribute
    {
    }
}
