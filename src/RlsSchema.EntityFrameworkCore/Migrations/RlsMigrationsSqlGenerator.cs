using System.Collections.Generic;
using System.Linq;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.Internal;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations;

namespace RlsSchema.EntityFrameworkCore.Migrations;

#pragma warning disable EF1001 // Npgsql's singleton options are internal API: the package pins its version, and the migrations tests run it.

/// <summary>
/// Npgsql's migrations SQL generator, with the RlsSchema operations of a migration (<see cref="RlsOperations"/>) around
/// EF's own: <c>database update</c>, <c>migrations script</c> and <c>Migrate()</c> all come through here.
/// </summary>
internal sealed class RlsMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies, INpgsqlSingletonOptions npgsqlOptions)
    : NpgsqlMigrationsSqlGenerator(dependencies, npgsqlOptions)
{
    /// <inheritdoc />
    public override IReadOnlyList<MigrationCommand> Generate(
        IReadOnlyList<MigrationOperation> operations,
        IModel? model = null,
        MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        var (before, after) = RlsOperations.Split(operations);
        return base.Generate(before.Count + after.Count == 0 ? operations : before.Concat(operations).Concat(after).ToList(), model, options);
    }
}
