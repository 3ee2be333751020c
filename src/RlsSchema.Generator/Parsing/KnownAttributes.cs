namespace RlsSchema.Generator.Parsing
{
    /// <summary>The full names of the attributes the parser reads.</summary>
    internal static class KnownAttributes
    {
        public const string CrudPolicy = "RlsSchema.CrudPolicyAttribute";
        public const string Policy = "RlsSchema.PolicyAttribute";
        public const string ForceRowLevelSecurity = "RlsSchema.ForceRowLevelSecurityAttribute";
        public const string Check = "RlsSchema.CheckAttribute";
        public const string Index = "RlsSchema.IndexAttribute";
        public const string DefaultSql = "RlsSchema.DefaultSqlAttribute";
        public const string Membership = "RlsSchema.MembershipAttribute";
        public const string OnDelete = "RlsSchema.OnDeleteAttribute";
        public const string ForeignKey = "System.ComponentModel.DataAnnotations.Schema.ForeignKeyAttribute";
        public const string InverseProperty = "System.ComponentModel.DataAnnotations.Schema.InversePropertyAttribute";
        public const string Table = "System.ComponentModel.DataAnnotations.Schema.TableAttribute";
        public const string Column = "System.ComponentModel.DataAnnotations.Schema.ColumnAttribute";
        public const string NotMapped = "System.ComponentModel.DataAnnotations.Schema.NotMappedAttribute";
        public const string DatabaseGenerated = "System.ComponentModel.DataAnnotations.Schema.DatabaseGeneratedAttribute";
        public const string Key = "System.ComponentModel.DataAnnotations.KeyAttribute";
        public const string Required = "System.ComponentModel.DataAnnotations.RequiredAttribute";
        public const string MaxLength = "System.ComponentModel.DataAnnotations.MaxLengthAttribute";

        /// <summary>
        /// The class-level attributes that make a class an entity, in priority order: a class is parsed by the
        /// pipeline branch of the first one it carries, so that it is parsed once. <c>[Policy]</c> on a method
        /// (a typed policy) marks the method's class.
        /// </summary>
        public static readonly string[] EntityMarkers = { CrudPolicy, Policy, ForceRowLevelSecurity, Check, Index, Membership };
    }
}
