namespace RlsSchema.Generator.Tests;

/// <summary>The entity sources the tests feed the generator.</summary>
public static class Entities
{
    /// <summary>The seed's todos table (samples/Todos/Todo.cs).</summary>
    /// <summary>Every sample entity, one file each.</summary>
    public static readonly string[] All = { SeedTodo, Blog, AllTypes };

    public const string SeedTodo = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Todos;

        [Table("todos")]
        [CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
        public partial class Todo
        {
            [Key] public long Id { get; set; }
            [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
            [Check("char_length(task) > 0")] public string Task { get; set; } = "";
            public bool IsComplete { get; set; }
            [DefaultSql("now()")] public DateTimeOffset InsertedAt { get; set; }
        }
        """;

    /// <summary>A blog: everyone signed in reads, the author writes, anonymous reads published posts, with raw policies and indexes.</summary>
    public const string Blog = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Blogging
        {
            public enum PostState : short { Draft, Published }

            [CrudPolicy(Role = "authenticated", Read = Policies.True, Owner = nameof(AuthorId))]
            [CrudPolicy(Role = "anonymous", Read = "state = 1", Modify = Policies.None)]
            [Policy("no edits after archive", Command = PolicyCommand.Update, Roles = "authenticated", Using = "archived_at is null", Restrictive = true)]
            [ForceRowLevelSecurity]
            [Index(nameof(State), nameof(PublishedOn), Name = "posts_by_state")]
            [Table("posts", Schema = "blog")]
            public class Post
            {
                public Guid Id { get; set; }
                [DefaultSql("auth.uid()")] public Guid AuthorId { get; set; }
                [MaxLength(200)] [Check("char_length(title) > 0", Name = "title_not_empty")] public string Title { get; set; } = "";
                [Column("Body Text")] public string? Body { get; set; }
                public PostState State { get; set; }
                public DateOnly? PublishedOn { get; set; }
                public DateTime? ArchivedAt { get; set; }
                [Index(Unique = true)] [Required] public string? Slug { get; set; }
                [NotMapped] public string Preview => Title;
                [NotMapped] public int Scratch { get; set; }
            }
        }
        """;

    /// <summary>Every mapped type, nullable and not, plus names that need quoting.</summary>
    public const string AllTypes = """
        using System;
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;

        namespace Samples;

        public enum Small : byte { A }
        public enum Big : long { A }

        [Policy("Owners \"only\"", Roles = "authenticated", Using = "(select auth.user_id()) = \"user\"", WithCheck = "(select auth.user_id()) = \"user\"")]
        internal class Everything
        {
            [Key] [DatabaseGenerated(DatabaseGeneratedOption.None)] public int Number { get; set; }
            [Column("user")] public string User { get; set; } = "";
            [Column("Select")] public string? Order { get; set; }
            public bool Flag { get; set; }
            public bool? MaybeFlag { get; set; }
            public short Short { get; set; }
            public short? MaybeShort { get; set; }
            public int Int { get; set; }
            public int? MaybeInt { get; set; }
            public long Long { get; set; }
            public long? MaybeLong { get; set; }
            public decimal Money { get; set; }
            public decimal? MaybeMoney { get; set; }
            public double Double { get; set; }
            public double? MaybeDouble { get; set; }
            public float Float { get; set; }
            public float? MaybeFloat { get; set; }
            public string Text { get; set; } = "";
            public string? MaybeText { get; set; }
            [MaxLength(12)] public string Code { get; set; } = "";
            public Guid Guid { get; set; }
            public Guid? MaybeGuid { get; set; }
            public DateTime When { get; set; }
            public DateTime? MaybeWhen { get; set; }
            public DateTimeOffset At { get; set; }
            public DateTimeOffset? MaybeAt { get; set; }
            public DateOnly Day { get; set; }
            public DateOnly? MaybeDay { get; set; }
            public TimeOnly Time { get; set; }
            public TimeOnly? MaybeTime { get; set; }
            public byte[] Bytes { get; set; } = Array.Empty<byte>();
            public byte[]? MaybeBytes { get; set; }
            public Small SmallEnum { get; set; }
            public Big? BigEnum { get; set; }
            [DatabaseGenerated(DatabaseGeneratedOption.Identity)] public long Sequence { get; set; }
            [DatabaseGenerated(DatabaseGeneratedOption.Computed)] [DefaultSql("now()")] public DateTimeOffset Touched { get; set; }
            public string ReadOnly => Text;
        }
        """;
}
