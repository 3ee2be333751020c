namespace RlsSchema.Generator.Tests;

/// <summary>Entity sources with relationships: a B2B graph and a cycle.</summary>
public static class RelationshipEntities
{
    /// <summary>Organizations, projects, tasks and comments, declared dependents first so that order must come from the keys.</summary>
    public const string Projects = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Teams;

        [Table("comments")]
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Owner = nameof(AuthorId))]
        public class Comment
        {
            public long Id { get; set; }
            public long TaskId { get; set; }
            public TaskItem Task { get; set; } = null!;
            [DefaultSql("auth.user_id()")] public string AuthorId { get; set; } = "";
            public string Body { get; set; } = "";
        }

        [Table("tasks")]
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class TaskItem
        {
            public long Id { get; set; }
            [ForeignKey(nameof(Project))] public Guid ProjectId { get; set; }
            public Project Project { get; set; } = null!;
            [OnDelete(ReferentialAction.SetNull)] public long? ParentId { get; set; }
            [ForeignKey(nameof(ParentId))] public TaskItem? Parent { get; set; }
            public string Title { get; set; } = "";
            public List<Comment> Comments { get; set; } = new();
        }

        [Table("projects")]
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        [Index(nameof(OrganizationId), nameof(Name))]
        public class Project
        {
            public Guid Id { get; set; }
            public Guid OrganizationId { get; set; }
            [OnDelete(ReferentialAction.Restrict)] public Organization Organization { get; set; } = null!;
            public string Name { get; set; } = "";
            public ICollection<TaskItem> Tasks { get; set; } = new List<TaskItem>();
        }

        [Table("organizations")]
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Organization
        {
            public Guid Id { get; set; }
            public string Name { get; set; } = "";
        }
        """;

    /// <summary>Two tables that reference each other: the cycle must be closed after both exist.</summary>
    public const string Cycle = """
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Cycles;

        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Employee
        {
            public long Id { get; set; }
            public long DepartmentId { get; set; }
            public Department Department { get; set; } = null!;
        }

        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Department
        {
            public long Id { get; set; }
            public long? ManagerId { get; set; }
            [ForeignKey(nameof(ManagerId))] public Employee? Manager { get; set; }
        }
        """;
}
