namespace RlsSchema.EntityFrameworkCore.Tests.Migrations;

/// <summary>The entity the EF migrations tests compile, in the versions a user would write one after another.</summary>
internal static class NoteSources
{
    private const string Usings = """
        using System.ComponentModel.DataAnnotations;
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;
        namespace App;

        """;

    private const string Body = """
        {
            [Key] public long Id { get; set; }
            [DefaultSql("auth.user_id()")] public string UserId { get; set; } = "";
            [Check("char_length(text) > 0")] public string Text { get; set; } = "";
            public bool IsDone { get; set; }
        }
        """;

    /// <summary>The owner reads and changes their notes.</summary>
    public const string Owner = Usings + """
        [Table("notes")]
        [CrudPolicy(Role = "authenticated", Owner = nameof(UserId))]
        public class Note
        """ + Body;

    /// <summary>A policy change alone: everyone signed in reads every note.</summary>
    public const string EveryoneReads = Usings + """
        [Table("notes")]
        [CrudPolicy(Role = "authenticated", Read = "true", Owner = nameof(UserId))]
        public class Note
        """ + Body;

    /// <summary>The CRUD policies replaced by one raw policy of another name.</summary>
    public const string RawPolicy = Usings + """
        [Table("notes")]
        [Policy("notes-owner", Roles = "authenticated", Using = "(select auth.user_id()) = user_id")]
        public class Note
        """ + Body;

    /// <summary>Another annotated entity in the same project, which the notes context does not map.</summary>
    public const string Tag = """
        using System.ComponentModel.DataAnnotations.Schema;
        using RlsSchema;
        namespace App;
        [Table("tags")]
        [CrudPolicy(Role = "authenticated", Read = "true", Modify = Policies.None)]
        public class Tag
        {
            public long Id { get; set; }
            public string Name { get; set; } = "";
        }
        """;
}
