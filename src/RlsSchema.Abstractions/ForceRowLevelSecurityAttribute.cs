using System;

namespace RlsSchema
{
    /// <summary>
    /// Emits <c>ALTER TABLE ... FORCE ROW LEVEL SECURITY</c>, so that the table's owner is subject to its policies too.
    /// Without it the owner role (the one that runs migrations) bypasses them.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class ForceRowLevelSecurityAttribute : Attribute
    {
    }
}
