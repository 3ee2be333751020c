using System;

namespace RlsSchema
{
    /// <summary>
    /// Marks a static method as a stand-in for an application SQL function, so that a typed policy may call it: the call
    /// becomes a call of the named function. With constant or <see cref="Auth"/> arguments only, the call is an
    /// initplan, evaluated once per statement. The function itself comes from an application migration; the method's
    /// body never runs in a policy. EF Core's <c>[DbFunction]</c> is read the same way.
    /// </summary>
    /// <example>
    /// <code>
    /// public static class Flags
    /// {
    ///     [SqlFunction("app.feature_enabled")]
    ///     public static bool FeatureEnabled(string feature) => throw new NotSupportedException();
    /// }
    /// </code>
    /// </example>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class SqlFunctionAttribute : Attribute
    {
        /// <summary>Names the function.</summary>
        /// <param name="name">The function's name, <c>schema.name</c> or <c>name</c>.</param>
        public SqlFunctionAttribute(string name) => Name = name;

        /// <summary>The function's name, <c>schema.name</c> or <c>name</c>.</summary>
        public string Name { get; }
    }
}
