namespace RlsSchema.Generator.Tests;

/// <summary>
/// Accounts, their members and invitations: an enum membership role stored by name, a rule on the current time, a related
/// row compared with this row, and an application SQL function.
/// </summary>
public static class AccountEntities
{
    public const string Source = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Accounts;

        public enum AccountRole { Owner, Member }

        public static class Flags
        {
            [SqlFunction("app.feature_enabled")]
            public static bool FeatureEnabled(string feature) => throw new NotSupportedException();
        }

        [Table("accounts")]
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public partial class Account
        {
            public Guid Id { get; set; }
            public string Name { get; set; } = "";
            public string PrimaryOwnerUserId { get; set; } = "";
        }

        [Table("account_members")]
        [Membership(Tenant = nameof(AccountId), Member = nameof(UserId), Role = nameof(Role))]
        [Index(nameof(AccountId), nameof(UserId), Unique = true)]
        public partial class AccountMember
        {
            public long Id { get; set; }
            public Guid AccountId { get; set; }
            public Account Account { get; set; } = null!;
            public string UserId { get; set; } = "";
            public AccountRole Role { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool CoMembersRead(AccountMember m) => Auth.IsMemberOf(m.AccountId);

            [Policy(Command = PolicyCommand.Delete, Roles = "authenticated")]
            static bool OwnersRemoveOthersThanThePrimaryOwner(AccountMember m) =>
                Auth.HasMemberRole(m.AccountId, nameof(AccountRole.Owner)) && m.UserId != m.Account.PrimaryOwnerUserId;
        }

        [Table("invitations")]
        public partial class Invitation
        {
            public long Id { get; set; }
            [Index] public Guid AccountId { get; set; }
            public Account Account { get; set; } = null!;
            public string Email { get; set; } = "";
            [Column(TypeName = "text")] public AccountRole Role { get; set; }
            [DefaultSql("now()")] public DateTimeOffset CreatedAt { get; set; }

            [Policy(Command = PolicyCommand.Select, Roles = "authenticated")]
            static bool MembersReadFresh(Invitation i) => Auth.IsMemberOf(i.AccountId) && i.CreatedAt > DateTimeOffset.UtcNow.AddHours(-24);

            [Policy(Command = PolicyCommand.Insert, Roles = "authenticated")]
            static bool OwnersInvite(Invitation i) =>
                Auth.HasMemberRole(i.AccountId, nameof(AccountRole.Owner)) && i.Role != AccountRole.Owner && Flags.FeatureEnabled("invitations");
        }
        """;
}
