using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using Teams;

// dotnet run --project samples/Teams: a throwaway PostgreSQL, two organizations and three users signed in through a
// development issuer with WorkOS-shaped claims (sub, org_id, role, permissions). Every rule is a typed policy.
if (args.Length != 0)
{
    Console.Error.WriteLine("Usage: Teams (no arguments: it starts its own PostgreSQL and token issuer)");
    return 2;
}

var transcript = new Transcript(Console.Out);
transcript.Title("Teams: organizations, projects, tasks and comments, decided by typed policies in PostgreSQL");

await using var server = await PostgresServer.StartAsync();
var database = await server.CreateDatabaseAsync();
await using var issuer = await DevTokenIssuer.StartAsync();
var script = SchemaScript.Load();
await database.MigrateAsync(script.Sql);
await using var data = database.CreateDataSource(issuer.ValidationOptions);
transcript.Setting("schema", script.Source);
transcript.Setting("sign-in", $"development issuer standing in for WorkOS, keys at {issuer.JwksUri}");

var acme = Guid.NewGuid();
var globex = Guid.NewGuid();
var alice = DevTokenIssuer.NewUserId();
var bob = DevTokenIssuer.NewUserId();
var carol = DevTokenIssuer.NewUserId();

// Organizations and memberships come from the backend (a WorkOS webhook, say): a service session, which bypasses
// row-level security, writes them through the same generated repositories the users' sessions use.
transcript.Blank();
transcript.Actor("The backend records Acme (Alice admin, Bob member) and Globex (Carol admin)");
await using (var service = new RlsServiceDataSource(database.OwnerConnectionString))
await using (var backend = await service.OpenServiceSessionAsync())
{
    var organizations = new OrganizationRepository(backend);
    await organizations.InsertAsync(new Organization { Id = acme, Name = "Acme" });
    await organizations.InsertAsync(new Organization { Id = globex, Name = "Globex" });
    var memberships = new MembershipRepository(backend);
    await memberships.InsertAsync(new Membership { OrganizationId = acme, UserId = alice, Role = "admin" });
    await memberships.InsertAsync(new Membership { OrganizationId = acme, UserId = bob, Role = "member" });
    await memberships.InsertAsync(new Membership { OrganizationId = globex, UserId = carol, Role = "admin" });
    var seeded = await memberships.CountAsync();
    transcript.Step("seeds two organizations and three memberships", seeded + " memberships");
    transcript.Expect(seeded == 3, "The service session sees and writes every organization's rows");
}

Task<RlsSession> SignInAsync(string user, Guid organization, string role, params string[] permissions) =>
    data.OpenSessionAsync(issuer.IssueToken(user, new DevTokenOptions { OrganizationId = organization.ToString(), Role = role, Permissions = permissions })).AsTask();

Project launch;
TaskItem plan;
transcript.Blank();
transcript.Actor($"Alice (Acme admin, announcements:write) signs in as {alice}");
await using (var session = await SignInAsync(alice, acme, "admin", "announcements:write"))
{
    launch = await new ProjectRepository(session).InsertAsync(new Project { OrganizationId = acme, Name = "Launch" });
    transcript.Step("creates project \"Launch\" in Acme", "created");
    plan = await new TaskItemRepository(session).InsertAsync(new TaskItem { ProjectId = launch.Id, Title = "Write the plan", AssigneeId = bob });
    transcript.Step("adds task \"Write the plan\" for Bob", $"task #{plan.Id}");
    await new AnnouncementRepository(session).InsertAsync(new Announcement { OrganizationId = acme, Title = "Offsite on Friday" });
    transcript.Step("announces \"Offsite on Friday\"", "posted");
    var members = await new MembershipRepository(session).ListAsync();
    transcript.Step("lists Acme's members", members.Count + " members");
    transcript.Expect(members.Count == 2, "Alice sees her co-members, and only Acme's");
    var bobs = await new MembershipRepository(session).GetAsync(acme, bob);
    var carols = await new MembershipRepository(session).GetAsync(globex, carol);
    transcript.Step("reads the memberships (Acme, Bob) and (Globex, Carol)", (bobs is null ? "none" : bobs.Role) + ", " + (carols is null ? "none" : carols.Role));
    transcript.Expect(bobs is { Role: "member" } && carols is null, "A membership is found by its pair of keys, and only in her organization");
}

