using System.Threading;
using System.Threading.Tasks;
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

    /// <summary>Starts a data source builder whose sessions connect as <see cref="AuthenticatorRole"/>.</summary>
    /// <param name="jwt">How tokens are validated, for example <see cref="DevTokenIssuer.ValidationOptions"/>; null for anonymous sessions only.</param>
    /// <returns>The builder; change pool or Npgsql settings on it, then build.</returns>
    public RlsDataSourceBuilder CreateDataSourceBuilder(JwtValidationOptions? jwt = null)
    {
        var builder = new RlsDataSourceBuilder(AuthenticatorConnectionString);
        if (jwt is not null)
        {
            builder.UseJwtValidation(jwt);
        }

        return builder;
    }

    /// <summary>Creates a data source whose sessions connect as <see cref="AuthenticatorRole"/>.</summary>
    /// <param name="jwt">How tokens are validated, for example <see cref="DevTokenIssuer.ValidationOptions"/>; null for anonymous sessions only.</param>
    /// <returns>The data source; dispose it.</returns>
    public RlsDataSource CreateDataSource(JwtValidationOptions? jwt = null) => CreateDataSourceBuilder(jwt).Build();

    /// <summary>Creates a migrator that connects as the owner.</summary>
    /// <returns>The migrator; dispose it.</returns>
    public RlsMigrator CreateMigrator() => new(OwnerConnectionString);

    /// <summary>Applies <paramref name="script"/> as the owner, through an <see cref="RlsMigrator"/>.</summary>
    /// <param name="script">The SQL script, for example the generated <c>RlsSchemaScript.Sql</c>.</param>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the script is applied.</returns>
    public async Task MigrateAsync(string script, CancellationToken cancellationToken = default)
    {
        var migrator = CreateMigrator();
        await using (migrator.ConfigureAwait(false))
        {
            await migrator.MigrateAsync(script, cancellationToken).ConfigureAwait(false);
        }
    }
}
