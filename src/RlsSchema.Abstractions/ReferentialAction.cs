namespace RlsSchema
{
    /// <summary>What PostgreSQL does to the rows that reference a row when that row is deleted (<c>ON DELETE</c>).</summary>
#if RLSSCHEMA_GENERATOR
    internal
#else
    public
#endif
    enum ReferentialAction
    {
        /// <summary><c>ON DELETE NO ACTION</c>: the delete fails while rows still reference it (checked at the end of the statement).</summary>
        NoAction = 0,

        /// <summary><c>ON DELETE CASCADE</c>: the referencing rows are deleted too.</summary>
        Cascade = 1,

        /// <summary><c>ON DELETE SET NULL</c>: the referencing rows keep existing with a null foreign key; the key must be nullable.</summary>
        SetNull = 2,

        /// <summary><c>ON DELETE RESTRICT</c>: the delete fails at once while rows still reference it.</summary>
        Restrict = 3,
    }
}
