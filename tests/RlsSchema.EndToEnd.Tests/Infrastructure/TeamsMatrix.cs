using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.Testing;
using Teams;

namespace RlsSchema.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The Teams sample's policy matrix: Acme (Alice admin, Bob member) and Globex (Carol admin), a labelled row of each
/// kind in each organization, and candidate rows that name the persona's own organization or user and another.
/// </summary>
public static class TeamsMatrix
{
    /// <summary>The sample's tables (this assembly's model holds other tests' tables too).</summary>
    public static readonly string[] Tables = ["organizations", "memberships", "projects", "tasks", "comments", "announcements"];

    /// <summary>Seeds <paramref name="db"/> as the owner and returns the matrix over its rows.</summary>
    public static async Task<PolicyMatrix> SeedAsync(SchemaDatabase db)
    {
        var alice = DevTokenIssuer.NewUserId();
        var bob = DevTokenIssuer.NewUserId();
        var carol = DevTokenIssuer.NewUserId();
        var acme = Guid.NewGuid();
        var globex = Guid.NewGuid();
        var acmeProject = Guid.NewGuid();
        var archivedProject = Guid.NewGuid();
        var globexProject = Guid.NewGuid();
        await db.OwnerExecuteAsync(
            """
            INSERT INTO organizations (id, name) VALUES (@acme, 'Acme'), (@globex, 'Globex');
            INSERT INTO projects (id, organization_id, name, archived) VALUES
              (@acmeProject, @acme, 'Launch', false), (@archivedProject, @acme, 'Old', true), (@globexProject, @globex, 'Secret', false);
            """,
            new { acme, globex, acmeProject, archivedProject, globexProject });

        async Task<long> InsertAsync(string sql, object values) => (await db.OwnerQueryAsync<long>(sql + " RETURNING id", values)).Single();
        // A membership is keyed by (organization_id, user_id): the matrix names its rows by both.
        async Task<object[]> MemberAsync(Guid organization, string user, string role)
        {
            await db.OwnerExecuteAsync("INSERT INTO memberships (organization_id, user_id, role) VALUES (@organization, @user, @role)", new { organization, user, role });
            return [organization, user];
        }

        Task<long> TaskAsync(Guid project, string assignee, TaskState state) =>
            InsertAsync("INSERT INTO tasks (project_id, title, assignee_id, state) VALUES (@project, 'Plan', @assignee, @state)", new { project, assignee, state = (int)state });
        Task<long> CommentAsync(long task, string author) =>
            InsertAsync("INSERT INTO comments (task_id, author_id, body) VALUES (@task, @author, 'Noted')", new { task, author });
        Task<long> AnnouncementAsync(Guid organization) =>
            InsertAsync("INSERT INTO announcements (organization_id, title) VALUES (@organization, 'Offsite')", new { organization });

        var bobsTask = await TaskAsync(acmeProject, bob, TaskState.Open);
        var globexTask = await TaskAsync(globexProject, carol, TaskState.Open);
        var matrix = PolicyMatrix.FromAssembly(typeof(Project).Assembly)
            .OnlyTables(Tables)
            .Persona("alice (acme admin)", Token(db, alice, acme, "admin", "announcements:write"))
            .Persona("bob (acme member)", Token(db, bob, acme, "member"))
            .Persona("carol (globex admin)", Token(db, carol, globex, "admin", "announcements:write"))
            .AnonymousPersona()
            .Row("organizations", "acme", acme)
            .Row("organizations", "globex", globex)
            .Candidate("organizations", "a new organization", new { name = "Initech" })
            .Row("memberships", "alice in acme", await MemberAsync(acme, alice, "admin"))
            .Row("memberships", "bob in acme", await MemberAsync(acme, bob, "member"))
            .Row("memberships", "carol in globex", await MemberAsync(globex, carol, "admin"))
            .Candidate("memberships", "bob into globex", new { organization_id = globex, user_id = bob, role = "member" })
            .Row("projects", "acme's project", acmeProject)
            .Row("projects", "acme's archived project", archivedProject)
            .Row("projects", "globex's project", globexProject)
            .Candidate("projects", "a project in acme", new { organization_id = acme, name = "Next" })
            .Candidate("projects", "a project in globex", new { organization_id = globex, name = "Planted" })
            .Row("tasks", "bob's acme task", bobsTask)
            .Row("tasks", "bob's finished acme task", await TaskAsync(acmeProject, bob, TaskState.Done))
            .Row("tasks", "globex's task for bob", await TaskAsync(globexProject, bob, TaskState.Open))
            .Row("tasks", "carol's globex task", globexTask)
            .Candidate("tasks", "a task in acme's project", new { project_id = acmeProject, title = "Next", state = TaskState.Open })
            .Candidate("tasks", "a task in acme's archived project", new { project_id = archivedProject, title = "Revive", state = TaskState.Open })
            .Candidate("tasks", "a task in globex's project", new { project_id = globexProject, title = "Planted", state = TaskState.Open })
            .Row("comments", "bob's comment", await CommentAsync(bobsTask, bob))
            .Row("comments", "alice's comment", await CommentAsync(bobsTask, alice))
            .Row("comments", "carol's comment", await CommentAsync(globexTask, carol))
            .Candidate("comments", "bob's comment on acme's task", new { task_id = bobsTask, author_id = bob, body = "On it" })
            .Candidate("comments", "carol's comment on acme's task", new { task_id = bobsTask, author_id = carol, body = "Hello" })
            .Row("announcements", "acme's announcement", await AnnouncementAsync(acme))
            .Row("announcements", "globex's announcement", await AnnouncementAsync(globex))
            .Candidate("announcements", "an announcement in acme", new { organization_id = acme, title = "Party" })
            .Candidate("announcements", "an announcement in globex", new { organization_id = globex, title = "Planted" });
        return matrix;
    }

    private static string Token(SchemaDatabase db, string user, Guid organization, string role, params string[] permissions) =>
        db.Issuer.IssueToken(user, new DevTokenOptions { OrganizationId = organization.ToString(), Role = role, Permissions = permissions, Lifetime = TimeSpan.FromHours(1) });
}
