using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Tests.Infrastructure;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>
/// Malformed, hostile and odd declarations: the generator must answer each with diagnostics or valid output, never
/// an exception, and no name or expression may ever escape its place in the SQL. Every hostile payload mentions
/// <c>pwned</c>, which must therefore only ever appear inside a quoted name, a string literal or a comment.
/// </summary>
public class RobustnessTests
{
    private const string Usings = "using System; using System.ComponentModel.DataAnnotations; using System.ComponentModel.DataAnnotations.Schema; using RlsSchema;\n";
    private const string Ok = "[CrudPolicy(Role = \"anonymous\", Read = \"true\", Modify = Policies.None)]";

    public static IEnumerable<object[]> Corpus()
    {
        var cases = new List<string>
        {
            "[CrudPolicy] public class A { public int Id { get; set; } }",
            "[CrudPolicy()] public class A { }",
            "[CrudPolicy(Role = null)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = 42)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Owner = null, Read = null, Modify = null)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Owner = nameof(Id))] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Owner = nameof(" ,
            "[CrudPolicy(Role = \"authenticated\"",
            "[CrudPolicy(Role = \"authenticated\")] public class { }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"true\")] public class A : A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"true\")] public class A : Missing { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"pwned\\\"; drop table pwned; --\", Read = \"true\")] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"1=1); drop table pwned; --\")] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"x = '); drop table pwned; --'\", Modify = Policies.None)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"x = E'\\\\'); drop table pwned; --'\", Modify = Policies.None)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"x = E'\\\\''); drop table pwned; --'\", Modify = Policies.None)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"\\\"pwned\\\"\\\"); drop table pwned; --\\\" = 1\", Modify = Policies.None)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"$x$); drop table pwned; $x$\", Modify = Policies.None)] public class A { public int Id { get; set; } }",
            "[CrudPolicy(Role = \"authenticated\", Read = \"true\\n\\\\! echo pwned\", Modify = Policies.None)] public class A { public int Id { get; set; } }",
            Ok + "[Table(null)] public class A { public int Id { get; set; } }",
            Ok + "[Table] public class A { public int Id { get; set; } }",
            Ok + "[Table(\"x\\\"; DROP TABLE pwned; --\")] public class A { public int Id { get; set; } }",
            Ok + "[Table(\"a\\0b pwned\")] public class A { public int Id { get; set; } }",
            Ok + "[Table(\"t\", Schema = \"s\\\"; drop schema pwned; --\")] public class A { public int Id { get; set; } }",
            Ok + "public class A { public int Id { get; set; } [Column(\"a\\\" text); drop table pwned; --\")] public string B { get; set; } = \"\"; }",
            Ok + "public class A { public int Id { get; set; } [Column(TypeName = \"text); drop table pwned; --\")] public string B { get; set; } = \"\"; }",
            Ok + "public class A { public int Id { get; set; } [Column(null)] public string B { get; set; } = \"\"; }",
            "[Policy(null)] public class A { public int Id { get; set; } }",
            "[Policy(\"n\\\" ON x; drop table pwned; --\", Roles = \"authenticated\", Using = \"true\")] public class A { public int Id { get; set; } }",
            "[Policy(\"p\", Command = (PolicyCommand)42, Roles = \"authenticated\", Using = \"true\")] public class A { public int Id { get; set; } }",
            "[Policy(\"p\", Roles = \"authenticated,,pwned--\", Using = \"true\")] public class A { public int Id { get; set; } }",
            "[Policy(\"p\", Roles = \"authenticated\", Using = null, WithCheck = null)] public class A { public int Id { get; set; } }",
            Ok + "public class A { public int Id { get; set; } [Check(null)] public int B { get; set; } }",
            Ok + "[Check(\"true) ; drop table pwned; --\", Name = \"c\\\"pwned\")] public class A { public int Id { get; set; } }",
            Ok + "public class A { public int Id { get; set; } [DefaultSql(\"1); drop table pwned; --\")] public int B { get; set; } }",
            Ok + "public class A { public int Id { get; set; } [DefaultSql(null)] public int B { get; set; } }",
            Ok + "[Index(null)] public class A { public int Id { get; set; } }",
            Ok + "[Index(new string[] { null })] public class A { public int Id { get; set; } }",
            Ok + "[Index(nameof(Id), Name = \"i\\\" on x; drop table pwned; --\")] public class A { public int Id { get; set; } }",
            Ok + "public class A { public int Id { get; set; } [Index(\"B\")] public int B { get; set; } }",
            Ok + "public class Select { public int Id { get; set; } public string From { get; set; } = \"\"; public string Where { get; set; } = \"\"; public string User { get; set; } = \"\"; public int @class { get; set; } }",
            Ok + "[Table(\"order\")] public class A { public int Id { get; set; } [Column(\"Group\")] public int B { get; set; } [Column(\"na\\u00efve\")] public int C { get; set; } }",
            Ok + "public class A { public int Id { get; set; } public Missing Thing { get; set; } }",
            Ok + "public record class R { public int Id { get; set; } }",
            Ok + "public struct S { public int Id { get; set; } }",
            Ok + "public interface I { int Id { get; set; } }",
            Ok + "public partial class P { public int Id { get; set; } } [CrudPolicy(Role = \"authenticated\", Read = \"true\", Modify = Policies.None)] public partial class P { }",
            Ok + "public class A { [Key] public string? Id { get; set; } [MaxLength(-5)] public string B { get; set; } = \"\"; [MaxLength] public string C { get; set; } = \"\"; }",
            Ok + "public class A { public int Id { get; set; } [DatabaseGenerated((DatabaseGeneratedOption)99)] public int B { get; set; } [DatabaseGenerated(DatabaseGeneratedOption.Identity)] public string C { get; set; } = \"\"; }",
            Ok + "public class A { public int Id { get; set; } public int this[int i] { get => i; set { } } public static int S { get; set; } }",
            Ok + "public class A { public int Id { get; set; } public ulong U { get; set; } public char C { get; set; } public object O { get; set; } = new(); public int[] Ints { get; set; } = []; }",
            Ok + "public class A { public int Id { get; set; } public byte[,] Grid { get; set; } = new byte[0,0]; }",
            Ok + "public class A<T> { public int Id { get; set; } }",
            Ok + "public abstract class Base { public int Id { get; set; } } " + Ok + " public class Derived : Base { public string Name { get; set; } = \"\"; }",
        };

        var huge = new StringBuilder(Ok + "public class Huge { public long Id { get; set; }");
        for (int i = 0; i < 600; i++)
        {
            huge.Append(" public string? P").Append(i).Append(" { get; set; }");
        }

        cases.Add(huge.Append(" }").ToString());
        return cases.Select((c, i) => new object[] { i, c });
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Malformed_declarations_get_diagnostics_never_exceptions_or_broken_sql(int index, string declaration)
    {
        GenerationResult result = GeneratorHarness.Run(Usings + "namespace Corpus" + index + ";\n" + declaration);

        Assert.Null(result.Generator.Exception);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8785" or "AD0001");
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "RLS0021");
        foreach (GeneratedSourceResult source in result.Generator.GeneratedSources)
        {
            Assert.DoesNotContain(source.SyntaxTree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        }

        if (result.Sql is { } sql)
        {
            string code = CodeOutsideQuotes(sql);
            Assert.DoesNotContain("pwned", code, System.StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\\", code);
        }
    }

    /// <summary>The script with every quoted name, string literal, dollar-quoted body and comment removed.</summary>
    private static string CodeOutsideQuotes(string sql)
    {
        var code = new StringBuilder();
        int i = 0;
        while (i < sql.Length)
        {
            char c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                i = sql.IndexOf('\n', i) is int end and >= 0 ? end : sql.Length;
                continue;
            }

            if (c == '\'' || c == '"')
            {
                bool backslash = c == '\'' && i > 0 && (sql[i - 1] is 'E' or 'e');
                int j = i + 1;
                while (j < sql.Length)
                {
                    if (backslash && sql[j] == '\\')
                    {
                        j += 2;
                        continue;
                    }

                    if (sql[j] == c)
                    {
                        if (j + 1 < sql.Length && sql[j + 1] == c)
                        {
                            j += 2;
                            continue;
                        }

                        break;
                    }

                    j++;
                }

                Assert.True(j < sql.Length, "a quote is never closed in the script");
                code.Append(' ');
                i = j + 1;
                continue;
            }

            if (c == '$')
            {
                int tagEnd = sql.IndexOf('$', i + 1);
                string tag = sql.Substring(i, tagEnd - i + 1);
                Assert.True(tag is "$rls$" or "$fn$", "unexpected dollar quote " + tag);
                int close = sql.IndexOf(tag, tagEnd + 1, System.StringComparison.Ordinal);
                Assert.True(close > 0, "a dollar quote is never closed");
                code.Append(' ');
                i = close + tag.Length;
                continue;
            }

            code.Append(c);
            i++;
        }

        return code.ToString();
    }
}
