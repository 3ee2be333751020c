using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities.Teams;

/// <summary>The state of a task.</summary>
public enum TaskState
{
    Open,
    Doing,
    Done,
}

/// <summary>Members read tasks and add them to active projects; the assignee updates an unfinished task, within the organization; admins delete.</summary>
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
    static bool MembersAddToActiveProjects(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId) && !t.Project.Archived;

    [Policy(Command = PolicyCommand.Update, Roles = "authenticated")]
    static bool AssigneeUpdatesUnfinished(TaskItem t) => Auth.IsMemberOf(t.Project.OrganizationId) && t.AssigneeId == Auth.UserId && t.State != TaskState.Done;

    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool AdminsDelete(TaskItem t) => Auth.HasMemberRole(t.Project.OrganizationId, "admin");
}
