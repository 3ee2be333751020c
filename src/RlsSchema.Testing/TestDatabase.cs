using RlsSchema.Npgsql;

namespace RlsSchema.Testing;

/// <summary>A fresh database on a <see cref="PostgresServer"/>, with a login role for sessions.</summary>
public sealed class TestDatabase
{
    internal TestDatabase(string name, string ownerConnectionString, string authenticatorRole, string authenticatorConnectionString)
    {
        Name = name;
        OwnerConnectionString = ownerConnectionString;
        AuthenticatorRole = authenticatorRole;
        AuthenticatorConnectionString = authenticatorConnectionString;
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>Connects to the database as its owner (the server's administrator): for migrations and test set-up.</summary>
    public string OwnerConnectionString { get; }

    /// <summary>
    /// The <c>LOGIN NOINHERIT</c> role sessions connect as: it holds no privileges of its own and is granted
    /// <c>authenticated</c> and <c>anonymous</c>, which it can only use by switching to them.
    /// </summary>
    public string AuthenticatorRole { get; }

    /// <summary>Connects to the database as <see cref="AuthenticatorRole"/>: the connection sessions use.</summary>
    public string AuthenticatorConnectionString { get; }

    /// <summary>Creates a data source over this database: migrations as the owner, sessions as the authenticator.</summary>
    /// <param name="jwt">How tokens are validated, for example <see cref="DevTokenIssuer.ValidationOptions"/>; null for anonymous sessions only.</param>
    /// <returns>The data source; dispose it.</returns>
    public RlsDataSource CreateDataSource(JwtValidationOptions? jwt = null) => new(new RlsDataSourceOptions
    {
        OwnerConnectionString = OwnerConnectionString,
        AuthenticatedConnectionString = AuthenticatorConnectionString,
        Jwt = jwt,
    });
}
