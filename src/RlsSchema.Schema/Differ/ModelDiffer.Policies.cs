using System;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>Row-level security policies.</summary>
    internal static partial class ModelDiffer
    {
        private sealed partial class Differ
        {
            // ALTER POLICY changes roles and expressions only; a policy whose command or kind changes, or that loses an
            // expression, is dropped and created again.
            private static bool MustRecreate(PolicyDefinition old, PolicyDefinition @new) =>
                old.Command != @new.Command || old.Permissive != @new.Permissive
                || (old.Using is not null && @new.Using is null) || (old.WithCheck is not null && @new.WithCheck is null);

            private void DropPolicies()
            {
                foreach (TablePair pair in _pairs)
                {
                    var current = pair.New.Policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
                    foreach (PolicyDefinition policy in pair.Old.Policies)
                    {
                        // A column a policy uses cannot change type under it, so a table with a retyped column gets its policies anew.
                        if (!current.TryGetValue(policy.Name, out PolicyDefinition? now) || MustRecreate(policy, now) || _recreateAllPolicies)
                        {
                            Add(new DropPolicyOperation(TableName.Of(pair.Old), policy.Name));
                        }
                    }
                }
            }

            private void CreateAndAlterPolicies()
            {
                foreach (TablePair pair in _all)
                {
                    var old = pair.Old.Policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
                    foreach (PolicyDefinition policy in pair.New.Policies)
                    {
                        if (!old.TryGetValue(policy.Name, out PolicyDefinition? was) || MustRecreate(was, policy) || _recreateAllPolicies)
                        {
                            Add(new CreatePolicyOperation(pair.Name, policy));
                        }
                        else if (!was.Equals(policy))
                        {
                            Add(new AlterPolicyOperation(pair.Name, policy));
                        }
                    }
                }
            }
        }
    }
}
