using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>Policies: each one the operations add, remove or change, compared with what it was, role by role and command by command.</summary>
    internal sealed partial record AccessReport
    {
        private sealed partial class Builder
        {
            private readonly Dictionary<string, TableModel?> _befores = new Dictionary<string, TableModel?>(StringComparer.Ordinal);

            // The condition a command's rows must meet (USING), and the one its new rows must meet (WITH CHECK, else USING).
            private static IEnumerable<(string Clause, string? Condition)> Conditions(PolicyDefinition p, string command) => command switch
            {
                "INSERT" => new[] { ("WITH CHECK", p.WithCheck ?? p.Using) },
                "UPDATE" => new[] { ("USING", p.Using), ("WITH CHECK", p.WithCheck ?? p.Using) },
                _ => new[] { ("USING", p.Using) },
            };

            private void ComparePolicies()
            {
                foreach (var table in _policies)
                {
                    TableName name = _names[table.Key];
                    var before = (_befores[table.Key]?.Policies ?? ImmutableEquatableArray<PolicyDefinition>.Empty).ToDictionary(p => p.Name, StringComparer.Ordinal);
                    foreach (string policy in before.Keys.Union(table.Value.Keys, StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal))
                    {
                        before.TryGetValue(policy, out PolicyDefinition? was);
                        table.Value.TryGetValue(policy, out PolicyDefinition? now);
                        Compare(name, was, now);
                    }
                }
            }

            private void Compare(TableName table, PolicyDefinition? was, PolicyDefinition? now)
            {
                if (was is not null && now is not null && was.Equals(now))
                {
                    return;
                }

                if (was is null || now is null || was.Command != now.Command || was.Permissive != now.Permissive)
                {
                    if (was is not null)
                    {
                        Removed(table, was, was.Roles, "removed");
                    }

                    if (now is not null)
                    {
                        Added(table, now, now.Roles, "added");
                    }

                    return;
                }

                Removed(table, was, was.Roles.Except(now.Roles, StringComparer.Ordinal), "no longer applies to the role");
                Added(table, now, now.Roles.Except(was.Roles, StringComparer.Ordinal), "now applies to the role");
                foreach (string role in was.Roles.Intersect(now.Roles, StringComparer.Ordinal))
                {
                    foreach (string command in CommandsOf(now.Command))
                    {
                        CompareConditions(table, role, command, was, now);
                    }
                }
            }

            // A permissive policy lets rows through (another can too); a restrictive one keeps rows out (every one must pass).
            private void Added(TableName table, PolicyDefinition p, IEnumerable<string> roles, string what)
            {
                foreach (string role in roles)
                {
                    foreach (string command in CommandsOf(p.Command))
                    {
                        var conditions = Conditions(p, command).Select(c => c.Condition).ToList();
                        if (p.Permissive && !conditions.Any(ConditionComparison.IsAlwaysFalse))
                        {
                            Add(table, role, command, AccessEffect.Widens, Describe(p) + " " + what + When(p, command));
                        }
                        else if (!p.Permissive && !conditions.All(ConditionComparison.IsAlwaysTrue))
                        {
                            Add(table, role, command, AccessEffect.Narrows, Describe(p) + " " + what + When(p, command));
                        }
                    }
                }
            }

            private void Removed(TableName table, PolicyDefinition p, IEnumerable<string> roles, string what)
            {
                foreach (string role in roles)
                {
                    foreach (string command in CommandsOf(p.Command))
                    {
                        var conditions = Conditions(p, command).Select(c => c.Condition).ToList();
                        if (p.Permissive && !conditions.Any(ConditionComparison.IsAlwaysFalse))
                        {
                            Add(table, role, command, AccessEffect.Narrows, Describe(p) + " " + what);
                        }
                        else if (!p.Permissive && !conditions.All(ConditionComparison.IsAlwaysTrue))
                        {
                            Add(table, role, command, AccessEffect.Widens, Describe(p) + " " + what);
                        }
                    }
                }
            }

            private void CompareConditions(TableName table, string role, string command, PolicyDefinition was, PolicyDefinition now)
            {
                var changes = Conditions(was, command).Zip(Conditions(now, command), (o, n) => (o.Clause, Old: o.Condition, New: n.Condition, Change: ConditionComparison.Compare(o.Condition, n.Condition)))
                    .Where(c => c.Change != ConditionChange.Same)
                    .ToList();
                if (changes.Count == 0)
                {
                    return;
                }

                // A looser condition widens access whether the policy lets rows in (permissive) or keeps them out (restrictive).
                AccessEffect effect = changes.All(c => c.Change == ConditionChange.Looser) ? AccessEffect.Widens
                    : changes.All(c => c.Change == ConditionChange.Stricter) ? AccessEffect.Narrows
                    : AccessEffect.Changes;
                string verb = effect switch
                {
                    AccessEffect.Widens => " lets more rows through: ",
                    AccessEffect.Narrows => " lets fewer rows through: ",
                    _ => " changed (review it): ",
                };
                Add(table, role, command, effect, Describe(now) + verb + string.Join(", ", changes.Select(c => c.Clause + " was " + Show(c.Old) + ", is now " + Show(c.New))));
            }

            private static string When(PolicyDefinition p, string command) =>
                ": " + string.Join(", ", Conditions(p, command).Select(c => c.Clause + " " + Show(c.Condition)));

            private static string Show(string? condition) => condition is null ? "(none)" : "(" + condition + ")";
        }
    }
}
