namespace RlsSchema.Generator.Parsing.Relationships
{
    /// <summary>
    /// EF Core's <c>DeleteBehavior</c> (Microsoft.EntityFrameworkCore), which the generator does not reference, and the
    /// <c>ON DELETE</c> action EF Core's migrations give each value with the Npgsql provider.
    /// </summary>
    /// <remarks>
    /// The <c>Client*</c> values tell EF Core's change tracker what to do with the dependents it has loaded; the
    /// database gets no action for them, so neither does RlsSchema's script. The conformance tests create both
    /// databases and compare their foreign keys, which keeps this table honest.
    /// </remarks>
    internal static class EfDeleteBehavior
    {
        // Indexed by the enum's value, as EF Core 6 to 10 number it.
        private static readonly string[] Names = { "ClientSetNull", "Restrict", "SetNull", "Cascade", "ClientCascade", "NoAction", "ClientNoAction" };

        private static readonly ReferentialAction[] Actions =
        {
            ReferentialAction.NoAction, ReferentialAction.Restrict, ReferentialAction.SetNull, ReferentialAction.Cascade,
            ReferentialAction.NoAction, ReferentialAction.NoAction, ReferentialAction.NoAction,
        };

        /// <summary>The <c>ON DELETE</c> action EF Core creates for a <c>DeleteBehavior</c> value.</summary>
        /// <param name="value">The value.</param>
        /// <param name="action">The action, when the value is one EF Core defines.</param>
        /// <returns>Whether the value is one EF Core defines.</returns>
        public static bool TryMap(int value, out ReferentialAction action)
        {
            bool known = value >= 0 && value < Actions.Length;
            action = known ? Actions[value] : ReferentialAction.NoAction;
            return known;
        }

        /// <summary>The value as written in C#: <c>DeleteBehavior.Restrict</c>, or the number for an undefined one.</summary>
        /// <param name="value">The value.</param>
        public static string Display(int value) => "DeleteBehavior." + (value >= 0 && value < Names.Length ? Names[value] : "(" + value + ")");
    }
}
