using System;

namespace RlsSchema
{
    /// <summary>
    /// Says that a table or column was renamed, so the next migration renames it and keeps its data instead of
    /// dropping it and creating an empty one. On a class it gives the table's previous name; on a property, the
    /// column's previous name. Renames are never guessed: without this attribute a new name is a new object.
    /// The attribute can stay after the migration is written; it only acts while the old name is in the model snapshot.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class RenamedFromAttribute : Attribute
    {
        /// <summary>Records the previous name.</summary>
        /// <param name="oldName">The table's or column's previous SQL name, unquoted (for example <c>todo_items</c>).</param>
        public RenamedFromAttribute(string oldName) => OldName = oldName;

        /// <summary>The previous SQL name, unquoted.</summary>
        public string OldName { get; }
    }
}
