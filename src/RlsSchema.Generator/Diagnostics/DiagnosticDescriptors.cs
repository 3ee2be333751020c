using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Diagnostics
{
    /// <summary>Every diagnostic the generator reports: one place for ids, titles and messages.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "RlsSchema";

        /// <summary>The page that explains every diagnostic, one section per id.</summary>
        public const string HelpPage = "https://github.com/rlsschema/rlsschema/blob/main/docs/diagnostics.md";

        /// <summary>RLS0001: the entity is generic, nested, abstract or static.</summary>
        public static readonly DiagnosticDescriptor UnsupportedEntityShape = Error(
            "RLS0001",
            "Entity class shape is not supported",
            "Entity '{0}' cannot be mapped to a table: it is {1}; declare it as a non-generic, non-abstract top-level class");

        /// <summary>RLS0002: no key.</summary>
        public static readonly DiagnosticDescriptor MissingKey = Error(
            "RLS0002",
            "Entity has no key",
            "Entity '{0}' has no key: mark one property with [Key] (or name it 'Id' or '{0}Id')");

        /// <summary>RLS0003: more than one <c>[Key]</c>; a composite key is EF Core's <c>[PrimaryKey]</c>.</summary>
        public static readonly DiagnosticDescriptor CompositeKey = Error(
            "RLS0003",
            "More than one property is marked [Key]",
            "Entity '{0}' marks more than one property with [Key] ('{1}'); name a composite key with the class's [PrimaryKey(nameof(A), nameof(B))], as EF Core does");

        /// <summary>RLS0004: the property's type has no column type.</summary>
        public static readonly DiagnosticDescriptor UnmappableType = Error(
            "RLS0004",
            "Property type cannot be mapped",
            "Property '{0}.{1}' has type '{2}', which has no PostgreSQL column type; change the type or mark it [NotMapped]");

        /// <summary>RLS0005: CrudPolicy.Owner names no mapped property.</summary>
        public static readonly DiagnosticDescriptor OwnerNotFound = Error(
            "RLS0005",
            "Owner property does not exist",
            "CrudPolicy on '{0}' names owner '{1}', which is not a mapped property of '{0}'; use nameof(<property>)");

        /// <summary>RLS0006: the owner property is not text or uuid.</summary>
        public static readonly DiagnosticDescriptor OwnerWrongType = Error(
            "RLS0006",
            "Owner property is not text or uuid",
            "Owner property '{0}.{1}' has type '{2}'; an owner must be a string (text) or Guid (uuid) to compare with the user id");

        /// <summary>RLS0007: a policy names no role.</summary>
        public static readonly DiagnosticDescriptor MissingRole = Error(
            "RLS0007",
            "Policy has no role",
            "{0} on '{1}' names no role; set Role (CrudPolicy) or Roles (Policy), e.g. \"authenticated\"");

        /// <summary>RLS0008: a role name that is not a plain identifier.</summary>
        public static readonly DiagnosticDescriptor InvalidRoleName = Error(
            "RLS0008",
            "Invalid role name",
            "Role name '{0}' on '{1}' is not valid: use letters, digits and underscores, starting with a letter or underscore");

        /// <summary>RLS0009: an empty policy expression, or a policy with no expression at all.</summary>
        public static readonly DiagnosticDescriptor EmptyExpression = Error(
            "RLS0009",
            "Policy expression is empty",
            "{0} on '{1}' has an empty expression for {2}; give a SQL boolean expression, Policies.True, Policies.False or Policies.None");

        /// <summary>RLS0010: a SQL fragment that could end the statement it is placed in.</summary>
        public static readonly DiagnosticDescriptor UnsafeSql = Error(
            "RLS0010",
            "SQL fragment could break out of its statement",
            "The SQL for {0} on '{1}' is not emitted: {2}; a fragment must be one expression without ';', comments, dollar quotes or unbalanced quotes or parentheses");

        /// <summary>RLS0011: a table, column, policy, index or constraint name PostgreSQL cannot hold.</summary>
        public static readonly DiagnosticDescriptor InvalidName = Error(
            "RLS0011",
            "Invalid SQL name",
            "The {0} name '{1}' on '{2}' is not valid: {3}");

        /// <summary>RLS0012: two entities map to one table.</summary>
        public static readonly DiagnosticDescriptor DuplicateTable = Error(
            "RLS0012",
            "Two entities map to one table",
            "Entities '{0}' and '{1}' both map to table '{2}'; give one of them another [Table] name");

        /// <summary>RLS0013: two policies with one name on one table.</summary>
        public static readonly DiagnosticDescriptor DuplicatePolicy = Error(
            "RLS0013",
            "Two policies have one name",
            "Table '{0}' of '{1}' declares policy '{2}' twice; policy names must be unique per table (one CrudPolicy per role)");

        /// <summary>RLS0014: two properties map to one column.</summary>
        public static readonly DiagnosticDescriptor DuplicateColumn = Error(
            "RLS0014",
            "Two properties map to one column",
            "Properties '{0}' and '{1}' of '{2}' both map to column '{3}'");

        /// <summary>RLS0015: an [Index] names an unknown property.</summary>
        public static readonly DiagnosticDescriptor IndexPropertyNotFound = Error(
            "RLS0015",
            "Index names an unknown property",
            "[Index] on '{0}' names '{1}', which is not a mapped property of '{0}'");

        /// <summary>RLS0016: USING or WITH CHECK where the command does not allow it.</summary>
        public static readonly DiagnosticDescriptor ClauseNotAllowed = Error(
            "RLS0016",
            "Clause not allowed for this command",
            "Policy '{0}' on '{1}' is FOR {2}, which does not allow {3}");

        /// <summary>RLS0017: an attribute whose arguments make no sense.</summary>
        public static readonly DiagnosticDescriptor InvalidAttributeUsage = Error(
            "RLS0017",
            "Invalid attribute usage",
            "{0} on '{1}' is not valid: {2}");

        /// <summary>RLS0018: auth.*() evaluated per row.</summary>
        public static readonly DiagnosticDescriptor PerRowAuthCall = Warning(
            "RLS0018",
            "auth function called per row",
            "{0} on '{1}' calls {2} once per row; write (select {2}) so PostgreSQL evaluates it once per statement");

        /// <summary>RLS0019: a modify policy always true for authenticated.</summary>
        public static readonly DiagnosticDescriptor ModifyAlwaysTrue = Warning(
            "RLS0019",
            "Modify policy is always true for authenticated",
            "{0} on '{1}' lets every signed-in user {2} every row; restrict it to the owner unless that is intended");

        /// <summary>RLS0020: UPDATE or DELETE policy without SELECT policy for the role.</summary>
        public static readonly DiagnosticDescriptor ModifyWithoutSelect = Warning(
            "RLS0020",
            "UPDATE or DELETE policy without SELECT policy",
            "Table '{0}' of '{1}' has a {2} policy for role '{3}' but no SELECT policy for it, so PostgreSQL silently matches no rows");

        /// <summary>RLS0021: the declaration could not be read (an unexpected failure, reported instead of thrown).</summary>
        public static readonly DiagnosticDescriptor UnreadableDeclaration = Error(
            "RLS0021",
            "Entity declaration could not be read",
            "Entity '{0}' could not be read: {1}");

        /// <summary>RLS0022: EF Core's [Keyless] on an entity, which needs a key.</summary>
        public static readonly DiagnosticDescriptor KeylessEntity = Error(
            "RLS0022",
            "Keyless entity",
            "Entity '{0}' is [Keyless], but a table with row-level security needs a key for its repository's get, update and delete: give it a key, or leave the class to EF Core alone");

        /// <summary>RLS0023: [OnDelete] and EF Core's [DeleteBehavior] (or two [DeleteBehavior]s) ask one foreign key for different actions.</summary>
        public static readonly DiagnosticDescriptor ConflictingDeleteActions = Error(
            "RLS0023",
            "Delete actions disagree",
            "Foreign key '{0}.{1}' is given two ON DELETE actions: {2} on '{3}' means {4}, {5} on '{6}' means {7}; keep one, or make them agree");

        /// <summary>RLS0100: the model changed since the latest migration.</summary>
        public static readonly DiagnosticDescriptor PendingModelChanges = Warning(
            "RLS0100",
            "The model has changes that no migration holds",
            "The model has changes that no migration holds; run `dotnet rlsschema migrations add <Name>` (the pending SQL is in rls/pending.sql)");

        /// <summary>RLS0101: a pending change can lose data.</summary>
        public static readonly DiagnosticDescriptor DestructiveChange = Warning(
            "RLS0101",
            "A pending model change can lose data",
            "The next migration {0}; review it before applying it to a database with data");

        /// <summary>RLS0102: a file in the migrations folder is not named NNNN_Name.sql.</summary>
        public static readonly DiagnosticDescriptor InvalidMigrationFileName = Error(
            "RLS0102",
            "Migration file name is not NNNN_Name.sql",
            "Migration file '{0}' is not named NNNN_Name.sql (a number, an underscore, a name of letters, digits and underscores); rename it");

        /// <summary>RLS0103: two migration files share a number.</summary>
        public static readonly DiagnosticDescriptor DuplicateMigrationNumber = Error(
            "RLS0103",
            "Two migrations have one number",
            "Migrations '{0}' and '{1}' have the same number; renumber the newer one after the latest applied migration");

        /// <summary>RLS0104: the snapshot cannot be read, or is missing while migrations exist.</summary>
        public static readonly DiagnosticDescriptor UnreadableSnapshot = Error(
            "RLS0104",
            "Migration snapshot cannot be read",
            "The migration snapshot '{0}' cannot be used: {1}");

        /// <summary>RLS0105: a pending change lets a role do more on a table.</summary>
        public static readonly DiagnosticDescriptor WideningChange = Warning(
            "RLS0105",
            "A pending model change widens access",
            "The next migration widens access to {0} for role '{1}', command {2}{3}: {4}; make sure it is meant before writing the migration");

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = new[]
        {
            UnsupportedEntityShape, MissingKey, CompositeKey, UnmappableType, OwnerNotFound, OwnerWrongType,
            MissingRole, InvalidRoleName, EmptyExpression, UnsafeSql, InvalidName, DuplicateTable, DuplicatePolicy,
            DuplicateColumn, IndexPropertyNotFound, ClauseNotAllowed, InvalidAttributeUsage, PerRowAuthCall,
            ModifyAlwaysTrue, ModifyWithoutSelect, UnreadableDeclaration, KeylessEntity, ConflictingDeleteActions, PendingModelChanges,
            DestructiveChange, InvalidMigrationFileName, DuplicateMigrationNumber, UnreadableSnapshot, WideningChange,
        }.Concat(RelationshipDiagnosticDescriptors.All).Concat(UsageDiagnosticDescriptors.All).ToDictionary(d => d.Id);

        /// <summary>All descriptors, by id.</summary>
        public static IReadOnlyDictionary<string, DiagnosticDescriptor> All => ById;

        internal static DiagnosticDescriptor Error(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        internal static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

        // Each id has a section (a wrong and a right example) in docs/diagnostics.md.
        private static string HelpLink(string id) => HelpPage + "#" + id.ToLowerInvariant();
    }
}
