using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>Reads what a script really created in a database and compares it with what the attributes said.</summary>
public static class CatalogCheck
{
    /// <summary>A table every database gets before the script runs; a script that touches it has been broken out of.</summary>
    public const string Sentinel = "victims";

    /// <summary>Creates the sentinel table.</summary>
    public static async Task PrepareAsync(string ownerConnectionString)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE TABLE {Sentinel} (id int); INSERT INTO {Sentinel} VALUES (42);", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every way the database differs from <paramref name="expected"/>; empty when it means what the attributes say.</summary>
    public static async Task<List<string>> CompareAsync(string ownerConnectionString, ExpectedCatalog expected)
    {
        var problems = new List<string>();
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();

        if (await ScalarAsync<long>(connection, $"SELECT count(*) FROM {Sentinel} WHERE id = 42") != 1)
        {
            problems.Add("the sentinel table lost its row");
        }

        var tables = await RowsAsync(connection,
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = 'public' AND c.relkind = 'r'", null);
        var names = tables.Select(t => (string)t[0]).ToHashSet(StringComparer.Ordinal);
        if (!names.Contains(Sentinel))
        {
            problems.Add("the sentinel table was dropped");
        }

        names.Remove(Sentinel);
        if (!names.SetEquals([expected.Table]))
        {
            problems.Add($"tables {Show(names)} instead of {Show([expected.Table])}");
            return problems;
        }

        object[] table = tables.Single(t => (string)t[0] == expected.Table);
        if (!(bool)table[1])
        {
            problems.Add("row level security is not enabled");
        }

        if ((bool)table[2] != expected.Force)
        {
            problems.Add($"FORCE row level security is {(bool)table[2]}, the attributes say {expected.Force}");
        }

        var columns = (await RowsAsync(connection,
                "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @t",
                new() { ["t"] = expected.Table }))
            .ToDictionary(r => (string)r[0], r => (Type: (string)r[1], Nullable: (string)r[2] == "YES"), StringComparer.Ordinal);
        var expectedNames = expected.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (!expectedNames.SetEquals(columns.Keys) || expectedNames.Count != expected.Columns.Count)
        {
            problems.Add($"columns {Show(columns.Keys)} instead of {Show(expected.Columns.Select(c => c.Name))}");
        }

        foreach (ExpectedColumn c in expected.Columns)
        {
            if (!columns.TryGetValue(c.Name, out var actual))
            {
                continue;
            }

            if (c.DataType != "*" && actual.Type != c.DataType)
            {
                problems.Add($"column {Show([c.Name])} is {actual.Type}, expected {c.DataType ?? "no column at all"}");
            }

            if (actual.Nullable != c.Nullable)
            {
                problems.Add($"column {Show([c.Name])} nullable={actual.Nullable}, expected {c.Nullable}");
            }
        }

        var policies = (await RowsAsync(connection,
                "SELECT policyname::text, cmd::text, roles::text[], permissive::text, qual, with_check FROM pg_policies WHERE schemaname = 'public' AND tablename = @t",
                new() { ["t"] = expected.Table }))
            .ToDictionary(r => (string)r[0], r => r, StringComparer.Ordinal);
        var expectedPolicies = expected.Policies.Select(p => p.Name).ToList();
        if (!expectedPolicies.ToHashSet(StringComparer.Ordinal).SetEquals(policies.Keys) || expectedPolicies.Count != policies.Count)
        {
            problems.Add($"policies {Show(policies.Keys)} instead of {Show(expectedPolicies)}");
        }

        foreach (ExpectedPolicy p in expected.Policies)
        {
            if (!policies.TryGetValue(p.Name, out object[]? row))
            {
                continue;
            }

            if ((string)row[1] != p.Command)
            {
                problems.Add($"policy {Show([p.Name])} is FOR {row[1]}, expected {p.Command}");
            }

            var roles = ((string[])row[2]).ToHashSet(StringComparer.Ordinal);
            if (!roles.SetEquals(p.Roles))
            {
                problems.Add($"policy {Show([p.Name])} is TO {Show(roles)}, expected {Show(p.Roles)}");
            }

            if (((string)row[3] == "PERMISSIVE") != p.Permissive)
            {
                problems.Add($"policy {Show([p.Name])} is {row[3]}, expected {(p.Permissive ? "PERMISSIVE" : "RESTRICTIVE")}");
            }

            await CompareExpressionAsync(connection, expected.Table, p.Name, "USING", row[4] as string, p.Using, problems);
            await CompareExpressionAsync(connection, expected.Table, p.Name, "WITH CHECK", row[5] as string, p.WithCheck, problems);
        }

        return problems;
    }

    private static async Task CompareExpressionAsync(NpgsqlConnection connection, string table, string policy, string part, string? actual, string? expected, List<string> problems)
    {
        if ((actual is null) != (expected is null))
        {
            problems.Add($"policy {Show([policy])} {part} is {actual ?? "absent"}, the attributes say {expected ?? "absent"}");
            return;
        }

        if (expected is null || actual is null || !IsProbeSafe(expected))
        {
            return;
        }

        // PostgreSQL's own deparse of the expected expression on the same table is the meaning to compare with.
        await using NpgsqlTransaction tx = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand($"CREATE POLICY \"rls probe\" ON {CatalogOracle.QuoteIdent(table)} USING ({expected})", connection, tx))
        {
            await create.ExecuteNonQueryAsync();
        }

        string? meaning;
        await using (var read = new NpgsqlCommand("SELECT qual FROM pg_policies WHERE schemaname = 'public' AND tablename = @t AND policyname = 'rls probe'", connection, tx))
        {
            read.Parameters.AddWithValue("t", table);
            meaning = (string?)await read.ExecuteScalarAsync();
        }

        await tx.RollbackAsync();
        if (meaning != actual)
        {
            problems.Add($"policy {Show([policy])} {part} is {actual}, but {expected} means {meaning}");
        }
    }

    private static bool IsProbeSafe(string expression) =>
        HostileCorpus.CleanExpressions.Contains(expression) || expression.StartsWith("(select auth.user_id()) = \"", StringComparison.Ordinal);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<object[]>> RowsAsync(NpgsqlConnection connection, string sql, Dictionary<string, object>? parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters ?? [])
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object[]>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            object[] row = new object[reader.FieldCount];
            reader.GetValues(row);
            for (int i = 0; i < row.Length; i++)
            {
                if (row[i] is DBNull)
                {
                    row[i] = null!;
                }
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string Show(IEnumerable<string> names) => "[" + string.Join(", ", names.Select(HostileCorpus.Show)) + "]";
}
