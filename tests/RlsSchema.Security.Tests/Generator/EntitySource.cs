using System.Globalization;
using System.Text;

namespace RlsSchema.Security.Tests.Generator;

/// <summary>Writes the C# declaration an <see cref="EntitySpec"/> describes, escaping every string as a C# literal.</summary>
public static class EntitySource
{
    /// <summary>The full source file of the entity, in its own namespace.</summary>
    public static string Render(EntitySpec spec, string ns)
    {
        if (spec.RawSource is not null)
        {
            return spec.RawSource;
        }

        var sb = new StringBuilder();
        sb.AppendLine("#nullable enable");
        sb.AppendLine("using System;");
        sb.AppendLine("using System.ComponentModel.DataAnnotations;");
        sb.AppendLine("using System.ComponentModel.DataAnnotations.Schema;");
        sb.AppendLine("using RlsSchema;");
        sb.AppendLine();
        sb.Append("namespace ").Append(ns).AppendLine(";");
        sb.AppendLine();
        if (spec.Table is not null)
        {
            sb.Append("[Table(").Append(Literal(spec.Table)).AppendLine(")]");
        }

        if (spec.Force)
        {
            sb.AppendLine("[ForceRowLevelSecurity]");
        }

        foreach (CrudSpec c in spec.Cruds)
        {
            sb.Append("[CrudPolicy(Role = ").Append(Literal(c.Role));
            if (c.Owner is not null)
            {
                sb.Append(", Owner = ").Append(Literal(c.Owner));
            }

            if (c.Read is not null)
            {
                sb.Append(", Read = ").Append(Literal(c.Read));
            }

            if (c.Modify is not null)
            {
                sb.Append(", Modify = ").Append(Literal(c.Modify));
            }

            sb.AppendLine(")]");
        }

        foreach (PolicySpec p in spec.Policies)
        {
            sb.Append("[Policy(").Append(Literal(p.Name))
              .Append(", Command = PolicyCommand.").Append(p.Command)
              .Append(", Roles = ").Append(Literal(p.Roles));
            if (p.Using is not null)
            {
                sb.Append(", Using = ").Append(Literal(p.Using));
            }

            if (p.WithCheck is not null)
            {
                sb.Append(", WithCheck = ").Append(Literal(p.WithCheck));
            }

            if (p.Restrictive)
            {
                sb.Append(", Restrictive = true");
            }

            sb.AppendLine(")]");
        }

        sb.Append("public partial class ").AppendLine(spec.ClassName);
        sb.AppendLine("{");
        foreach (PropSpec p in spec.Props)
        {
            sb.Append("    ");
            if (p.Key)
            {
                sb.Append("[Key] ");
            }

            if (p.NotMapped)
            {
                sb.Append("[NotMapped] ");
            }

            if (p.Column is not null)
            {
                sb.Append("[Column(").Append(Literal(p.Column)).Append(")] ");
            }

            if (p.DefaultSql is not null)
            {
                sb.Append("[DefaultSql(").Append(Literal(p.DefaultSql)).Append(")] ");
            }

            if (p.Check is not null)
            {
                sb.Append("[Check(").Append(Literal(p.Check)).Append(")] ");
            }

            if (p.MaxLength is int max)
            {
                sb.Append("[MaxLength(").Append(max.ToString(CultureInfo.InvariantCulture)).Append(")] ");
            }

            if (p.Index)
            {
                sb.Append("[Index] ");
            }

            sb.Append("public ").Append(p.ClrType).Append(p.Nullable ? "? " : " ").Append(p.Name).Append(" { get; set; }");
            if (p.ClrType == "string" && !p.Nullable)
            {
                sb.Append(" = \"\";");
            }

            sb.AppendLine();
        }

        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>A regular C# string literal holding exactly <paramref name="value"/>.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\u0085')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
        return sb.ToString();
    }
}
