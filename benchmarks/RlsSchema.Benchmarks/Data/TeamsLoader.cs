using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Benchmarks.Data;

/// <summary>
/// Scenario 6's data (the Teams sample's tables), loaded as the owner in one statement batch: organizations with five members each (the measured
/// user belongs to the first one only), ten projects per organization, and the tasks spread over all projects in turn,
/// so that one organization's tasks are scattered through the table as they are after years of use.
/// </summary>
internal static class TeamsLoader
{
    public const int MembersPerOrganization = 5;
    public const int ProjectsPerOrganization = 10;

    public static async Task<TimeSpan> LoadAsync(NpgsqlDataSource owner, int organizations, int tasks, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        var sql = $"""
            INSERT INTO organizations (name) SELECT 'org ' || g FROM generate_series(1, {organizations}) g;
            INSERT INTO memberships (organization_id, user_id, role)
                SELECT o.id, 'user_01ORG' || o.id || '_' || k, CASE WHEN k = 1 THEN 'admin' ELSE 'member' END
                FROM organizations o, generate_series(1, {MembersPerOrganization}) k;
            INSERT INTO memberships (organization_id, user_id, role)
                SELECT id, @measured, 'member' FROM organizations WHERE name = 'org 1';
            INSERT INTO projects (organization_id, name)
                SELECT o.id, 'project ' || k FROM organizations o, generate_series(1, {ProjectsPerOrganization}) k;
            INSERT INTO tasks (project_id, title, state)
                SELECT p.ids[1 + g % cardinality(p.ids)], 'task ' || g, 0
                FROM (SELECT array_agg(id ORDER BY id) AS ids FROM projects) p, generate_series(1, {tasks}) g;
            ANALYZE organizations, memberships, projects, tasks;
            """;
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("measured", BenchUsers.Measured);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return clock.Elapsed;
    }
}
