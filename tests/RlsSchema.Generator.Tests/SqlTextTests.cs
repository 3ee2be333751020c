using RlsSchema.Generator.Emitting;
using RlsSchema.Generator.Parsing;
using Xunit;

namespace RlsSchema.Generator.Tests;

public class SqlTextTests
{
    [Theory]
    [InlineData("UserId", "user_id")]
    [InlineData("IsComplete", "is_complete")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("Address2Line", "address2_line")]
    [InlineData("id", "id")]
    public void Csharp_names_become_snake_case(string name, string expected) => Assert.Equal(expected, SqlNames.ToSnakeCase(name));

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