transcript.Blank();
transcript.Actor($"Bob (Acme member) signs in as {bob}");
await using (var session = await SignInAsync(bob, acme, "member"))
{
    var tasks = await new TaskItemRepository(session).ListByProjectAsync(launch.Id);
    transcript.Step("lists Launch's tasks", Transcript.Describe(tasks.Select(t => t.Title)));
    transcript.Expect(tasks.Count == 1, "Bob sees his organization's tasks through the project");
    var updated = await new TaskItemRepository(session).UpdateAsync(new TaskItem { Id = plan.Id, ProjectId = launch.Id, Title = "Plan drafted", AssigneeId = bob, State = TaskState.Doing });
    transcript.Step("updates his task", updated is null ? "no row updated" : "\"" + updated.Title + "\"");
    transcript.Expect(updated is { State: TaskState.Doing }, "The assignee updates his task");
    var comment = await new CommentRepository(session).InsertAsync(new Comment { TaskId = plan.Id, Body = "On it" });
    transcript.Step("comments \"On it\"", "posted as " + comment.AuthorId);
    transcript.Expect(comment.AuthorId == bob, "Bob's comment is his, by default");
    var planted = await new CommentRepository(session).InsertAsync(new Comment { TaskId = plan.Id, Body = "Backdated", CreatedAt = DateTimeOffset.UtcNow.AddDays(-1) });
    transcript.Step("comments with a creation time of yesterday", "stamped " + (DateTimeOffset.UtcNow - planted.CreatedAt).TotalMinutes.ToString("0") + " minutes ago");
    transcript.Expect(planted.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-1), "The server stamps a comment's time; end users never write it");
    comment.Body = "On it, starting today";
    var edited = await new CommentRepository(session).UpdateAsync(comment);
    transcript.Step("edits his new comment", edited is null ? "no row updated" : "\"" + edited.Body + "\"");
    transcript.Expect(edited is not null, "The author edits a comment within 15 minutes of posting it");
    await using (var service = new RlsServiceDataSource(database.OwnerConnectionString))
    await using (var backend = await service.OpenServiceSessionAsync())
    {
        await backend.ExecuteAsync("UPDATE comments SET created_at = now() - interval '20 minutes' WHERE id = @Id", new { comment.Id });
    }

    comment.Body = "Done already";
    var late = await new CommentRepository(session).UpdateAsync(comment);
    transcript.Step("edits the comment 20 minutes after posting it", late is null ? "no row updated" : "\"" + late.Body + "\"");
    transcript.Expect(late is null, "After 15 minutes a comment is no longer editable");
    var deleted = await new ProjectRepository(session).DeleteAsync(launch.Id);
    transcript.Step("deletes project \"Launch\"", deleted ? "deleted" : "nothing deleted");
    transcript.Expect(!deleted, "Only an admin deletes a project");
    await transcript.ExpectRefusedAsync("announces \"Party\" without the permission",
        () => new AnnouncementRepository(session).InsertAsync(new Announcement { OrganizationId = acme, Title = "Party" }),
        "Announcing needs announcements:write");
    var announcements = await new AnnouncementRepository(session).ListAsync();
    transcript.Step("reads announcements", Transcript.Describe(announcements.Select(a => a.Title)));
    transcript.Expect(announcements.Count == 1, "Members read their organization's announcements");
}

transcript.Blank();
transcript.Actor($"Carol (Globex admin) signs in as {carol}");
await using (var session = await SignInAsync(carol, globex, "admin", "announcements:write"))
{
    var projects = await new ProjectRepository(session).ListAsync();
    var tasks = await new TaskItemRepository(session).CountAsync();
    var comments = await new CommentRepository(session).ListAsync();
    transcript.Step("lists projects, counts tasks, lists comments", $"{projects.Count} projects, {tasks} tasks, {comments.Count} comments");
    transcript.Expect(projects.Count == 0 && tasks == 0 && comments.Count == 0, "Carol sees nothing of Acme");
    var deleted = await new TaskItemRepository(session).DeleteAsync(plan.Id);
    transcript.Step("deletes Acme's task", deleted ? "deleted" : "nothing deleted");
    transcript.Expect(!deleted, "An admin of another organization cannot delete Acme's task");
    await transcript.ExpectRefusedAsync("creates a project in Acme",
        () => new ProjectRepository(session).InsertAsync(new Project { OrganizationId = acme, Name = "Planted" }),
        "Nobody creates projects in another organization");
    await transcript.ExpectRefusedAsync("comments on Acme's task",
        () => new CommentRepository(session).InsertAsync(new Comment { TaskId = plan.Id, Body = "Hello" }),
        "Nobody comments on another organization's task");
}

transcript.Blank();
transcript.Actor("Alice deletes the project");
await using (var session = await SignInAsync(alice, acme, "admin"))
{
    var deleted = await new ProjectRepository(session).DeleteAsync(launch.Id);
    var left = await new TaskItemRepository(session).CountAsync();
    transcript.Step("deletes project \"Launch\"", deleted ? $"deleted; {left} tasks left" : "nothing deleted");
    transcript.Expect(deleted && left == 0, "The admin deletes the project, and its tasks and comments go with it");
}

transcript.Blank();
transcript.Actor("A visitor who has not signed in");
await using (var session = await data.OpenAnonymousSessionAsync())
{
    await transcript.ExpectRefusedAsync("lists projects", () => new ProjectRepository(session).ListAsync(), "Anonymous visitors hold no privilege on the tables");
}

transcript.Summary();
return transcript.ExitCode;
