using System;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Xunit;

namespace RlsSchema.EntityFrameworkCore.Tests.Migrations;

/// <summary>
/// EF's model and RlsSchema's must name the same tables and columns: a difference fails model building, and so
/// <c>migrations add</c>, with a message naming the entity, the property, both names and the fix.
/// </summary>
public sealed class NamingCheckTests
{
    private const string Connection = "Host=127.0.0.1;Database=unused";

    [Fact]
    public void EFs_default_PascalCase_columns_fail_model_building_naming_the_property_both_names_and_the_fix()
    {
        var project = new EfProject { Entities = [NoteSources.Owner], SnakeCase = false };
        using DbContext context = project.Context(project.Build(), Connection);
        var e = Assert.Throws<InvalidOperationException>(() => context.Model);
        Assert.Contains("Note.IsDone is column \"IsDone\" in EF Core's model but \"is_done\" in RlsSchema's", e.Message, StringComparison.Ordinal);
        Assert.Contains("Note.UserId is column \"UserId\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("UseSnakeCaseNamingConvention()", e.Message, StringComparison.Ordinal);
        Assert.Contains("[Column(\"IsDone\")]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fluent_HasColumnName_fails_model_building_and_migrations_add()
    {
        var project = new EfProject { Entities = [NoteSources.Owner], ModelConfiguration = "modelBuilder.Entity<Note>().Property(n => n.Text).HasColumnName(\"body\");" };
        var assembly = project.Build();
        using (DbContext context = project.Context(assembly, Connection))
        {
            var e = Assert.Throws<InvalidOperationException>(() => context.Model);
            Assert.Contains("Note.Text is column \"body\" in EF Core's model but \"text\" in RlsSchema's", e.Message, StringComparison.Ordinal);
            Assert.Contains("it cannot see HasColumnName", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("IsDone", e.Message, StringComparison.Ordinal);
        }

        using (DbContext context = project.Context(assembly, Connection))
        {
            var e = Assert.ThrowsAny<Exception>(() => project.Add(context, "M1Initial"));
            Assert.Contains("Note.Text is column \"body\"", e.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_fluent_ToTable_fails_model_building_naming_the_entity_and_both_tables()
    {
        var project = new EfProject { Entities = [NoteSources.Owner], ModelConfiguration = "modelBuilder.Entity<Note>().ToTable(\"my_notes\");" };
        using DbContext context = project.Context(project.Build(), Connection);
        var e = Assert.Throws<InvalidOperationException>(() => context.Model);
        Assert.Contains("entity Note is table \"public.my_notes\" in EF Core's model but \"public.notes\" in RlsSchema's", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_names_build_a_model_that_carries_RlsSchemas_model_and_column_defaults()
    {
        var project = new EfProject { Entities = [NoteSources.Owner] };
        using DbContext context = project.Context(project.Build(), Connection);
        var model = context.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model;
        Assert.Contains("crud-authenticated-policy-select", (string)model["RlsSchema:Model"]!, StringComparison.Ordinal);
        Assert.Equal("auth.user_id()", model.FindEntityType("App.Note")!.FindProperty("UserId")!.GetDefaultValueSql());
    }
}
