using System;

namespace RlsSchema
{
    /// <summary>
    /// A <c>CHECK</c> constraint. On a property it is the column's constraint; on a class it is a table constraint.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class CheckAttribute : Attribute
    {
        /// <summary>Declares a check constraint.</summary>
        /// <param name="sql">The boolean SQL expression, e.g. <c>char_length(task) &gt; 0</c>.</param>
        public CheckAttribute(string sql) => Sql = sql;

        /// <summary>The boolean SQL expression.</summary>
        public string Sql { get; }

        /// <summary>The constraint's name; when omitted PostgreSQL names it.</summary>
        public string? Name { get; set; }
    }
}
