using System;

namespace RlsSchema
{
    /// <summary>
    /// Sets the foreign key's <c>ON DELETE</c> action. Put it on the foreign key property or on its navigation.
    /// Without it a required relationship cascades and an optional one is <c>NO ACTION</c>, as in EF Core.
    /// EF Core's <c>[DeleteBehavior]</c> on the navigation is read too, as EF Core's migrations read it; where both
    /// stand they must mean the same action.
    /// </summary>
    /// <example>
    /// <code>
    /// [OnDelete(ReferentialAction.SetNull)] public string? AssigneeId { get; set; }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class OnDeleteAttribute : Attribute
    {
        /// <summary>Sets the action.</summary>
        /// <param name="action">What happens to referencing rows when the referenced row is deleted.</param>
        public OnDeleteAttribute(ReferentialAction action) => Action = action;

        /// <summary>What happens to referencing rows when the referenced row is deleted.</summary>
        public ReferentialAction Action { get; }
    }
}
