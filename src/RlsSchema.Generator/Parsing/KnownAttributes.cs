namespace RlsSchema.Generator.Parsing
{
    /// <summary>The full names of the attributes the parser reads.</summary>
    /// <remarks>
    /// RlsSchema's own attributes are the Abstractions sources compiled into this assembly, so their names follow a
    /// rename there. The data annotations and EF Core's attributes are Entity Framework's, which the generator does not
    /// reference.
    /// </remarks>
    internal static class KnownAttributes
    {
        public static readonly string CrudPolicy = typeof(CrudPolicyAttribute).FullName!;
        public static readonly string Policy = typeof(PolicyAttribute).FullName!;
        public static readonly string ForceRowLevelSecurity = typeof(ForceRowLevelSecurityAttribute).FullName!;
        public static readonly string Check = typeof(CheckAttribute).FullName!;
        public static readonly string Index = typeof(IndexAttribute).FullName!;
        public static readonly string DefaultSql = typeof(DefaultSqlAttribute).FullName!;
        public static readonly string Membership = typeof(MembershipAttribute).FullName!;
        public static readonly string OnDelete = typeof(OnDeleteAttribute).FullName!;
        public static readonly string SqlFunction = typeof(SqlFunctionAttribute).FullName!;
        public static readonly string Immutable = typeof(ImmutableAttribute).FullName!;
        public static readonly string ServerGenerated = typeof(ServerGeneratedAttribute).FullName!;
        public const string Table = "System.ComponentModel.DataAnnotations.Schema.TableAttribute";
        public const string Column = "System.ComponentModel.DataAnnotations.Schema.ColumnAttribute";
        public const string NotMapped = "System.ComponentModel.DataAnnotations.Schema.NotMappedAttribute";
        public const string DatabaseGenerated = "System.ComponentModel.DataAnnotations.Schema.DatabaseGeneratedAttribute";
        public const string Key = "System.ComponentModel.DataAnnotations.KeyAttribute";
        public const string Required = "System.ComponentModel.DataAnnotations.RequiredAttribute";
        public const string MaxLength = "System.ComponentModel.DataAnnotations.MaxLengthAttribute";
        public const string ForeignKey = "System.ComponentModel.DataAnnotations.Schema.ForeignKeyAttribute";
        public const string InverseProperty = "System.ComponentModel.DataAnnotations.Schema.InversePropertyAttribute";
        public const string StringLength = "System.ComponentModel.DataAnnotations.StringLengthAttribute";

        // EF Core's own mapping attributes (Microsoft.EntityFrameworkCore.Abstractions), read where a project has them,
        // so an EF Core model means the same here. [Unicode] is read by nobody: PostgreSQL text is always Unicode.
        public const string EfIndex = "Microsoft.EntityFrameworkCore.IndexAttribute";
        public const string EfPrimaryKey = "Microsoft.EntityFrameworkCore.PrimaryKeyAttribute";
        public const string EfPrecision = "Microsoft.EntityFrameworkCore.PrecisionAttribute";
        public const string EfComment = "Microsoft.EntityFrameworkCore.CommentAttribute";
        public const string EfKeyless = "Microsoft.EntityFrameworkCore.KeylessAttribute";
        public const string EfDeleteBehavior = "Microsoft.EntityFrameworkCore.DeleteBehaviorAttribute";
        public const string EfDbFunction = "Microsoft.EntityFrameworkCore.DbFunctionAttribute";

        /// <summary>
        /// The class-level attributes that make a class an entity, in priority order: a class is parsed by the
        /// pipeline branch of the first one it carries, so that it is parsed once. <c>[Policy]</c> on a method
        /// (a typed policy) marks the method's class.
        /// </summary>
        public static readonly string[] EntityMarkers = { CrudPolicy, Policy, ForceRowLevelSecurity, Check, Index, Membership };
    }
}
