using System;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using RlsSchema.Npgsql;

namespace RlsSchema.EntityFrameworkCore.Runtime;

/// <summary>
/// Runs one of EF's commands as a session: the session's settings statement goes ahead of the command's own text, in the
/// same command, so that Npgsql sends both in one round trip and PostgreSQL runs them in one implicit transaction (or in
/// the open one), where the transaction-local settings end. The settings' result comes first and is skipped: EF reads
/// from its own first result on. PostgreSQL's refusals come out as the runtime's exceptions.
/// </summary>
internal static partial class SessionCommands
{
    private const string ParameterPrefix = "rls_setting_";

    // Each settings statement with its parameters named, made once: a data source has at most a few statements.
    private static readonly ConcurrentDictionary<string, string> NamedStatements = new(StringComparer.Ordinal);

    /// <summary>Runs the command as the session and returns its reader, positioned on the command's own first result.</summary>
    public static DbDataReader Reader(DbCommand command, RlsSession session)
    {
        Prefix(command, session);
        DbDataReader? reader = null;
        try
        {
            reader = command.ExecuteReader();
            reader.NextResult();
            return reader;
        }
        catch (PostgresException e) when (session.Translate(e, withSettings: true) is { } translated)
        {
            reader?.Dispose();
            throw translated;
        }
        catch
        {
            reader?.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="Reader"/>
    public static async Task<DbDataReader> ReaderAsync(DbCommand command, RlsSession session, CancellationToken cancellationToken)
    {
        Prefix(command, session);
        DbDataReader? reader = null;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch (PostgresException e) when (session.Translate(e, withSettings: true) is { } translated)
        {
            await DisposeAsync(reader).ConfigureAwait(false);
            throw translated;
        }
        catch
        {
            await DisposeAsync(reader).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the command as the session and returns the first column of its first row, as <c>ExecuteScalar</c> does.</summary>
    public static object? Scalar(DbCommand command, RlsSession session)
    {
        using var reader = Reader(command, session);
        try
        {
            var value = reader.FieldCount > 0 && reader.Read() ? reader.GetValue(0) : null;

            // A later statement's error surfaces only when its result is reached.
            while (reader.NextResult())
            {
            }

            return value;
        }
        catch (PostgresException e) when (session.Translate(e, withSettings: true) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc cref="Scalar"/>
    public static async Task<object?> ScalarAsync(DbCommand command, RlsSession session, CancellationToken cancellationToken)
    {
        var reader = await ReaderAsync(command, session, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                var value = reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetValue(0) : null;
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }

                return value;
            }
            catch (PostgresException e) when (session.Translate(e, withSettings: true) is { } translated)
            {
                throw translated;
            }
        }
    }

    /// <summary>
    /// Runs the command as the session and returns the rows its own statements affected: Npgsql counts the rows of
    /// inserts, updates and deletes, never those a <c>SELECT</c> returned, so the settings add nothing.
    /// </summary>
    public static int NonQuery(DbCommand command, RlsSession session)
    {
        Prefix(command, session);
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (PostgresException e) when (session.Translate(e, withSettings: true) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc cref="NonQuery"/>
    public static async Task<int> NonQueryAsync(DbCommand command, RlsSession session, CancellationToken cancellationToken)
    {
        Prefix(command, session);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (session.Translate(e, withSettings: true) is { } translated)
        {
            throw translated;
        }
    }

    // The runtime's settings command (its statement and values, from the session) with its positional parameters renamed,
    // since Npgsql splits a command into statements only when its parameters are named, as EF's are.
    private static void Prefix(DbCommand command, RlsSession session)
    {
        session.EnsureCanRun();
        var settings = session.SettingsCommand();
        var parameters = new NpgsqlParameter[settings.Parameters.Count];
        settings.Parameters.CopyTo(parameters, 0);
        settings.Parameters.Clear();
        command.CommandText = NamedStatements.GetOrAdd(settings.CommandText, static text => Positional().Replace(text, static m => "@" + ParameterPrefix + m.Groups[1].Value))
            + ";\n" + command.CommandText;
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].ParameterName = ParameterPrefix + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.Add(parameters[i]);
        }
    }

    private static ValueTask DisposeAsync(DbDataReader? reader) => reader?.DisposeAsync() ?? ValueTask.CompletedTask;

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Positional();
}
