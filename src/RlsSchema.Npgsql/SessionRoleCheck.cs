using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>
/// Refuses session roles that row-level security would not filter: a superuser, a role with <c>BYPASSRLS</c>, or one
/// with the privileges of a table's owner (its owner, or a member of the owner's role) where the table's row-level
/// security is enabled but not forced. A session in such a role would see and change every row, and nothing would say so.
/// Asked once per data source, on the connection of its first session, before that session's first statement. When asked
/// to, it also asks in the same round trip whether the server's <c>auth.user_id()</c> (and <c>auth.uid()</c>, where there is
/// one) reads the subject's own setting, <c>request.jwt.claim.sub</c>: the script's functions do; <c>pg_session_jwt</c>'s,
/// which the script leaves alone, and older definitions read the whole payload.
/// </summary>
internal sealed class SessionRoleCheck(IReadOnlyList<SessionSettings> sessions, bool askSubjectSetting = false)
{
    // One row per role that would bypass, with each reason; tables of this database only (pg_class is per database).
    private const string Query = """
        SELECT r.rolname, r.rolsuper, r.rolbypassrls,
               (SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ' ORDER BY n.nspname, c.relname)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity AND NOT c.relforcerowsecurity
                   AND pg_has_role(r.oid, c.relowner, 'USAGE')) AS owned
          FROM pg_roles r
         WHERE r.rolname = ANY($1)
        """;

    // True when every auth function that returns the subject is a plain function (no extension's) that reads the setting.
    private const string SubjectSettingQuery = """
        SELECT coalesce(bool_or(p.proname = 'user_id') AND bool_and(
                   p.prosrc LIKE '%request.jwt.claim.sub%'
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')), false)
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'auth' AND p.proname IN ('user_id', 'uid') AND p.pronargs = 0
        """;

    private readonly SemaphoreSlim _once = new(1, 1);
    private volatile bool _passed;
    private string? _refusal;

    /// <summary>
    /// After <see cref="EnsureAsync"/> passed, when asked to: whether the server's auth functions read the subject from
    /// <c>request.jwt.claim.sub</c>, so that sessions may set it alone.
    /// </summary>
    public bool SubjectSettingRead { get; private set; }

    /// <summary>Throws the refusal when a session role bypasses row-level security; asks the database the first time only.</summary>
    /// <exception cref="InvalidOperationException">A session role bypasses row-level security; the message names it and the fix.</exception>
    public async ValueTask EnsureAsync(SessionConnections connections, CancellationToken cancellationToken)
    {
        if (_passed)
        {
            return;
        }

        await _once.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_passed && _refusal is null)
            {
                // A failure to ask (the server is down) is not remembered: the next session asks again.
                _refusal = await AskAsync(connections, cancellationToken).ConfigureAwait(false);
                _passed = _refusal is null;
            }
        }
        finally
        {
            _once.Release();
        }

        if (_refusal is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }
    }

    private async Task<string?> AskAsync(SessionConnections connections, CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        foreach (var settings in sessions)
        {
            if (settings.SwitchesRole && !roles.Contains(settings.Role))
            {
                roles.Add(settings.Role);
            }
        }

        var connection = await connections.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection)
            {
                BatchCommands = { new NpgsqlBatchCommand(Query) { Parameters = { new NpgsqlParameter<string[]> { TypedValue = roles.ToArray() } } } },
            };
            if (askSubjectSetting)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(SubjectSettingQuery));
            }

            await using (batch.ConfigureAwait(false))
            {
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var role = reader.GetString(0);
                        var owned = reader.IsDBNull(3) ? null : reader.GetString(3);
                        if (Refusal(role, reader.GetBoolean(1), reader.GetBoolean(2), owned, Option(role)) is { } refusal)
                        {
                            return refusal;
                        }
                    }

                    if (askSubjectSetting && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false)
                        && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        SubjectSettingRead = reader.GetBoolean(0);
                    }
                }
            }
        }

        return null;
    }

    private string Option(string role)
    {
        foreach (var settings in sessions)
        {
            if (settings.Role == role)
            {
                return settings.Option;
            }
        }

        return "";
    }

    private static string? Refusal(string role, bool superuser, bool bypassRls, string? ownedTables, string option)
    {
        var why = superuser ? "is a superuser"
            : bypassRls ? "has BYPASSRLS"
            : ownedTables is not null ? $"owns (or has the privileges of the owner of) tables whose row-level security is not forced: {ownedTables}"
            : null;
        if (why is null)
        {
            return null;
        }

        var fix = superuser ? $"ALTER ROLE \"{role}\" NOSUPERUSER"
            : bypassRls ? $"ALTER ROLE \"{role}\" NOBYPASSRLS"
            : "ALTER TABLE ... FORCE ROW LEVEL SECURITY on each of them, or give them to another owner";
        return $"The session role '{role}' ({option}) {why}, so row-level security would not filter its sessions: they would see and "
            + $"change every row. As the owner, run {fix}, or set {option} to a role without those rights. No session was opened.";
    }
}
