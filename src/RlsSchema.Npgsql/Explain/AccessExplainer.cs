using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Schema;

namespace RlsSchema.Npgsql.Explain;

/// <summary>
/// Explains one session's access to one row: reads the table's grant and policies through the catalog reader, switches to
/// the session's role with its claims (as a session does), evaluates each policy's condition on the row, and rolls the
/// transaction back. A row the key names is read as the owner (the role may not see it); a row to insert is built as the
/// role, so that defaults such as <c>auth.user_id()</c> take the session's values.
/// </summary>
internal static class AccessExplainer
{
    private const string Savepoint = "rlsschema_explain";
    private static readonly string[] Commands = ["SELECT", "INSERT", "UPDATE", "DELETE"];

    /// <summary>Explains <paramref name="question"/> on a connection of the database's owner.</summary>
    /// <param name="connection">An open connection as the owner (it reads every row, and may switch to the session roles).</param>
    /// <param name="question">The table, command, role, claims and row.</param>
    /// <param name="cancellationToken">Cancels the explanation.</param>
    /// <returns>The explanation; nothing in the database changed.</returns>
    /// <exception cref="ArgumentException">The table, command, role, key or values do not fit.</exception>
    public static async Task<AccessExplanation> ExplainAsync(NpgsqlConnection connection, AccessQuestion question, CancellationToken cancellationToken)
    {
        string command = question.Command.Trim().ToUpperInvariant();
        if (!Commands.Contains(command))
        {
            throw new ArgumentException($"'{question.Command}' is not a command: use select, insert, update or delete.");
        }

        if ((command == "INSERT") != (question.Key is null))
        {
            throw new ArgumentException(command == "INSERT"
                ? "An insert has no row yet: give the new row's values (--values), not a key."
                : $"{command} needs the row's primary key value (--key).");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var model = await CatalogReader.ReadAsync(connection, transaction, CatalogScope.Everything, cancellationToken).ConfigureAwait(false);
            var table = Find(model, question.Table);
            var run = new Run(connection, transaction, table, question, command, SubjectOf(question.ClaimsJson));
            return await run.ExplainAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static TableModel Find(DatabaseModel model, string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        var matches = model.Tables.Where(t => dot < 0 ? t.Name == name : t.Schema == name[..dot] && t.Name == name[(dot + 1)..]).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"No table '{name}' in the database."),
            _ => throw new ArgumentException($"'{name}' is in more than one schema: name it as schema.table."),
        };
    }

    private static string? SubjectOf(string? claimsJson)
    {
        if (claimsJson is null)
        {
            return null;
        }

        using var claims = JsonDocument.Parse(claimsJson);
        return claims.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
    }

    private static bool Applies(PolicyDefinition p, string role, string command) =>
        (p.Command == command || p.Command == "ALL") && (p.Roles.Contains(role) || p.Roles.Contains("public"));

    private sealed class Run(NpgsqlConnection connection, NpgsqlTransaction transaction, TableModel table, AccessQuestion question, string command, string? subject)
    {
        private readonly string _qualified = SqlSyntax.QuotedIdentifier(table.Schema) + "." + SqlSyntax.QuotedIdentifier(table.Name);
        private readonly string _name = table.Schema + "." + table.Name;
        private readonly string _role = question.Role;

