using System;
using System.Collections.Generic;
using System.Linq;

namespace RlsSchema.Schema
{
    /// <summary>The <c>auth</c> functions, the session roles and their table privileges.</summary>
    internal static partial class ModelDiffer
    {
        private sealed partial class Differ
        {
            // A database the model starts from gets the auth schema (and pg_session_jwt where the server has it) first.
            private void PrepareAuth()
            {
                if (_old.Functions.Count == 0 && _new.Functions.Count > 0)
                {
                    Add(new PrepareAuthOperation());
                }
            }

            private void Roles()
            {
                var added = _new.Roles.Except(_old.Roles, StringComparer.Ordinal).ToList();
                foreach (string role in added)
                {
                    Add(new CreateRoleOperation(role));
                }

                // A role the model no longer names keeps existing (roles belong to the whole server) but loses what the
                // script gave it in this database; its table privileges go with each table's grants below.
                foreach (string role in _old.Roles.Except(_new.Roles, StringComparer.Ordinal))
                {
                    Add(new ForgetRoleOperation(role));
                }

                foreach (string role in _old.BlanketGrants == _new.BlanketGrants ? added : _new.Roles.ToList())
                {
                    Add(new DefaultPrivilegesOperation(role, _new.BlanketGrants));
                }

                // Blanket grants cover every table in public, the model's or not, from the moment they are turned on.
                if (_new.BlanketGrants && !_old.BlanketGrants)
                {
                    foreach (string role in _new.Roles)
                    {
                        Add(new GrantAllTablesOperation(role));
                    }
                }
            }

            // A function whose parameters or return type change cannot be replaced in place: it is dropped (after the
            // policies that call it) and created again.
            private bool FunctionChangesShape(FunctionModel old) =>
                _new.Functions.FirstOrDefault(f => f.Signature == old.Signature) is not { } now
                || now.Returns != old.Returns || now.Declaration != old.Declaration || now.SecurityDefiner != old.SecurityDefiner;

            private void DropFunctions()
            {
                foreach (FunctionModel f in _old.Functions.Where(FunctionChangesShape))
                {
                    Add(new DropFunctionOperation(f.Signature));
                }
            }

            // The auth functions call one another (auth.user_id() reads auth.session()): they are created in the order they
            // are declared in, before the tables whose defaults call them; the membership function, which reads a table, after the tables.
            private void Functions(bool securityDefiner)
            {
                var old = _old.Functions.ToDictionary(f => f.Signature, StringComparer.Ordinal);
                foreach (FunctionModel f in _new.Functions.Where(f => f.SecurityDefiner == securityDefiner).OrderBy(CreationOrder).ThenBy(f => f.Signature, StringComparer.Ordinal))
                {
                    var executors = Executors(_new, f);
                    bool same = old.TryGetValue(f.Signature, out FunctionModel? was) && was.Equals(f);
                    // Over a snapshot that did not record it, the membership function's privileges are stated again: an
                    // earlier script may have let a role no policy of which calls it (anonymous) execute it.
                    if (!same || !Executors(_old, was!).Equals(executors) || f.SecurityDefiner && !_old.FunctionPrivilegesFollowPolicies)
                    {
                        // A function that stays as it is (perhaps the server's own auth.uid()) only has its privileges changed.
                        Add(new CreateFunctionOperation(f, executors)
                        {
                            Withheld = f.SecurityDefiner ? _new.Roles.Except(executors, StringComparer.Ordinal).ToImmutableEquatableArray() : ImmutableEquatableArray<string>.Empty,
                            PrivilegesOnly = same,
                        });
                    }
                }
            }

            // Every session role may execute the auth functions; the membership function, which reads a table as its
            // owner, only the roles whose policies call it.
            private static ImmutableEquatableArray<string> Executors(DatabaseModel model, FunctionModel f)
            {
                if (!f.SecurityDefiner)
                {
                    return model.Roles;
                }

                string call = f.Signature.Substring(0, f.Signature.IndexOf('(') + 1);
                var callers = model.Tables.SelectMany(t => t.Policies)
                    .Where(p => (p.Using?.Contains(call) ?? false) || (p.WithCheck?.Contains(call) ?? false))
                    .SelectMany(p => p.Roles)
                    .ToList();
                return model.Roles.Where(r => callers.Contains(r, StringComparer.Ordinal) || callers.Contains("public", StringComparer.Ordinal)).ToImmutableEquatableArray();
            }

            private static int CreationOrder(FunctionModel f)
            {
                for (int i = 0; i < AuthFunctions.All.Count; i++)
                {
                    if (AuthFunctions.All[i].Signature == f.Signature)
                    {
                        return i;
                    }
                }

                return AuthFunctions.All.Count;
            }

            // A column privilege follows its column's rename, and goes with a dropped column, as PostgreSQL's own does.
            private static string Renamed(TablePair pair, string privilege)
            {
                var columns = ColumnPrivileges.Columns(privilege);
                return columns.Count == 0 ? privilege : ColumnPrivileges.On(ColumnPrivileges.Kind(privilege), columns.Select(pair.OldToNew).Where(c => c[0] != '\0'));
            }

            private void Grants()
            {
                // A role is let into a schema once, when it first holds privileges on one of the schema's tables.
                var usage = new HashSet<(string Schema, string Role)>(_old.Tables.SelectMany(t => t.Grants.Select(g => (t.Schema, g.Role))));
                foreach (TablePair pair in _all)
                {
                    var old = pair.Old.Grants.ToDictionary(g => g.Role, g => g.Privileges, StringComparer.Ordinal);
                    var now = pair.New.Grants.ToDictionary(g => g.Role, g => g.Privileges, StringComparer.Ordinal);
                    foreach (string role in old.Keys.Union(now.Keys, StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
                    {
                        var had = old.TryGetValue(role, out var h) ? h.Select(p => Renamed(pair, p)).ToList() : new List<string>();
                        var has = now.TryGetValue(role, out var n) ? (IEnumerable<string>)n : Array.Empty<string>();
                        var revoke = had.Except(has, StringComparer.Ordinal).ToImmutableEquatableArray();
                        var grant = has.Except(had, StringComparer.Ordinal).ToImmutableEquatableArray();
                        if (revoke.Count > 0)
                        {
                            Add(new RevokeOperation(pair.Name, role, revoke));
                        }

                        if (grant.Count > 0)
                        {
                            Add(new GrantOperation(pair.Name, role, grant));
                            if (pair.New.Schema != "public" && usage.Add((pair.New.Schema, role)))
                            {
                                Add(new GrantSchemaUsageOperation(pair.New.Schema, new[] { role }.ToImmutableEquatableArray()));
                            }
                        }
                    }
                }
            }
        }
    }
}
