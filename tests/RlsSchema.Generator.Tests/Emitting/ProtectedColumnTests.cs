using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>What <c>[Immutable]</c> and <c>[ServerGenerated]</c> make of the script's grants and the repository's writes.</summary>
public class ProtectedColumnTests
{
    private const string Account = """
        using System;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        [Table("accounts")]
        [CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
        public partial class Account
        {
            public long Id { get; set; }
            [Immutable, DefaultSql("auth.user_id()")] public string OwnerId { get; set; } = "";
            public string Name { get; set; } = "";
            [ServerGenerated, DefaultSql("now()")] public DateTimeOffset CreatedAt { get; set; }
        }
        """;

    [Fact]
    public void The_script_grants_update_and_insert_on_the_columns_end_users_may_write()
    {
        GenerationResult result = GeneratorHarness.Run(Account);

        Assert.Empty(result.GeneratorErrors);
        Assert.Contains("GRANT DELETE, INSERT (id, name, owner_id), SELECT, UPDATE (id, name) ON accounts TO authenticated;", result.Sql);
    }

    [Fact]
    public void The_repository_never_updates_an_immutable_column_nor_writes_a_server_generated_one()
    {
        GenerationResult result = GeneratorHarness.Run(Account);
        string repository = result.Source("AccountRepository.g.cs")!;

        Assert.Empty(result.OutputErrors);
        Assert.Contains("UPDATE \\\"accounts\\\" SET \\\"name\\\" = @Name WHERE", repository);
        Assert.Contains("INSERT INTO \\\"accounts\\\" (\\\"owner_id\\\", \\\"name\\\") VALUES", repository);
        Assert.Contains("Immutable columns (OwnerId) are not written", repository);
    }
}
