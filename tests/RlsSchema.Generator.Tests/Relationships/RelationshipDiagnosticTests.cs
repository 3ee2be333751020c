using System.Linq;
using RlsSchema.Tests.Generation;
using Xunit;

namespace RlsSchema.Generator.Tests;

/// <summary>One test per relationship diagnostic; <c>//!RLSxxxx</c> marks the line it must point at.</summary>
public class RelationshipDiagnosticTests
{
    private const string Organization = """

        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Organization
        {
            public long Id { get; set; }
        }
        """;

    [Fact]
    public void A_foreign_key_naming_a_missing_navigation_is_refused() => DiagnosticTests.AssertReported("RLS0201", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            [ForeignKey("Nope")] public long OrganizationId { get; set; } //!RLS0201
        }
        """ + Organization);

    [Fact]
    public void A_navigation_naming_a_missing_key_is_refused() => DiagnosticTests.AssertReported("RLS0201", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public long OrgRef { get; set; }
            [ForeignKey("OrgId")] //!RLS0201
            public Organization Organization { get; set; } = null!;
        }
        """ + Organization);

    [Fact]
    public void A_foreign_key_to_a_class_that_is_not_an_entity_is_refused() => DiagnosticTests.AssertReported("RLS0202", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public long SupplierId { get; set; }
            [ForeignKey(nameof(SupplierId))] public Supplier Supplier { get; set; } = null!; //!RLS0202
        }

        public class Supplier
        {
            public long Id { get; set; }
        }
        """);

    [Fact]
    public void A_navigation_by_convention_to_a_class_that_is_not_an_entity_is_refused_as_with_ForeignKey()
    {
        GenerationResult result = DiagnosticTests.AssertReported("RLS0202", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public long SupplierId { get; set; }
            public Supplier Supplier { get; set; } = null!; //!RLS0202
        }

        public class Supplier
        {
            public long Id { get; set; }
        }
        """);

        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "RLS0004");
    }

    [Fact]
    public void A_collection_by_convention_of_a_class_that_is_not_an_entity_is_refused() => DiagnosticTests.AssertReported("RLS0202", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public System.Collections.Generic.List<Supplier> Suppliers { get; set; } = new(); //!RLS0202
        }

        public class Supplier
        {
            public long Id { get; set; }
        }
        """);

    [Fact]
    public void A_navigation_without_a_key_property_is_refused() => DiagnosticTests.AssertReported("RLS0203", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public Organization Owner { get; set; } = null!; //!RLS0203
        }
        """ + Organization);

    [Fact]
    public void A_foreign_key_of_another_type_than_the_referenced_key_is_refused() => DiagnosticTests.AssertReported("RLS0204", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public string OrganizationId { get; set; } = ""; //!RLS0204
            public Organization Organization { get; set; } = null!;
        }
        """ + Organization);

    [Fact]
    public void Set_null_on_a_required_key_is_refused() => DiagnosticTests.AssertReported("RLS0205", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            [OnDelete(ReferentialAction.SetNull)] //!RLS0205
            public long OrganizationId { get; set; }
            public Organization Organization { get; set; } = null!;
        }
        """ + Organization);

    [Fact]
    public void A_collection_without_a_key_back_is_refused() => DiagnosticTests.AssertReported("RLS0206", """
        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Item
        {
            public int Id { get; set; }
            public System.Collections.Generic.List<Part> Parts { get; set; } = new(); //!RLS0206
        }

        [CrudPolicy(Role = "authenticated", Read = Policies.True, Modify = Policies.None)]
        public class Part
        {
            public int Id { get; set; }
        }
        """);
}