        public async Task<AccessExplanation> ExplainAsync(CancellationToken cancellationToken)
        {
            if (!await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", cancellationToken, _role).ConfigureAwait(false))
            {
                throw new ArgumentException($"The role '{_role}' does not exist in this database: has its script been applied?");
            }

            bool granted = await ScalarAsync<bool>("SELECT has_table_privilege($1, $2::regclass, $3)", cancellationToken, _role, _qualified, command).ConfigureAwait(false);
            string? row = null;
            if (command != "INSERT")
            {
                if (table.PrimaryKey.Count != 1)
                {
                    throw new ArgumentException($"{_name} has no single-column primary key for --key to name a row.");
                }

                string key = SqlSyntax.QuotedIdentifier(table.PrimaryKey[0]);
                row = await ScalarAsync<string?>($"SELECT row_to_json(t)::text FROM {_qualified} t WHERE t.{key}::text = $1", cancellationToken, question.Key!).ConfigureAwait(false);
                if (row is null)
                {
                    return Explanation(granted, null, [], false, $"refused: no row of {_name} has {table.PrimaryKey[0]} = {question.Key}");
                }
            }

            // From here on the session's role and claims, set as a session sets them.
            await ScalarAsync<object?>(new SessionSettings(_role, "role").Statement, cancellationToken, _role, question.ClaimsJson ?? "", subject ?? "").ConfigureAwait(false);
            string? values = question.Values is null ? null : JsonSerializer.Serialize(question.Values);
            string? written = command switch
            {
                "INSERT" => row = await NewRowAsync(values, cancellationToken).ConfigureAwait(false),
                "UPDATE" when values is not null => await ScalarAsync<string>("SELECT ($1::jsonb || $2::jsonb)::text", cancellationToken, row!, values).ConfigureAwait(false),
                "UPDATE" => row,
                _ => null,
            };

            var checks = new List<PolicyCheck>();
            var visible = new List<PolicyCheck>();
            var seen = new List<PolicyCheck>();
            var kept = new List<PolicyCheck>();
            foreach (PolicyDefinition p in table.Policies.Where(p => command is "UPDATE" or "DELETE" && p.Command == "SELECT" && Applies(p, _role, "SELECT")))
            {
                visible.Add(await CheckAsync(p, "USING", "SELECT", p.Using, row!, cancellationToken).ConfigureAwait(false));
            }

            foreach (PolicyDefinition p in table.Policies.Where(p => Applies(p, _role, command)))
            {
                if (command != "INSERT")
                {
                    seen.Add(await CheckAsync(p, "USING", null, p.Using, row!, cancellationToken).ConfigureAwait(false));
                }

                if (written is not null)
                {
                    kept.Add(await CheckAsync(p, "WITH CHECK", null, p.WithCheck ?? p.Using, written, cancellationToken).ConfigureAwait(false));
                }
            }

            // The repositories write with RETURNING, for which PostgreSQL also needs the written row to pass the SELECT policies.
            var returned = new List<PolicyCheck>();
            foreach (PolicyDefinition p in table.Policies.Where(p => written is not null && Applies(p, _role, "SELECT")))
            {
                returned.Add(await CheckAsync(p, "USING", "SELECT", p.Using, written!, cancellationToken).ConfigureAwait(false));
            }

            checks.AddRange(visible);
            checks.AddRange(seen);
            checks.AddRange(kept);
            checks.AddRange(returned);
            string verdict = Judge(granted, visible.Concat(seen.Where(c => table.Policies.Any(p => p.Name == c.Name && p.Command == "ALL"))).ToList(), seen, kept, returned);
            return Explanation(granted, row, checks, verdict.StartsWith("allowed", StringComparison.Ordinal), verdict);
        }

        private string Judge(bool granted, List<PolicyCheck> visible, List<PolicyCheck> seen, List<PolicyCheck> kept, List<PolicyCheck> returned)
        {
            if (!granted)
            {
                return $"refused: {_role} has no {command} privilege on {_name}, so the statement fails with permission denied (42501)";
            }

            if (!table.RowLevelSecurity)
            {
                return $"allowed: {command} is granted to {_role} and row-level security is off on {_name}";
            }

            const string NoRow = " (the statement finds no row; no error)";
            if (command is "UPDATE" or "DELETE" && Failure(visible, "SELECT") is { } hidden)
            {
                return "filtered: the row is not visible: " + hidden + NoRow;
            }

            if (command != "INSERT" && Failure(seen, command) is { } unseen)
            {
                return "filtered: " + unseen + NoRow;
            }

            if (command is "INSERT" or "UPDATE" && Failure(kept, command) is { } refused)
            {
                return "refused: " + refused + " (new row violates row-level security policy, 42501)";
            }

            if (command is "INSERT" or "UPDATE" && Failure(returned, "SELECT") is { } invisible)
            {
                return "refused: the written row would not be visible, which RETURNING (as the repositories write) needs: " + invisible
                    + " (new row violates row-level security policy, 42501; the statement without RETURNING would pass)";
            }

            var passed = seen.Concat(kept).Where(c => c.Permissive && c.Passed).Select(c => "`" + c.Name + "`").Distinct().ToList();
            return $"allowed: {string.Join(", ", passed)} passed" + (seen.Concat(kept).Any(c => !c.Permissive) ? ", and every restrictive policy" : "");
        }

        private string? Failure(List<PolicyCheck> checks, string what)
        {
            if (checks.FirstOrDefault(c => c.Error is not null) is { } error)
            {
                return $"`{error.Name}` raised an error: {error.Error}";
            }

            var permissive = checks.Where(c => c.Permissive).ToList();
            if (permissive.Count == 0)
            {
                return $"no permissive {what} policy applies to {_role}";
            }

            if (!permissive.Any(c => c.Passed))
            {
                return "no permissive policy passed; " + string.Join(", ", permissive.Select(c => c.WasFalse));
            }

            return checks.FirstOrDefault(c => !c.Permissive && !c.Passed) is { } restrictive
                ? "restrictive policy " + restrictive.WasFalse
                : null;
        }

        // Each column: the given value, else its default (as the role; a sequence is not advanced), else null.
        private async Task<string> NewRowAsync(string? values, CancellationToken cancellationToken)
        {
            var given = question.Values ?? new Dictionary<string, string?>();
            foreach (string unknown in given.Keys.Where(k => table.Columns.All(c => c.Name != k)))
            {
                throw new ArgumentException($"{_name} has no column '{unknown}'.");
            }

            var columns = table.Columns.Select(c => (given.ContainsKey(c.Name)
                ? $"CAST($1::jsonb ->> {SqlSyntax.Literal(c.Name)} AS {c.Type})"
                : c.Default is { } d && !d.Contains("nextval(", StringComparison.OrdinalIgnoreCase) ? $"({d})" : $"NULL::{c.Type}") + " AS " + SqlSyntax.QuotedIdentifier(c.Name));
            return await ScalarAsync<string>($"SELECT row_to_json(r)::text FROM (SELECT {string.Join(", ", columns)}) r", cancellationToken, values ?? "{}").ConfigureAwait(false);
        }

        private async Task<PolicyCheck> CheckAsync(PolicyDefinition p, string clause, string? forCommand, string? condition, string row, CancellationToken cancellationToken)
        {
            if (condition is null)
            {
                return new PolicyCheck(p.Name, p.Permissive, clause, forCommand, null, true, null);
            }

            await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
            try
            {
                bool passed = await EvaluateAsync(condition, row, cancellationToken).ConfigureAwait(false);
                string? falsePart = null;
                if (!passed && ConditionComparison.Conjuncts(condition) is { Count: > 1 } parts)
                {
                    // Which part of an AND failed says why: "the user is not a member", not just "false".
                    foreach (string part in parts)
                    {
                        if (!await EvaluateAsync(part, row, cancellationToken).ConfigureAwait(false))
                        {
                            falsePart = part;
                            break;
                        }
                    }
                }

                await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                return new PolicyCheck(p.Name, p.Permissive, clause, forCommand, condition, passed, null, falsePart);
            }
            catch (PostgresException e)
            {
                await transaction.RollbackAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                return new PolicyCheck(p.Name, p.Permissive, clause, forCommand, condition, false, e.SqlState + ": " + e.MessageText);
            }
        }

        private async Task<bool> EvaluateAsync(string condition, string row, CancellationToken cancellationToken) =>
            await ScalarAsync<bool?>(
                $"SELECT ({condition})::boolean FROM json_populate_record(NULL::{_qualified}, $1::json) AS {SqlSyntax.QuotedIdentifier(table.Name)}", cancellationToken, row).ConfigureAwait(false) == true;

        private AccessExplanation Explanation(bool granted, string? row, List<PolicyCheck> checks, bool allowed, string verdict) => new()
        {
            Table = _name,
            Command = command,
            Role = _role,
            Subject = subject,
            Row = row,
            Granted = granted,
            RowLevelSecurity = table.RowLevelSecurity,
            Policies = checks,
            Allowed = allowed,
            Verdict = verdict,
        };

        private async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object[] parameters)
        {
            await using var c = new NpgsqlCommand(sql, connection, transaction);
            foreach (object parameter in parameters)
            {
                c.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            object? value = await c.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? default! : (T)value;
        }
    }
}
