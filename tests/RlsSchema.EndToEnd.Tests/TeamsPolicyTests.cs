using System;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.EndToEnd.Tests.Infrastructure;
using RlsSchema.Npgsql;
using RlsSchema.Testing;
using Teams;
using Xunit;

namespace RlsSchema.EndToEnd.Tests;

/// <summary>
/// The B2B model's typed policies on a real server: Alice (admin) and Bob (member) in Acme, Carol (admin) in Globex,
/// signed in with WorkOS-shaped tokens. Organizations and memberships are written by the backend (the owner here).
/// </summary>
public sealed class TeamsPolicyTests(PostgresCluster cluster) : DatabaseTest(cluster)
{
    private TestUser _alice = null!;
    private TestUser _bob = null!;
    private TestUser _carol = null!;
    private Guid _acme;
    private Guid _globex;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _alice = Db.NewUser("Alice");
        _bob = Db.NewUser("Bob");
        _carol = Db.NewUser("Carol");
        _acme = Guid.NewGuid();
        _globex = Guid.NewGuid();
        await Db.OwnerExecuteAsync(
            """
            INSERT INTO organizations (id, name) VALUES (@acme, 'Acme'), (@globex, 'Globex');
            INSERT INTO memberships (organization_id, user_id, role) VALUES
              (@acme, @alice, 'admin'), (@acme, @bob, 'member'), (@globex, @carol, 'admin');
            """,
            new { acme = _acme, globex = _globex, alice = _alice.Id, bob = _bob.Id, carol = _carol.Id });
    }

    private async Task<T> AsAsync<T>(TestUser user, Func<IRlsSession, Task<T>> action, params string[] permissions)
    {
        Guid org = user == _carol ? _globex : _acme;
        string role = user == _bob ? "member" : "admin";
        await using var session = await Db.DataSource.OpenSessionAsync(
            Db.Issuer.IssueToken(user.Id, new DevTokenOptions { OrganizationId = org.ToString(), Role = role, Permissions = permissions }));
        return await action(session);
    }

    private Task<Project> NewProjectAsync(TestUser user, Guid organization, string name, bool archived = false) =>
        AsAsync(user, s => new ProjectRepository(s).InsertAsync(new Project { OrganizationId = organization, Name = name, Archived = archived }));

    private Task<TaskItem> NewTaskAsync(TestUser user, Guid project, string title, string? assignee = null) =>
        AsAsync(user, s => new TaskItemRepository(s).InsertAsync(new TaskItem { ProjectId = project, Title = title, AssigneeId = assignee }));

    private async Task<long> CountAsync(string table) =>
        (await Db.OwnerQueryAsync<long>($"SELECT count(*) FROM {table}")).Single();

    [Fact]
    public async Task Members_read_their_organization_and_never_another()
    {
        var acme = await AsAsync(_bob, s => new OrganizationRepository(s).ListAsync());
        var globex = await AsAsync(_carol, s => new OrganizationRepository(s).ListAsync());

        Assert.Equal(["Acme"], acme.Select(o => o.Name));
        Assert.Equal(["Globex"], globex.Select(o => o.Name));
    }

    [Fact]
    public async Task Members_see_their_co_members_through_the_membership_function_without_recursion()
    {
        var seenByBob = await AsAsync(_bob, s => new MembershipRepository(s).ListAsync());
        var seenByCarol = await AsAsync(_carol, s => new MembershipRepository(s).ListAsync());

        Assert.Equal(new[] { _alice.Id, _bob.Id }.Order(), seenByBob.Select(m => m.UserId).Order());
        Assert.Equal([_carol.Id], seenByCarol.Select(m => m.UserId));
    }

    [Fact]
    public async Task Member_creates_a_project_in_their_organization_but_not_in_another()
    {
        var created = await NewProjectAsync(_bob, _acme, "Launch");
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => NewProjectAsync(_bob, _globex, "Planted"));

        Assert.Equal("Launch", created.Name);
        Assert.Equal("42501", refused.SqlState);
        Assert.Empty(await Db.OwnerQueryAsync<string>("SELECT name FROM projects WHERE organization_id = @globex", new { globex = _globex }));
    }

    [Fact]
    public async Task Another_organizations_projects_are_invisible_and_cannot_be_renamed_or_deleted()
    {
        var globexProject = await NewProjectAsync(_carol, _globex, "Secret");

        var read = await AsAsync(_alice, s => new ProjectRepository(s).GetAsync(globexProject.Id));
        var renamed = await AsAsync(_alice, s => new ProjectRepository(s).UpdateAsync(new Project { Id = globexProject.Id, OrganizationId = _globex, Name = "Taken" }));
        var deleted = await AsAsync(_alice, s => new ProjectRepository(s).DeleteAsync(globexProject.Id));

        Assert.Null(read);
        Assert.Null(renamed);
        Assert.False(deleted);
        Assert.Equal(["Secret"], await Db.OwnerQueryAsync<string>("SELECT name FROM projects WHERE id = @id", new { id = globexProject.Id }));
    }

    [Fact]
    public async Task Project_cannot_be_moved_to_another_organization()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_alice, s => new ProjectRepository(s).UpdateAsync(new Project { Id = project.Id, OrganizationId = _globex, Name = "Moved" })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal([_acme], await Db.OwnerQueryAsync<Guid>("SELECT organization_id FROM projects WHERE id = @id", new { id = project.Id }));
    }

    // The UPDATEs below read no column (no WHERE, no RETURNING), so PostgreSQL applies the UPDATE policy alone: its USING
    // picks the rows, its WITH CHECK judges the new ones. With a WHERE or RETURNING the SELECT policy would judge them too.
    [Fact]
    public async Task Moving_projects_to_another_organization_is_refused_by_the_update_policys_check_on_the_new_row()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_alice, s => s.ExecuteAsync("UPDATE projects SET organization_id = @globex", new { globex = _globex })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal("new row violates row-level security policy for table \"projects\"", refused.Message);
        Assert.Equal([_acme], await Db.OwnerQueryAsync<Guid>("SELECT organization_id FROM projects WHERE id = @id", new { id = project.Id }));
    }

    [Fact]
    public async Task Moving_a_milestone_to_another_organizations_project_is_refused_by_the_check_through_the_navigation()
    {
        var launch = await NewProjectAsync(_alice, _acme, "Launch");
        var other = await NewProjectAsync(_alice, _acme, "Other");
        var secret = await NewProjectAsync(_carol, _globex, "Secret");
        var milestone = await AsAsync(_alice, s => new MilestoneRepository(s).InsertAsync(new Milestone { ProjectId = launch.Id, Title = "Beta" }));
        const string move = "UPDATE milestones SET project_id = @project";

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(_alice, s => s.ExecuteAsync(move, new { project = secret.Id })));
        var withinAcme = await AsAsync(_bob, s => s.ExecuteAsync(move, new { project = other.Id }));
        var byCarol = await AsAsync(_carol, s => s.ExecuteAsync(move, new { project = secret.Id }));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal("new row violates row-level security policy for table \"milestones\"", refused.Message);
        Assert.Equal(1, withinAcme);
        Assert.Equal(0, byCarol);
        Assert.Equal([other.Id], await Db.OwnerQueryAsync<Guid>("SELECT project_id FROM milestones WHERE id = @id", new { id = milestone.Id }));
    }

    [Fact]
    public async Task Assignee_cannot_move_a_task_into_another_organizations_project()
    {
        var launch = await NewProjectAsync(_alice, _acme, "Launch");
        var secret = await NewProjectAsync(_carol, _globex, "Secret");
        var task = await NewTaskAsync(_alice, launch.Id, "Write the plan", assignee: _bob.Id);

        // The foreign key is checked without row-level security, so only the UPDATE policy can keep the task in Acme.
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_bob, s => s.ExecuteAsync("UPDATE tasks SET project_id = @secret", new { secret = secret.Id })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal([launch.Id], await Db.OwnerQueryAsync<Guid>("SELECT project_id FROM tasks WHERE id = @id", new { id = task.Id }));
        Assert.Empty(await AsAsync(_carol, s => new TaskItemRepository(s).ListAsync()));
    }

    [Fact]
    public async Task Members_rename_active_projects_but_not_archived_ones()
    {
        var active = await NewProjectAsync(_alice, _acme, "Launch");
        var archived = await NewProjectAsync(_alice, _acme, "Old", archived: true);

        var renamed = await AsAsync(_bob, s => new ProjectRepository(s).UpdateAsync(new Project { Id = active.Id, OrganizationId = _acme, Name = "Launch v2" }));
        var untouched = await AsAsync(_bob, s => new ProjectRepository(s).UpdateAsync(new Project { Id = archived.Id, OrganizationId = _acme, Name = "Revived", Archived = true }));

        Assert.Equal("Launch v2", renamed?.Name);
        Assert.Null(untouched);
    }

    [Fact]
    public async Task Only_an_admin_deletes_a_project_and_its_tasks_and_comments_go_with_it()
    {
        var project = await NewProjectAsync(_bob, _acme, "Launch");
        var task = await NewTaskAsync(_bob, project.Id, "Write the plan");
        await AsAsync(_bob, s => new CommentRepository(s).InsertAsync(new Comment { TaskId = task.Id, Body = "On it" }));

        var byMember = await AsAsync(_bob, s => new ProjectRepository(s).DeleteAsync(project.Id));
        Assert.False(byMember);
        Assert.Equal(1, await CountAsync("tasks WHERE project_id = '" + project.Id + "'"));

        var byAdmin = await AsAsync(_alice, s => new ProjectRepository(s).DeleteAsync(project.Id));
        Assert.True(byAdmin);
        Assert.Equal(0, await CountAsync("tasks WHERE project_id = '" + project.Id + "'"));
        Assert.Equal(0, await CountAsync("comments WHERE task_id = " + task.Id));
    }

    [Fact]
    public async Task Members_add_tasks_to_active_projects_of_their_organization_only()
    {
        var active = await NewProjectAsync(_alice, _acme, "Launch");
        var archived = await NewProjectAsync(_alice, _acme, "Old", archived: true);
        var globexProject = await NewProjectAsync(_carol, _globex, "Secret");

        var added = await NewTaskAsync(_bob, active.Id, "Write the plan");
        var intoArchived = await Assert.ThrowsAsync<RlsAuthorizationException>(() => NewTaskAsync(_bob, archived.Id, "Too late"));
        var intoGlobex = await Assert.ThrowsAsync<RlsAuthorizationException>(() => NewTaskAsync(_bob, globexProject.Id, "Planted"));

        Assert.Equal("Write the plan", added.Title);
        Assert.Equal("42501", intoArchived.SqlState);
        Assert.Equal("42501", intoGlobex.SqlState);
        Assert.Equal(0, await CountAsync("tasks WHERE project_id = '" + globexProject.Id + "' OR project_id = '" + archived.Id + "'"));
    }

    [Fact]
    public async Task Members_read_their_organizations_tasks_through_the_project_and_never_another()
    {
        var acme = await NewProjectAsync(_alice, _acme, "Launch");
        var globex = await NewProjectAsync(_carol, _globex, "Secret");
        await NewTaskAsync(_alice, acme.Id, "Acme task");
        await NewTaskAsync(_carol, globex.Id, "Globex task");

        var seenByBob = await AsAsync(_bob, s => new TaskItemRepository(s).ListAsync());
        var seenByCarol = await AsAsync(_carol, s => new TaskItemRepository(s).ListAsync());

        Assert.Equal(["Acme task"], seenByBob.Select(t => t.Title));
        Assert.Equal(["Globex task"], seenByCarol.Select(t => t.Title));
    }

    [Fact]
    public async Task Only_the_assignee_updates_a_task_and_not_once_it_is_done()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");
        var task = await NewTaskAsync(_alice, project.Id, "Write the plan", assignee: _bob.Id);

        var byAdmin = await AsAsync(_alice, s => new TaskItemRepository(s).UpdateAsync(new TaskItem { Id = task.Id, ProjectId = project.Id, Title = "Hijacked", AssigneeId = _bob.Id }));
        var byAssignee = await AsAsync(_bob, s => new TaskItemRepository(s).UpdateAsync(new TaskItem { Id = task.Id, ProjectId = project.Id, Title = "Plan drafted", AssigneeId = _bob.Id, State = TaskState.Doing }));
        await Db.OwnerExecuteAsync("UPDATE tasks SET state = @done WHERE id = @id", new { done = (int)TaskState.Done, id = task.Id });
        var afterDone = await AsAsync(_bob, s => new TaskItemRepository(s).UpdateAsync(new TaskItem { Id = task.Id, ProjectId = project.Id, Title = "Reopened", AssigneeId = _bob.Id, State = TaskState.Open }));

        Assert.Null(byAdmin);
        Assert.Equal(TaskState.Doing, byAssignee?.State);
        Assert.Null(afterDone);
        Assert.Equal(["Plan drafted"], await Db.OwnerQueryAsync<string>("SELECT title FROM tasks WHERE id = @id", new { id = task.Id }));
    }

    [Fact]
    public async Task Assignee_cannot_hand_a_task_to_someone_else_because_the_new_row_must_pass_too()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");
        var task = await NewTaskAsync(_alice, project.Id, "Write the plan", assignee: _bob.Id);

        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_bob, s => new TaskItemRepository(s).UpdateAsync(new TaskItem { Id = task.Id, ProjectId = project.Id, Title = "Yours now", AssigneeId = _alice.Id })));

        Assert.Equal("42501", refused.SqlState);
    }

    [Fact]
    public async Task Only_an_admin_of_the_tasks_organization_deletes_it()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");
        var task = await NewTaskAsync(_bob, project.Id, "Write the plan", assignee: _bob.Id);

        Assert.False(await AsAsync(_bob, s => new TaskItemRepository(s).DeleteAsync(task.Id)));
        Assert.False(await AsAsync(_carol, s => new TaskItemRepository(s).DeleteAsync(task.Id)));
        Assert.True(await AsAsync(_alice, s => new TaskItemRepository(s).DeleteAsync(task.Id)));
        Assert.Equal(0, await CountAsync("tasks WHERE id = " + task.Id));
    }

    [Fact]
    public async Task Members_comment_as_themselves_on_their_organizations_tasks_only()
    {
        var acme = await NewProjectAsync(_alice, _acme, "Launch");
        var globex = await NewProjectAsync(_carol, _globex, "Secret");
        var acmeTask = await NewTaskAsync(_alice, acme.Id, "Acme task");
        var globexTask = await NewTaskAsync(_carol, globex.Id, "Globex task");

        var comment = await AsAsync(_bob, s => new CommentRepository(s).InsertAsync(new Comment { TaskId = acmeTask.Id, Body = "On it" }));
        var forged = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_bob, s => new CommentRepository(s).InsertAsync(new Comment { TaskId = acmeTask.Id, AuthorId = _alice.Id, Body = "Signed Alice" })));
        var crossOrg = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_bob, s => new CommentRepository(s).InsertAsync(new Comment { TaskId = globexTask.Id, Body = "Hello Globex" })));

        Assert.Equal(_bob.Id, comment.AuthorId);
        Assert.Equal("42501", forged.SqlState);
        Assert.Equal("42501", crossOrg.SqlState);
        Assert.Empty(await AsAsync(_carol, s => new CommentRepository(s).ListAsync()));
        Assert.Equal(["On it"], (await AsAsync(_alice, s => new CommentRepository(s).ListAsync())).Select(c => c.Body));
    }

    [Fact]
    public async Task Authors_delete_their_own_comments_and_nobody_elses()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");
        var task = await NewTaskAsync(_alice, project.Id, "Write the plan");
        var comment = await AsAsync(_bob, s => new CommentRepository(s).InsertAsync(new Comment { TaskId = task.Id, Body = "On it" }));

        Assert.False(await AsAsync(_alice, s => new CommentRepository(s).DeleteAsync(comment.Id)));
        Assert.True(await AsAsync(_bob, s => new CommentRepository(s).DeleteAsync(comment.Id)));
    }

    [Fact]
    public async Task Authors_edit_their_comments_for_fifteen_minutes_and_nobody_elses()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");
        var task = await NewTaskAsync(_alice, project.Id, "Write the plan");
        var comment = await AsAsync(_bob, s => new CommentRepository(s).InsertAsync(new Comment { TaskId = task.Id, Body = "On it" }));

        var byAlice = await AsAsync(_alice, s => new CommentRepository(s).UpdateAsync(new Comment { Id = comment.Id, TaskId = task.Id, AuthorId = _bob.Id, Body = "Edited by Alice" }));
        var byBob = await AsAsync(_bob, s => new CommentRepository(s).UpdateAsync(new Comment { Id = comment.Id, TaskId = task.Id, AuthorId = _bob.Id, Body = "Edited" }));
        await Db.OwnerExecuteAsync("UPDATE comments SET created_at = now() - interval '16 minutes' WHERE id = @id", new { id = comment.Id });
        var late = await AsAsync(_bob, s => new CommentRepository(s).UpdateAsync(new Comment { Id = comment.Id, TaskId = task.Id, AuthorId = _bob.Id, Body = "Too late" }));

        Assert.Null(byAlice);
        Assert.Equal("Edited", byBob?.Body);
        Assert.Null(late);
        Assert.Equal(1, await CountAsync("comments WHERE body = 'Edited'"));
    }

    [Fact]
    public async Task A_comments_time_is_the_servers_whatever_the_author_sends()
    {
        var project = await NewProjectAsync(_alice, _acme, "Launch");
        var task = await NewTaskAsync(_alice, project.Id, "Write the plan");

        var comment = await AsAsync(_bob, s => new CommentRepository(s).InsertAsync(new Comment { TaskId = task.Id, Body = "Backdated", CreatedAt = DateTimeOffset.UtcNow.AddDays(-1) }));
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => AsAsync(_bob, s =>
            s.ExecuteAsync("UPDATE comments SET created_at = now() + interval '1 day' WHERE id = @id", new { id = comment.Id })));

        Assert.True(comment.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5), "the server stamps the time: " + comment.CreatedAt);
        Assert.Equal("42501", refused.SqlState);
    }

    [Fact]
    public async Task Announcements_are_written_only_with_the_permission_and_only_in_the_users_organization()
    {
        var written = await AsAsync(_alice, s => new AnnouncementRepository(s).InsertAsync(new Announcement { OrganizationId = _acme, Title = "Offsite" }), "announcements:write");
        var withoutPermission = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_bob, s => new AnnouncementRepository(s).InsertAsync(new Announcement { OrganizationId = _acme, Title = "Party" })));
        var elsewhere = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_alice, s => new AnnouncementRepository(s).InsertAsync(new Announcement { OrganizationId = _globex, Title = "Hello" }), "announcements:write"));
        var deletedWithout = await AsAsync(_bob, s => new AnnouncementRepository(s).DeleteAsync(written.Id));

        Assert.Equal("42501", withoutPermission.SqlState);
        Assert.Equal("42501", elsewhere.SqlState);
        Assert.False(deletedWithout);
        Assert.Equal(["Offsite"], (await AsAsync(_bob, s => new AnnouncementRepository(s).ListAsync())).Select(a => a.Title));
        Assert.Empty(await AsAsync(_carol, s => new AnnouncementRepository(s).ListAsync(), "announcements:write"));
        Assert.True(await AsAsync(_alice, s => new AnnouncementRepository(s).DeleteAsync(written.Id), "announcements:write"));
    }

    [Fact]
    public async Task Admins_remove_other_members_of_their_organization_only()
    {
        Assert.False(await AsAsync(_bob, s => new MembershipRepository(s).DeleteAsync(_acme, _alice.Id)));
        Assert.False(await AsAsync(_carol, s => new MembershipRepository(s).DeleteAsync(_acme, _bob.Id)));
        Assert.False(await AsAsync(_alice, s => new MembershipRepository(s).DeleteAsync(_acme, _alice.Id)));
        Assert.True(await AsAsync(_alice, s => new MembershipRepository(s).DeleteAsync(_acme, _bob.Id)));
        Assert.Empty(await AsAsync(_bob, s => new ProjectRepository(s).ListAsync()));
    }

    [Fact]
    public async Task End_users_cannot_add_themselves_to_an_organization()
    {
        var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() =>
            AsAsync(_carol, s => new MembershipRepository(s).InsertAsync(new Membership { OrganizationId = _acme, UserId = _carol.Id, Role = "admin" })));

        Assert.Equal("42501", refused.SqlState);
        Assert.Equal(0, await CountAsync("memberships WHERE user_id = '" + _carol.Id + "' AND organization_id = '" + _acme + "'"));
    }

    [Fact]
    public async Task Anonymous_requests_hold_no_privilege_on_the_b2b_tables()
    {
        foreach (Func<IRlsSession, Task> attempt in new Func<IRlsSession, Task>[]
        {
            s => new TaskItemRepository(s).ListAsync(),
            s => new ProjectRepository(s).ListAsync(),
            s => new MembershipRepository(s).ListAsync(),
        })
        {
            await using var session = await Db.AnonymousAsync();
            var refused = await Assert.ThrowsAsync<RlsAuthorizationException>(() => attempt(session));
            Assert.Equal("42501", refused.SqlState);
        }
    }

    [Fact]
    public async Task Membership_function_runs_as_its_owner_with_an_empty_search_path_and_is_not_public()
    {
        var function = (await Db.OwnerQueryAsync<(bool SecurityDefiner, string Config, bool PublicExecute, bool AnonymousExecute)>(
            """
            SELECT p.prosecdef, array_to_string(p.proconfig, ','),
                   has_function_privilege('public', p.oid, 'EXECUTE'), has_function_privilege('anonymous', p.oid, 'EXECUTE')
            FROM pg_proc p WHERE p.oid = 'auth.member_tenants(text)'::regprocedure
            """)).Single();

        Assert.True(function.SecurityDefiner);
        Assert.Equal("search_path=\"\"", function.Config);
        Assert.False(function.PublicExecute);
    }

    [Fact]
    public async Task Foreign_keys_reference_their_tables_with_the_declared_delete_actions()
    {
        var tasks = await Catalog.ConstraintsAsync(Db, "tasks");
        var projects = await Catalog.ConstraintsAsync(Db, "projects");
        var comments = await Catalog.ConstraintsAsync(Db, "comments");

        Assert.Contains("f FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE", tasks);
        Assert.Contains("f FOREIGN KEY (organization_id) REFERENCES organizations(id) ON DELETE RESTRICT", projects);
        Assert.Contains("f FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE", comments);
        Assert.Contains("CREATE INDEX tasks_project_id_idx ON public.tasks USING btree (project_id)", await Catalog.IndexesAsync(Db, "tasks"));
    }

    [Fact]
    public async Task Session_roles_hold_exactly_the_privileges_the_policies_cover()
    {
        // The comment's time is the server's: INSERT and UPDATE on comments name every column but created_at.
        Assert.Equal(["authenticated:DELETE", "authenticated:SELECT"], await Catalog.SessionRoleGrantsAsync(Db, "comments"));
        Assert.Equal(["INSERT author_id", "INSERT body", "INSERT id", "INSERT task_id", "UPDATE author_id", "UPDATE body", "UPDATE id", "UPDATE task_id"],
            await Db.OwnerQueryAsync<string>("""
                SELECT privilege_type || ' ' || column_name FROM information_schema.column_privileges
                WHERE table_schema = 'public' AND table_name = 'comments' AND grantee = 'authenticated' AND privilege_type IN ('INSERT', 'UPDATE')
                ORDER BY 1
                """));
        Assert.Equal(["authenticated:DELETE", "authenticated:SELECT"], await Catalog.SessionRoleGrantsAsync(Db, "memberships"));
        Assert.Equal(["authenticated:SELECT"], await Catalog.SessionRoleGrantsAsync(Db, "organizations"));
        Assert.Equal(["authenticated:DELETE", "authenticated:INSERT", "authenticated:SELECT", "authenticated:UPDATE"], await Catalog.SessionRoleGrantsAsync(Db, "tasks"));
    }

    [Fact]
    public async Task Repository_lists_a_projects_tasks_pages_and_counts_within_what_the_user_may_see()
    {
        var launch = await NewProjectAsync(_alice, _acme, "Launch");
        var other = await NewProjectAsync(_alice, _acme, "Other");
        var globex = await NewProjectAsync(_carol, _globex, "Secret");
        for (int i = 1; i <= 5; i++)
        {
            await NewTaskAsync(_alice, launch.Id, "Step " + i);
        }

        await NewTaskAsync(_alice, other.Id, "Elsewhere");
        await NewTaskAsync(_carol, globex.Id, "Hidden");

        var byProject = await AsAsync(_bob, s => new TaskItemRepository(s).ListByProjectAsync(launch.Id));
        var firstPage = await AsAsync(_bob, s => new TaskItemRepository(s).ListPageAsync(2));
        var secondPage = await AsAsync(_bob, s => new TaskItemRepository(s).ListPageAsync(2, firstPage[^1].Id));
        var count = await AsAsync(_bob, s => new TaskItemRepository(s).CountAsync());
        var crossOrg = await AsAsync(_bob, s => new TaskItemRepository(s).ListByProjectAsync(globex.Id));
        var custom = await AsAsync(_bob, s => s.QueryAsync<TaskItem>(
            $"SELECT {TaskItemRepository.Columns} FROM tasks WHERE title LIKE 'Step%' ORDER BY id DESC LIMIT 1", null, default));

        Assert.Equal(["Step 1", "Step 2", "Step 3", "Step 4", "Step 5"], byProject.Select(t => t.Title));
        Assert.Equal(["Step 1", "Step 2"], firstPage.Select(t => t.Title));
        Assert.Equal(["Step 3", "Step 4"], secondPage.Select(t => t.Title));
        Assert.Equal(6, count);
        Assert.Empty(crossOrg);
        Assert.Equal("Step 5", custom.Single().Title);
        Assert.Equal(launch.Id, custom.Single().ProjectId);
    }
}
