using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// A repository over a uuid owner (<c>auth.uid()</c>) on PostgreSQL: an insert that leaves the owner empty takes the
/// default, the session's subject as a uuid, ListMine reads the subject's rows, and the policy decides.
/// </summary>
public sealed class UuidOwnerRepositoryTests : IAsyncLifetime
{
    private const string Source = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Vault;

        [Table("secrets")]
        [CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
        public class Secret
        {
            [Key] public long Id { get; set; }
            [DefaultSql("auth.uid()")] public Guid OwnerId { get; set; }
            public string Text { get; set; } = "";
        }
        """;

    private PostgresServer? _server;
    private DevTokenIssuer? _issuer;
    private RlsDataSource? _dataSource;
    private Type _entity = null!;
    private Type _repository = null!;

    private async Task<T> CallAsync<T>(RlsSession session, string method, params object[] arguments)
    {
        object repository = Activator.CreateInstance(_repository, session)!;
        MethodInfo info = _repository.GetMethod(method)!;
        var task = (Task)info.Invoke(repository, arguments.Append(CancellationToken.None).ToArray())!;
        await task;
        return (T)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    private object Secret(string text, Guid? owner = null)
    {
        object secret = Activator.CreateInstance(_entity)!;
        _entity.GetProperty("Text")!.SetValue(secret, text);
        if (owner is { } id)
        {
            _entity.GetProperty("OwnerId")!.SetValue(secret, id);
        }

        return secret;
    }

    private Guid Owner(object secret) => (Guid)_entity.GetProperty("OwnerId")!.GetValue(secret)!;

    [Fact]
    public async Task Insert_without_an_owner_is_the_subjects_and_ListMine_reads_only_the_subjects_rows()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        await using var alices = await _dataSource!.OpenSessionAsync(_issuer!.IssueToken(alice.ToString()));
        await using var bobs = await _dataSource.OpenSessionAsync(_issuer.IssueToken(bob.ToString()));

        object added = await CallAsync<object>(alices, "InsertAsync", Secret("alice's"));
        await CallAsync<object>(bobs, "InsertAsync", Secret("bob's"));
        var mine = (IList)await CallAsync<object>(alices, "ListMineAsync");

        Assert.Equal(alice, Owner(added));
        Assert.Equal(alice, Owner(Assert.Single(mine.Cast<object>())));
    }

    [Fact]
    public async Task An_explicit_owner_that_is_not_the_subject_is_refused()
    {
        await using var alices = await _dataSource!.OpenSessionAsync(_issuer!.IssueToken(Guid.NewGuid().ToString()));

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => CallAsync<object>(alices, "InsertAsync", Secret("forged", Guid.NewGuid())));

        Assert.Equal("42501", refused.SqlState);
    }

    [Fact]
    public async Task A_subject_that_is_not_a_uuid_owns_nothing_and_inserts_nothing()
    {
        await using var session = await _dataSource!.OpenSessionAsync(_issuer!.IssueToken("user_not_a_uuid"));

        var mine = (IList)await CallAsync<object>(session, "ListMineAsync");
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => CallAsync<object>(session, "InsertAsync", Secret("no owner")));

        Assert.Empty(mine);
        Assert.Equal("42501", refused.SqlState);
    }

    public async Task InitializeAsync()
    {
        GenerationResult generated = GeneratorHarness.Run(Source);
        Assert.Empty(generated.OutputErrors);
        using var image = new MemoryStream();
        Assert.True(generated.Output.Emit(image).Success);
        Assembly assembly = Assembly.Load(image.ToArray());
        _entity = assembly.GetType("Vault.Secret")!;
        _repository = assembly.GetType("Vault.SecretRepository")!;

        _server = await PostgresServer.StartAsync();
        TestDatabase database = await _server.CreateDatabaseAsync();
        await database.MigrateAsync(generated.Sql!);
        _issuer = await DevTokenIssuer.StartAsync();
        _dataSource = database.CreateDataSource(_issuer.ValidationOptions);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
