using RlsSchema.Generated;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using Teams;

// A throwaway PostgreSQL (DATABASE_URL, else the local binaries, else Docker) and a development token issuer.
await using var server = await PostgresServer.StartAsync();
var database = await server.CreateDatabaseAsync();
await database.MigrateAsync(RlsSchemaScript.Sql);
await using var issuer = await DevTokenIssuer.StartAsync();
await using var db = database.CreateDataSource(issuer.ValidationOptions);

var acme = Guid.NewGuid();
var globex = Guid.NewGuid();
var alice = DevTokenIssuer.NewUserId();   // Acme admin
var bob = DevTokenIssuer.NewUserId();     // Acme member
var carol = DevTokenIssuer.NewUserId();   // Globex admin

// Organizations and memberships are the backend's to write: a service session, which bypasses row-level security.
await using (var service = new RlsServiceDataSource(database.OwnerConnectionString))
await using (var backend = await service.OpenServiceSessionAsync())
{
    await new OrganizationRepository(backend).InsertAsync(new Organization { Id = acme, Name = "Acme" });
    await new OrganizationRepository(backend).InsertAsync(new Organization { Id = globex, Name = "Globex" });
    var memberships = new MembershipRepository(backend);
    await memberships.InsertAsync(new Membership { OrganizationId = acme, UserId = alice, Role = "admin" });
    await memberships.InsertAsync(new Membership { OrganizationId = acme, UserId = bob });
    await memberships.InsertAsync(new Membership { OrganizationId = globex, UserId = carol, Role = "admin" });
}

string TokenFor(string user, Guid organization, string role) =>
    issuer.IssueToken(user, new DevTokenOptions { OrganizationId = organization.ToString(), Role = role });

var failures = new List<string>();
void Check(bool held, string promise)
{
    Console.WriteLine($"{(held ? "ok    " : "FAILED")} {promise}");
    if (!held)
    {
        failures.Add(promise);
    }
}

TaskItem acmeTask;
await using (var session = await db.OpenSessionAsync(TokenFor(alice, acme, "admin")))
{
    var project = await new ProjectRepository(session).InsertAsync(new Project { OrganizationId = acme, Name = "Launch" });
    acmeTask = await new TaskItemRepository(session).InsertAsync(new TaskItem { ProjectId = project.Id, Title = "Write the plan" });
}

await using (var session = await db.OpenSessionAsync(TokenFor(carol, globex, "admin")))
{
    var project = await new ProjectRepository(session).InsertAsync(new Project { OrganizationId = globex, Name = "Secret" });
    await new TaskItemRepository(session).InsertAsync(new TaskItem { ProjectId = project.Id, Title = "Globex only" });
    try
    {
        await new TaskItemRepository(session).InsertAsync(new TaskItem { ProjectId = acmeTask.ProjectId, Title = "Planted" });
        Check(false, "Carol cannot add a task to Acme's project");
    }
    catch (RlsAuthorizationException refused)
    {
        Check(refused.SqlState == "42501", "Carol cannot add a task to Acme's project");
    }
}

await using (var session = await db.OpenSessionAsync(TokenFor(bob, acme, "member")))
{
    var tasks = await new TaskItemRepository(session).ListAsync();
    Check(tasks.Select(t => t.Title).SequenceEqual(["Write the plan"]), "Bob, a member of Acme, sees Acme's task and not Globex's");
    var deleted = await new TaskItemRepository(session).DeleteAsync(acmeTask.Id);
    Check(!deleted, "Bob, who is not an admin, cannot delete Acme's task");
}

await using (var session = await db.OpenSessionAsync(TokenFor(alice, acme, "admin")))
{
    var stillThere = await new TaskItemRepository(session).GetAsync(acmeTask.Id);
    Check(stillThere is not null, "The task Bob tried to delete is still there");
    Check(await new TaskItemRepository(session).DeleteAsync(acmeTask.Id), "Alice, an admin of Acme, deletes it");
}

await using (var session = await db.OpenSessionAsync(TokenFor(carol, globex, "admin")))
{
    var tasks = await new TaskItemRepository(session).ListAsync();
    Check(tasks.Select(t => t.Title).SequenceEqual(["Globex only"]), "Carol, a member of Globex, sees only Globex's task");
}

Console.WriteLine(failures.Count == 0 ? "All checks held." : $"{failures.Count} check(s) FAILED.");
return failures.Count == 0 ? 0 : 1;
