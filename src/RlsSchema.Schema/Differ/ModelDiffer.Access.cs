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
                    if (!old.TryGetValue(f.Signature, out FunctionModel? was) || !was.Equals(f))
                    {
                        Add(new CreateFunctionOperation(f, _new.Roles));
                    }
                }
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

            private void Grants()
            {
                foreach (TablePair pair in _all)
                {
                    var old = pair.Old.Grants.ToDictionary(g => g.Role, g => g.Privileges, StringComparer.Ordinal);
                    var now = pair.New.Grants.ToDictionary(g => g.Role, g => g.Privileges, StringComparer.Ordinal);
                    foreach (string role in old.Keys.Union(now.Keys, StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
                    {
                        var had = old.TryGetValue(role, out var h) ? (IEnumerable<string>)h : Array.Empty<string>();
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
                            if (pair.New.Schema != "public" && !had.Any())
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
