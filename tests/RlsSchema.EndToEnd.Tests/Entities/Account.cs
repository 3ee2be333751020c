using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;

namespace RlsSchema.EndToEnd.Tests.Entities;

/// <summary>An account with a primary owner; every signed-in user reads accounts.</summary>
[Table("accounts")]
[CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
public partial class Account
{
    [Key] public long Id { get; set; }
    public string Name { get; set; } = "";
    public string PrimaryOwnerUserId { get; set; } = "";
    public string? BillingUserId { get; set; }
    public List<AccountMember> Members { get; set; } = new();
}

/// <summary>A member of an account: a related row's column compared with this row's.</summary>
[Table("account_members")]
public partial class AccountMember
{
    [Key] public long Id { get; set; }
    public long AccountId { get; set; }
    public Account Account { get; set; } = null!;
    public string UserId { get; set; } = "";
    public string? InvitedBy { get; set; }

    /// <summary>The members other than the account's primary owner.</summary>
    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool OthersThanThePrimaryOwner(AccountMember m) => m.UserId != m.Account.PrimaryOwnerUserId;

    /// <summary>Members whose inviter is the account's billing user, null meaning null, as in C#.</summary>
    [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
    static bool InvitedByTheBillingUser(AccountMember m) => m.InvitedBy == m.Account.BillingUserId;
}

/// <summary>An invitation: visible for 24 hours after it was sent, and until its last day.</summary>
[Table("account_invitations")]
public partial class Invitation
{
    [Key] public long Id { get; set; }
    public string Email { get; set; } = "";
    [DefaultSql("now()")] public DateTimeOffset CreatedAt { get; set; }
    public DateOnly LastDay { get; set; }

    [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
    static bool Fresh(Invitation i) => i.CreatedAt > DateTimeOffset.UtcNow.AddHours(-24) && i.LastDay >= DateOnly.FromDateTime(DateTime.UtcNow);
}

/// <summary>How urgent a ticket is; stored by name where a column says <c>[Column(TypeName = "text")]</c>.</summary>
public enum TicketPriority
{
    /// <summary>Whenever.</summary>
    Low,

    /// <summary>Now.</summary>
    High,
}

/// <summary>A ticket whose enums are stored by name.</summary>
[Table("support_tickets")]
[CrudPolicy(Role = "authenticated", Owner = nameof(OwnerId))]
public partial class SupportTicket
{
    [Key] public long Id { get; set; }
    [DefaultSql("auth.user_id()")] public string OwnerId { get; set; } = "";
    [Column(TypeName = "text")] public TicketPriority Priority { get; set; }
    [Column(TypeName = "text")] public TicketPriority? Escalation { get; set; }
}
