namespace RlsSchema.EntityFrameworkCore.Migrations;

/// <summary>The model annotation that carries the RlsSchema model through EF's snapshot and migrations.</summary>
internal static class RlsModelAnnotation
{
    /// <summary>The prefix of every annotation RlsSchema puts on EF's model.</summary>
    public const string Prefix = "RlsSchema:";

    /// <summary>
    /// The annotation's name; its value is the RlsSchema model's snapshot JSON (<c>rls-model.json</c>'s form), the same
    /// text <c>rlsschema migrations add</c> diffs, so that a policy change alone changes the annotation.
    /// </summary>
    public const string Name = Prefix + "Model";
}
