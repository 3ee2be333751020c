namespace RlsSchema
{
    /// <summary>Well-known values for <see cref="CrudPolicyAttribute.Read"/> and <see cref="CrudPolicyAttribute.Modify"/>.</summary>
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    static class Policies
    {
        /// <summary>Every row: the policy expression <c>true</c>.</summary>
        public const string True = "true";

        /// <summary>No row: the policy expression <c>false</c>.</summary>
        public const string False = "false";

        /// <summary>Emit no policy for this part (Drizzle's <c>null</c>), so the role gets no access of that kind.</summary>
        public const string None = "<no policy>";
    }
}
