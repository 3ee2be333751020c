using System;

namespace RlsSchema
{
    /// <summary>
    /// An index. On a property it indexes that column; on a class it indexes the properties named in
    /// <see cref="Properties"/>, in order.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    sealed class IndexAttribute : Attribute
    {
        /// <summary>Indexes the property the attribute stands on.</summary>
        public IndexAttribute() => Properties = Array.Empty<string>();

        /// <summary>Indexes the given properties (use <c>nameof</c>), in order. For use on a class.</summary>
        /// <param name="properties">The C# property names.</param>
        public IndexAttribute(params string[] properties) => Properties = properties ?? Array.Empty<string>();

        /// <summary>The C# property names the index covers, when declared on a class.</summary>
        public string[] Properties { get; }

        /// <summary>The index's name; defaults to <c>&lt;table&gt;_&lt;columns&gt;_idx</c>.</summary>
        public string? Name { get; set; }

        /// <summary>When true the index is <c>UNIQUE</c>.</summary>
        public bool Unique { get; set; }
    }
}
