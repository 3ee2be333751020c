namespace RlsSchema
{
    /// <summary>The command a <see cref="PolicyAttribute"/> applies to (<c>CREATE POLICY ... FOR &lt;command&gt;</c>).</summary>
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    enum PolicyCommand
    {
        /// <summary>Every command.</summary>
        All = 0,

        /// <summary><c>SELECT</c>: only <see cref="PolicyAttribute.Using"/> applies.</summary>
        Select = 1,

        /// <summary><c>INSERT</c>: only <see cref="PolicyAttribute.WithCheck"/> applies.</summary>
        Insert = 2,

        /// <summary><c>UPDATE</c>: both <see cref="PolicyAttribute.Using"/> and <see cref="PolicyAttribute.WithCheck"/> apply.</summary>
        Update = 3,

        /// <summary><c>DELETE</c>: only <see cref="PolicyAttribute.Using"/> applies.</summary>
        Delete = 4,
    }
}
