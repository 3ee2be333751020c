using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace RlsSchema.Schema
{
    /// <summary>
    /// Who may do more, or less, after a migration: read from the differ's operations (with the model they start from, for
    /// what a dropped or altered policy was), per table, role and command. A migration file starts with it as a comment, the
    /// tool prints it, and the generator warns of every line that widens access.
    /// </summary>
    /// <param name="Changes">The lines, by table, role and command.</param>
    internal sealed partial record AccessReport(ImmutableEquatableArray<AccessChange> Changes)
    {
        /// <summary>The role a session without a token runs as.</summary>
        public const string AnonymousRole = "anonymous";

        /// <summary>The first line of the report's comment block.</summary>
        public const string Heading = "-- Access report (who may do more or less after this migration; review each line):";

        private static readonly string[] Commands = { "SELECT", "INSERT", "UPDATE", "DELETE" };

        /// <summary>The lines that widen access.</summary>
        public IEnumerable<AccessChange> Widening => Changes.Where(c => c.Effect == AccessEffect.Widens);

        /// <summary>Reads the report from a migration's operations.</summary>
        /// <param name="previous">The model the operations start from.</param>
        /// <param name="operations">The operations.</param>
        /// <returns>The report; empty when no one's access changes.</returns>
        public static AccessReport Of(DatabaseModel previous, IReadOnlyList<MigrationOperation> operations)
        {
            var builder = new Builder(previous);
            builder.Read(operations);
            return new AccessReport(builder.Lines());
        }

        /// <summary>The report as a SQL comment block, for the top of a migration file.</summary>
        /// <returns>Lines starting with <c>--</c>, each ending with <c>\n</c>, and an empty line after them.</returns>
        public string ToComment()
        {
            var b = new StringBuilder();
            b.Append(Heading).Append('\n');
            if (Changes.Count == 0)
            {
                b.Append("--   no change to who may do what.\n");
            }

            foreach (AccessChange change in Changes)
            {
                b.Append("--   ").Append(Flatten(change.ToString())).Append('\n');
            }

            return b.Append('\n').ToString();
        }

        // Expressions may span lines; a comment line must not.
        private static string Flatten(string text) => string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

        private static IEnumerable<string> CommandsOf(string command) => command == "ALL" ? Commands : new[] { command };

        private static IEnumerable<string> PrivilegesOf(ImmutableEquatableArray<string> privileges) =>
            privileges.Count == 0 ? Commands : privileges.Where(p => Commands.Contains(p));

        private static string Describe(PolicyDefinition p) => (p.Permissive ? "permissive" : "restrictive") + " policy \"" + p.Name + "\"";

        private sealed partial class Builder
        {
            private readonly DatabaseModel _previous;
            private readonly Dictionary<string, TableName> _renamedTo = new Dictionary<string, TableName>(StringComparer.Ordinal);
            private readonly Dictionary<string, TableName> _renamedFrom = new Dictionary<string, TableName>(StringComparer.Ordinal);
            private readonly Dictionary<string, Dictionary<string, PolicyDefinition>> _policies = new Dictionary<string, Dictionary<string, PolicyDefinition>>(StringComparer.Ordinal);
            private readonly Dictionary<string, TableName> _names = new Dictionary<string, TableName>(StringComparer.Ordinal);
            private readonly HashSet<string> _created = new HashSet<string>(StringComparer.Ordinal);
            private readonly Dictionary<(string Table, string Role, string Command), List<(AccessEffect Effect, string Reason)>> _lines =
                new Dictionary<(string, string, string), List<(AccessEffect, string)>>();

            public Builder(DatabaseModel previous) => _previous = previous;

            public void Read(IReadOnlyList<MigrationOperation> operations)
            {
                foreach (RenameTableOperation o in operations.OfType<RenameTableOperation>())
                {
                    var now = new TableName(o.Table.Schema, o.NewName);
                    _renamedTo[o.Table.ToString()] = now;
                    _renamedFrom[now.ToString()] = o.Table;
                }

                foreach (MigrationOperation operation in operations)
                {
                    Read(operation);
                }

                ComparePolicies();
            }

            public ImmutableEquatableArray<AccessChange> Lines() => _lines
                .OrderBy(l => l.Key.Table, StringComparer.Ordinal)
                .ThenBy(l => l.Key.Role, StringComparer.Ordinal)
                .ThenBy(l => Array.IndexOf(Commands, l.Key.Command))
                .Select(l => new AccessChange(
                    _names[l.Key.Table],
                    l.Key.Role,
                    l.Key.Command,
                    l.Value.Select(v => v.Effect).Distinct().Count() == 1 ? l.Value[0].Effect : AccessEffect.Changes,
                    l.Value.Select(v => v.Reason).Distinct().ToImmutableEquatableArray()))
                .ToImmutableEquatableArray();

            private void Read(MigrationOperation operation)
            {
                switch (operation)
                {
                    case CreateTableOperation o:
                        _created.Add(TableName.Of(o.Table).ToString());
                        break;
                    case DropTableOperation o:
                        foreach (GrantDefinition grant in OldTable(o.Table)?.Grants ?? ImmutableEquatableArray<GrantDefinition>.Empty)
                        {
                            foreach (string command in grant.Privileges.Where(p => Commands.Contains(p)))
                            {
                                Add(o.Table, grant.Role, command, AccessEffect.Narrows, "the table is dropped");
                            }
                        }

                        break;
                    case GrantOperation o:
                        foreach (string command in PrivilegesOf(o.Privileges))
                        {
                            Add(o.Table, o.Role, command, AccessEffect.Widens, "grant " + command + " added");
                        }

                        break;
                    case RevokeOperation o:
                        foreach (string command in PrivilegesOf(o.Privileges))
                        {
                            Add(o.Table, o.Role, command, AccessEffect.Narrows, "grant " + command + " revoked");
                        }

                        break;
                    case GrantAllTablesOperation o:
                        AddAll(new TableName("public", "*"), o.Role, AccessEffect.Widens, "every command granted on every table in public");
                        break;
                    case DefaultPrivilegesOperation o:
                        AddAll(new TableName("public", "*"), o.Role, o.Grant ? AccessEffect.Widens : AccessEffect.Narrows, o.Grant
                            ? "every command granted on tables created later in public"
                            : "tables created later in public are no longer granted");
                        break;
                    case RowLevelSecurityOperation o when !_created.Contains(o.Table.ToString()):
                        AddAll(o.Table, "public", o.Enable ? AccessEffect.Narrows : AccessEffect.Widens, o.Enable
                            ? "row-level security turned on: only rows a policy lets through"
                            : "row-level security turned off: every row, whatever the policies say");
                        break;
                    case CreatePolicyOperation o:
                        PoliciesOf(o.Table)[o.Policy.Name] = o.Policy;
                        break;
                    case AlterPolicyOperation o:
                        PoliciesOf(o.Table)[o.Policy.Name] = o.Policy;
                        break;
                    case DropPolicyOperation o:
                        PoliciesOf(o.Table).Remove(o.Name);
                        break;
                }
            }

            private TableModel? OldTable(TableName name) =>
                _previous.Tables.FirstOrDefault(t => t.Schema == name.Schema && t.Name == name.Name);

            // A table's policies as the operations leave them, keyed by its name after the migration; they start as the previous model's.
            private Dictionary<string, PolicyDefinition> PoliciesOf(TableName table)
            {
                TableName now = _renamedTo.TryGetValue(table.ToString(), out TableName? renamed) ? renamed : table;
                if (!_policies.TryGetValue(now.ToString(), out var policies))
                {
                    TableName before = _renamedFrom.TryGetValue(now.ToString(), out TableName? old) ? old : now;
                    var previous = _created.Contains(now.ToString()) ? null : OldTable(before);
                    policies = (previous?.Policies ?? ImmutableEquatableArray<PolicyDefinition>.Empty).ToDictionary(p => p.Name, StringComparer.Ordinal);
                    _policies[now.ToString()] = policies;
                    _names[now.ToString()] = now;
                    _befores[now.ToString()] = previous;
                }

                return policies;
            }

            private void AddAll(TableName table, string role, AccessEffect effect, string reason)
            {
                foreach (string command in Commands)
                {
                    Add(table, role, command, effect, reason);
                }
            }

            private void Add(TableName table, string role, string command, AccessEffect effect, string reason)
            {
                string key = table.ToString();
                _names[key] = table;
                if (!_lines.TryGetValue((key, role, command), out var reasons))
                {
                    reasons = new List<(AccessEffect, string)>();
                    _lines[(key, role, command)] = reasons;
                }

                reasons.Add((effect, reason));
            }
        }
    }
}
