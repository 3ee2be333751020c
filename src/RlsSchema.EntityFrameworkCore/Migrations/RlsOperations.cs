using System.Collections.Generic;
using System.Linq;
using RlsSchema.Schema;
using EfOperation = Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation;
using EfAlterDatabase = Microsoft.EntityFrameworkCore.Migrations.Operations.AlterDatabaseOperation;
using EfSql = Microsoft.EntityFrameworkCore.Migrations.Operations.SqlOperation;

namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>
/// Turns a change of <see cref="RlsModelAnnotation.Name"/> in an EF migration into the schema library's operations,
/// rendered by its one SQL writer. Tables, columns, keys, checks and indexes stay EF's: their operations are left out.
/// What must not be in the way of EF's table changes (policies and functions dropped, privileges revoked) runs before
/// them, together with what a new table's column defaults may call (the auth schema, its functions and the roles);
/// what needs EF's tables (grants, row-level security, policies, the membership function) runs after them.
/// </summary>
internal static class RlsOperations
{
    /// <summary>The SQL to run before and after EF's operations of one migration.</summary>
    /// <param name="operations">EF's operations.</param>
    /// <returns>The statements before and after, each an EF SQL operation; both empty when the RlsSchema model did not change.</returns>
    public static (IReadOnlyList<EfOperation> Before, IReadOnlyList<EfOperation> After) Split(IReadOnlyList<EfOperation> operations)
    {
        var before = new List<EfOperation>();
        var after = new List<EfOperation>();
        foreach (EfAlterDatabase alter in operations.OfType<EfAlterDatabase>())
        {
            string? current = alter[RlsModelAnnotation.Name] as string;
            string? previous = alter.OldDatabase[RlsModelAnnotation.Name] as string;
            if (current == previous)
            {
                continue;
            }

            DatabaseModel from = previous is null ? DatabaseModel.Empty : SnapshotJson.Read(previous);
            DatabaseModel to = current is null ? DatabaseModel.Empty : SnapshotJson.Read(current);
            foreach (MigrationOperation operation in ModelDiffer.Diff(from, to))
            {
                if (PlaceOf(operation) is not { } place)
                {
                    continue;
                }

                var sql = new EfSql { Sql = PostgresSqlWriter.Write(operation) };
                (place == Place.Before ? before : after).Add(sql);
            }
        }

        return (before, after);
    }

    private enum Place
    {
        Before,
        After,
    }

    private static Place? PlaceOf(MigrationOperation operation) => operation switch
    {
        PrepareAuthOperation or CreateSchemaOperation or CreateRoleOperation or ForgetRoleOperation => Place.Before,
        DropPolicyOperation or DropFunctionOperation or RevokeOperation => Place.Before,
        CreateFunctionOperation f => f.Function.SecurityDefiner ? Place.After : Place.Before,
        GrantOperation or GrantSchemaUsageOperation or GrantAllTablesOperation or DefaultPrivilegesOperation => Place.After,
        RowLevelSecurityOperation or ForceRowLevelSecurityOperation or CreatePolicyOperation or AlterPolicyOperation => Place.After,
        _ => null,
    };
}
