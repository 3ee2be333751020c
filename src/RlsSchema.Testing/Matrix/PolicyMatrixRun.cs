using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;
using RlsSchema.Schema;

namespace RlsSchema.Testing;

/// <summary>Runs the cells of a <see cref="PolicyMatrix"/>, one rolled-back session each, and finds what they leave untested.</summary>
internal sealed class PolicyMatrixRun(
    RlsDataSource dataSource,
    IReadOnlyList<(string Name, string? Token)> personas,
    IReadOnlyList<MatrixRow> rows,
    IReadOnlyList<MatrixRow> candidates)
{
    /// <summary>The commands, in the order the matrix shows them.</summary>
    public static readonly string[] Commands = ["SELECT", "INSERT", "UPDATE", "DELETE"];

    public async Task<PolicyMatrixResult> RunAsync(IReadOnlyList<TableModel> tables, CancellationToken cancellationToken)
    {
        var cells = new List<PolicyMatrixCell>();
        var untested = new List<PolicyMatrixGap>();
        foreach (var table in tables)
        {
            var name = MatrixRow.NameOf(table);
            var labelled = rows.Where(r => r.Table == table).ToList();
            var inserted = candidates.Where(r => r.Table == table).ToList();
            var first = cells.Count;
            foreach (var (persona, token) in personas)
            {
                foreach (var command in Commands)
                {
                    foreach (var row in command == "INSERT" ? inserted : labelled)
                    {
                        var (sql, parameters) = Statement(table, command, row);
                        var description = $"{persona}'s {command} of {name} '{row.Label}'";
                        var outcome = await RunCellAsync(description, token, command == "SELECT", sql, parameters, cancellationToken).ConfigureAwait(false);
                        cells.Add(new PolicyMatrixCell(name, persona, command, row.Label, outcome));
                    }
                }
            }

            var ofTable = cells.Skip(first).ToList();
            foreach (var command in Commands)
            {
                var gap = Gap(table, command, ofTable.Where(c => c.Command == command).ToList());
                if (gap is not null)
                {
                    untested.Add(new PolicyMatrixGap(name, command, gap));
                }
            }
        }

        return new PolicyMatrixResult(cells, untested);
    }

    // A (table, command) is tested when some persona is allowed and some is denied; allowing needs a permissive policy.
    private static string? Gap(TableModel table, string command, IReadOnlyList<PolicyMatrixCell> cells)
    {
        if (cells.Count == 0)
        {
            return command == "INSERT" ? "no candidate row" : "no labelled row";
        }

        if (cells.All(c => c.Outcome != PolicyMatrixOutcome.Allowed))
        {
            if (!table.RowLevelSecurity)
            {
                return "never allowed, though the table has no row-level security";
            }

            if (table.Policies.Any(p => p.Permissive && (p.Command == command || p.Command == "ALL")))
            {
                return "never allowed, though a permissive policy allows some rows";
            }
        }

        return cells.All(c => c.Outcome == PolicyMatrixOutcome.Allowed) ? "never denied" : null;
    }

    // Values travel as parameters @p0, @p1... in the order of the row's columns, whatever the columns are called.
    private static (string Sql, Dictionary<string, object?> Parameters) Statement(TableModel table, string command, MatrixRow row)
    {
        var target = SqlSyntax.QualifiedTable(table.Schema, table.Name);
        var columns = row.Values.Keys.Select(SqlSyntax.Identifier).ToList();
        var parameters = row.Values.Values.Select((v, i) => new KeyValuePair<string, object?>("p" + i, v)).ToDictionary(p => p.Key, p => p.Value);
        var where = string.Join(" AND ", columns.Select((c, i) => $"{c} = @p{i}"));
        var sql = command switch
        {
            "SELECT" => $"SELECT 1 FROM {target} WHERE {where}",
            "INSERT" => $"INSERT INTO {target} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})",
            "UPDATE" => $"UPDATE {target} SET {columns[0]} = {columns[0]} WHERE {where}",
            _ => $"DELETE FROM {target} WHERE {where}",
        };
        return (sql, parameters);
    }

    private async Task<PolicyMatrixOutcome> RunCellAsync(
        string description, string? token, bool query, string sql, Dictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var session = token is null
            ? await dataSource.OpenAnonymousSessionAsync(cancellationToken).ConfigureAwait(false)
            : await dataSource.OpenSessionAsync(token, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var transaction = await session.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    var count = query
                        ? (await session.QueryAsync<int>(sql, parameters, cancellationToken).ConfigureAwait(false)).Count
                        : await session.ExecuteAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
                    return count > 0 ? PolicyMatrixOutcome.Allowed : PolicyMatrixOutcome.Filtered;
                }
                catch (RlsAuthorizationException)
                {
                    return PolicyMatrixOutcome.Refused;
                }
                catch (PostgresException e)
                {
                    throw new InvalidOperationException(
                        $"{description} failed with SQLSTATE {e.SqlState}: {e.MessageText}. "
                        + "A matrix cell is allowed, filtered or refused (42501): make the labelled rows and candidates fit the schema "
                        + "(keys that exist, values its constraints accept).",
                        e);
                }
            }
        }
    }
}
