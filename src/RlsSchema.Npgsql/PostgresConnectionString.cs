using System;
using System.Collections.Generic;
using System.Globalization;
using Npgsql;

namespace RlsSchema.Npgsql;

/// <summary>Reads PostgreSQL connection strings in either form that hosting providers hand out.</summary>
internal static class PostgresConnectionString
{
    /// <summary>
    /// Turns a <c>postgres://user:password@host:port/database?sslmode=require</c> URL (as Neon, Heroku and most hosts give
    /// it) into an Npgsql connection string; an Npgsql keyword connection string (<c>Host=...;Username=...</c>) is
    /// returned as given.
    /// </summary>
    /// <param name="value">A URL or an Npgsql connection string.</param>
    /// <returns>An Npgsql connection string.</returns>
    /// <remarks>
    /// Query parameters are libpq's (<c>sslmode</c>, <c>channel_binding</c>, <c>sslrootcert</c>, <c>sslcert</c>, <c>sslkey</c>,
    /// <c>application_name</c>, <c>connect_timeout</c>, <c>options</c>, <c>target_session_attrs</c>) or any Npgsql
    /// keyword, e.g. <c>?sslmode=require&amp;Max%20Auto%20Prepare=0</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">The value is neither form, the URL is malformed, or has a query parameter that is neither libpq's nor an Npgsql keyword.</exception>
    public static string ToNpgsql(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var trimmed = value.Trim();
        if (!trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(trimmed);
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException or InvalidCastException or OverflowException)
            {
                throw new ArgumentException(
                    $"This is neither a postgres://user:password@host:port/database URL nor an Npgsql connection string (Host=...;Username=...): {e.Message}",
                    nameof(value),
                    e);
            }

            return trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("The PostgreSQL URL is malformed; expected postgres://user:password@host:port/database.", nameof(value));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.IdnHost };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var (key, parameter) in ParseQuery(uri.Query))
        {
            switch (key)
            {
                case "sslmode":
                    builder.SslMode = parameter switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => throw new ArgumentException($"Unknown sslmode '{parameter}'.", nameof(value)),
                    };
                    break;
                case "channel_binding":
                    builder.ChannelBinding = parameter switch
                    {
                        "disable" => ChannelBinding.Disable,
                        "prefer" => ChannelBinding.Prefer,
                        "require" => ChannelBinding.Require,
                        _ => throw new ArgumentException($"Unknown channel_binding '{parameter}'.", nameof(value)),
                    };
                    break;
                case "sslrootcert":
                    builder.RootCertificate = parameter;
                    break;
                case "sslcert":
                    builder.SslCertificate = parameter;
                    break;
                case "sslkey":
                    builder.SslKey = parameter;
                    break;
                case "application_name":
                    builder.ApplicationName = parameter;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.Parse(parameter, NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case "options":
                    builder.Options = parameter;
                    break;
                case "target_session_attrs":
                    builder.TargetSessionAttributes = parameter;
                    break;
                default:
                    // Any Npgsql keyword (Max Auto Prepare, Maximum Pool Size, ...), as libpq users pass settings in the URL.
                    try
                    {
                        builder[key] = parameter;
                    }
                    catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
                    {
                        throw new ArgumentException(
                            $"The URL parameter '{key}' is neither a libpq parameter nor an Npgsql keyword with a valid value ({e.Message}).",
                            nameof(value),
                            e);
                    }

                    break;
            }
        }

        return builder.ConnectionString;
    }

    private static IEnumerable<(string Key, string Value)> ParseQuery(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' ')).ToLowerInvariant();
            var parameter = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            yield return (key, parameter);
        }
    }
}
