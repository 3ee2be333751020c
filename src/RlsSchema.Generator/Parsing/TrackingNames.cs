namespace RlsSchema.Generator.Parsing
{
    /// <summary>The names of the tracked pipeline steps, used by the incremental tests.</summary>
    internal static class TrackingNames
    {
        /// <summary>Classes carrying <c>[CrudPolicy]</c>, parsed.</summary>
        public const string CrudPolicyEntities = "CrudPolicyEntities";

        /// <summary>Classes carrying <c>[Policy]</c>, on the class or on a typed policy method (and no earlier marker), parsed.</summary>
        public const string PolicyEntities = "PolicyEntities";

        /// <summary>Classes carrying <c>[ForceRowLevelSecurity]</c> (and no earlier marker), parsed.</summary>
        public const string ForceRlsEntities = "ForceRlsEntities";

        /// <summary>Classes carrying a class-level <c>[Check]</c> (and no earlier marker), parsed.</summary>
        public const string CheckEntities = "CheckEntities";

        /// <summary>Classes carrying a class-level <c>[Index]</c> (and no earlier marker), parsed.</summary>
        public const string IndexEntities = "IndexEntities";

        /// <summary>Classes carrying <c>[Membership]</c> (and no earlier marker), parsed.</summary>
        public const string MembershipEntities = "MembershipEntities";

        /// <summary>All parse results of the compilation, deduplicated and sorted.</summary>
        public const string AllEntities = "AllEntities";

        /// <summary>Whether the MSBuild property <c>RlsSchemaBlanketGrants</c> is true.</summary>
        public const string BlanketGrants = "BlanketGrants";

        /// <summary>The valid entities, ready to emit; the script is emitted from it.</summary>
        public const string Schema = "Schema";

        /// <summary>The migration script of <see cref="Schema"/>, written once for its output and the pending SQL; empty without entities.</summary>
        public const string Script = "Script";

        /// <summary>Every diagnostic to report.</summary>
        public const string Diagnostics = "Diagnostics";

        /// <summary>Whether any diagnostic is an error: the generated namespace's fixed types are then emitted empty.</summary>
        public const string HasErrors = "HasErrors";

        /// <summary>Whether <c>RlsSchema.Npgsql.IRlsSession</c> resolves, so repositories can be emitted.</summary>
        public const string HasRuntime = "HasRuntime";

        /// <summary>The valid entities, one item each.</summary>
        public const string Entities = "Entities";

        /// <summary>Each entity combined with <see cref="HasRuntime"/>: one repository output per item.</summary>
        public const string Repositories = "Repositories";

        /// <summary>The migrations folder's files (<c>NNNN_Name.sql</c>, <c>rls-model.json</c>).</summary>
        public const string MigrationFiles = "MigrationFiles";

        /// <summary>The <c>[RenamedFrom]</c> attributes.</summary>
        public const string Renames = "Renames";

        /// <summary>The embedded migrations, the pending SQL and the snapshot of the current model.</summary>
        public const string Migrations = "Migrations";
    }
}
