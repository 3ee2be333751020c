using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RlsSchema.Generator.Emitting;
using RlsSchema.Generator.Parsing;
using RlsSchema.Schema;
using Xunit;

namespace RlsSchema.Generator.Tests;

public class SqlTextTests
{
    [Theory]
    [InlineData("UserId", "user_id")]
    [InlineData("IsComplete", "is_complete")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("Address2Line", "address2line")]
    [InlineData("Sha256Hash", "sha256hash")]
    [InlineData("UserIDs", "user_i_ds")]
    [InlineData("Foo_Bar", "foo_bar")]
    [InlineData("id", "id")]
    public void Csharp_names_become_snake_case(string name, string expected) => Assert.Equal(expected, SqlNames.ToSnakeCase(name));

    // A database EF Core created under UseSnakeCaseNamingConvention() must have the names RlsSchema derives, so the rule
    // is checked against EFCore.NamingConventions itself on every name of up to five characters from an alphabet with a
    // member of each class of character it treats apart in a name it keeps whole: lower, upper, title case, digit,
    // underscore, and a lower/upper pair outside ASCII.
    [Fact]
    public void Snake_case_names_are_the_names_EFCore_NamingConventions_derives()
    {
        var efCore = new EFCore.NamingConventions.Internal.SnakeCaseNameRewriter(CultureInfo.InvariantCulture);
        char[] alphabet = ['a', 'B', '\u01C5', '7', '_', '\u03C3', '\u03A3'];
        var mismatches = new List<string>();
        foreach (string name in Words(alphabet, 5))
        {
            string expected = efCore.RewriteName(name)!;
            if (SqlNames.ToSnakeCase(name) != expected)
            {
                mismatches.Add(name + " -> " + SqlNames.ToSnakeCase(name) + ", EF Core: " + expected);
            }
        }

        Assert.Empty(mismatches);
    }

    // EFCore.NamingConventions drops what has no case and is no digit (名前 becomes an empty name); RlsSchema keeps it.
    [Theory]
    [InlineData("名前", "名前")]
    [InlineData("名前Value", "名前_value")]
    [InlineData("Cafe\u0301Bar", "cafe\u0301_bar")]
    [InlineData("Näme", "näme")]
    public void Letters_without_case_and_combining_marks_are_kept_where_EF_Core_drops_them(string name, string expected) =>
        Assert.Equal(expected, SqlNames.ToSnakeCase(name));

    private static IEnumerable<string> Words(char[] alphabet, int maxLength)
    {
        var current = new List<string> { "" };
        for (int length = 1; length <= maxLength; length++)
        {
            current = current.SelectMany(prefix => alphabet.Select(c => prefix + c)).ToList();
            foreach (string word in current)
            {
                yield return word;
            }
        }
    }

    [Theory]
    [InlineData("todos", "todos")]
    [InlineData("user", "\"user\"")]
    [InlineData("Select", "\"Select\"")]
    [InlineData("Body Text", "\"Body Text\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("x\"; drop table t; --", "\"x\"\"; drop table t; --\"")]
    [InlineData("9lives", "\"9lives\"")]
    public void Names_are_quoted_where_needed_and_quotes_doubled(string name, string expected) => Assert.Equal(expected, SqlSyntax.Identifier(name));

    // Built from code units: attribute arguments are stored as UTF-8, which cannot carry a lone surrogate.
    [Theory]
    [InlineData("tab", 0xD800, "le")]
    [InlineData("", 0xDC00, "")]
    [InlineData("end", 0xD83D, "")]
    public void Names_and_fragments_with_an_unpaired_surrogate_are_refused(string before, int codeUnit, string after)
    {
        string text = before + (char)codeUnit + after;
        Assert.NotNull(SqlNames.Validate(text));
        Assert.NotNull(SqlFragmentValidator.Validate("a = '" + text + "'", out _));
    }

    [Fact]
    public void Names_with_paired_surrogates_are_accepted() => Assert.Null(SqlNames.Validate("t\ud83d\ude00"));

    [Theory]
    [InlineData("(select auth.user_id()) = user_id")]
    [InlineData("note = 'a; b -- c /* d'")]
    [InlineData("\"odd;name\" = 'it''s'")]
    [InlineData("x = E'\\'; still inside'")]
    [InlineData("price$usd > 0")]
    [InlineData("a1$$ > 0")]
    [InlineData("prix_\u00e9t\u00e9 > 0")]
    [InlineData("char_length(task) > 0")]
    public void Single_expressions_are_accepted(string sql) => Assert.Null(SqlFragmentValidator.Validate(sql, out _));

    [Theory]
    [InlineData("true; drop table t")]
    [InlineData("true -- x")]
    [InlineData("true /* x */")]
    [InlineData("a = 'open")]
    [InlineData("\"open = 1")]
    [InlineData("(a")]
    [InlineData("a)")]
    [InlineData("$1 = a")]
    [InlineData("a \\gexec")]
    [InlineData("x = E'\\'')")]
    [InlineData("1$$ = a")]
    [InlineData("a = 9$x$")]
    public void Fragments_that_could_end_their_statement_are_refused(string sql) => Assert.NotNull(SqlFragmentValidator.Validate(sql, out _));

    [Theory]
    [InlineData("auth.user_id() = user_id", "auth.user_id()")]
    [InlineData("(select auth.user_id()) = user_id", null)]
    [InlineData("( SELECT auth.uid() ) = owner and auth.jwt() ->> 'x' = 'y'", "auth.jwt()")]
    [InlineData("note = 'auth.user_id()'", null)]
    public void Per_row_auth_calls_are_found(string sql, string? expected)
    {
        Assert.Null(SqlFragmentValidator.Validate(sql, out string code));
        Assert.Equal(expected, SqlFragmentValidator.FindPerRowAuthCall(code));
    }
}
