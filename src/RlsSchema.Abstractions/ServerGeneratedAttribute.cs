using System;

namespace RlsSchema
{
    /// <summary>
    /// Marks a column end users never write: the database fills it (a default, a trigger) or backend code does, through
    /// the table's owner or the service session. The session roles' INSERT and UPDATE privileges on the table then list
    /// every other column, so an end user's <c>INSERT</c> or <c>UPDATE</c> naming this column fails with 42501
    /// (<c>RlsAuthorizationException</c>) whatever the policies say. The generated repository never sends it and reads
    /// it back from <c>RETURNING</c>.
    /// </summary>
    /// <example>
    /// <code>
    /// [ServerGenerated, DefaultSql("now()")] public DateTimeOffset CreatedAt { get; set; }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class ServerGeneratedAttribute : Attribute
    {
    }
}
