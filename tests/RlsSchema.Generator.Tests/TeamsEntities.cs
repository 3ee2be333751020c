namespace RlsSchema.Generator.Tests;

/// <summary>The B2B model: organizations, memberships, projects, tasks, comments and announcements, with typed policies only.</summary>
public static class TeamsEntities
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Teams;

        [Table("organizations")]
        public partial class Organization
        {
            public Guid Id { get; set; }
            public string Name { get; set; } = "";

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool MembersRead(Organization o) => Auth.IsMemberOf(o.Id);
        }

        [Table("memberships")]
        [Membership(Tenant = nameof(OrganizationId), Member = nameof(UserId), Role = nameof(Role))]
        [Index(nameof(UserId), nameof(OrganizationId), Unique = true)]
        public partial class Membership
        {
            public long Id { get; set; }
            public Guid OrganizationId { get; set; }
            public Organization Organization { get; set; } = null!;
            public string UserId { get; set; } = "";
            public string Role { get; set; } = "member";

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool CoMembersRead(Membership m) => Auth.IsMemberOf(m.OrganizationId);

            [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
            static bool AdminsRemove(Membership m) => Auth.HasMemberRole(m.OrganizationId, "admin") && m.UserId != Auth.UserId;
        }

        [Table("projects")]
        public partial class Project
        {
            public Guid Id { get; set; }
            public Guid OrganizationId { get; set; }
            public Organization Organization { get; set; } = null!;
            public string Name { get; set; } = "";
            public bool Archived { get; set; }
            public List<TaskItem> Tasks { get; set; } = new();

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool MembersRead(Project p) => Auth.IsMemberOf(p.OrganizationId);

            [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
            static bool MembersCreate(Project p) => Auth.IsMemberOf(p.OrganizationId);

            [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
            static bool MembersRename(Project p) => Auth.IsMemberOf(p.OrganizationId) && !p.Archived;

            [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
            static bool AdminsDelete(Project p) => Auth.HasMemberRole(p.OrganizationId, "admin");
        }

        public enum TaskState { Open, Doing, Done }

        [Table("tasks")]
        public partial class TaskItem
        {
            public long Id { get; set; }
            public Guid ProjectId { get; set; }
            public Project Project { get; set; } = null!;
            public string Title { get; set; } = "";
            [Index] public string? AssigneeId { get; set; }
            public TaskState State { get; set; }
            public List<Comment> Comments { get; set; } = new();

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool MembersRead(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId);

            [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
            static bool MembersCreate(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId) && !t.Project.Archived;

            [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
            static bool AssigneeUpdates(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId) && t.AssigneeId == Auth.UserId && t.State != TaskState.Done;

            [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
            static bool AdminsDelete(TaskItem t) => Auth.HasMemberRole(t.Project.OrganizationId, "admin");
        }

        [Table("comments")]
        public partial class Comment
        {
            public long Id { get; set; }
            public long TaskId { get; set; }
            public TaskItem Task { get; set; } = null!;
            [DefaultSql("auth.user_id()")] [Index] public string AuthorId { get; set; } = "";
            public string Body { get; set; } = "";

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool MembersRead(Comment c) => Auth.IsMemberOf(c.Task.Project.OrganizationId);

            [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
            static bool MembersComment(Comment c) => c.AuthorId == Auth.UserId && Auth.IsMemberOf(c.Task.Project.OrganizationId);

            [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
            static bool AuthorDeletes(Comment c) => c.AuthorId == Auth.UserId;
        }

        [Table("announcements")]
        [CrudPolicy(Role = "authenticated", Tenant = nameof(OrganizationId), ModifyPermission = "announcements:write")]
        public partial class Announcement
        {
            public long Id { get; set; }
            public Guid OrganizationId { get; set; }
            public Organization Organization { get; set; } = null!;
            public string Title { get; set; } = "";
        }
        """;
}
