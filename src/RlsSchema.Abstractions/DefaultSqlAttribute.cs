using System;

namespace RlsSchema
{
    /// <summary>The column's default, as a SQL expression: <c>[DefaultSql("now()")]</c> emits <c>default now()</c>.</summary>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class DefaultSqlAttribute : Attribute
    {
        /// <summary>Sets the column default.</summary>
        /// <param name="sql">A SQL expression, e.g. <c>auth.user_id()</c> or <c>now()</c>.</param>
        public DefaultSqlAttribute(string sql) => Sql = sql;

        /// <summary>The SQL expression.</summary>
        public string Sql { get; }
    }
}
