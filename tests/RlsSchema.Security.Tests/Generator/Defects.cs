namespace RlsSchema.Security.Tests.Generator;

/// <summary>Defects in the generator that the hostile corpus found, now fixed and pinned; SECURITY.md lists them.</summary>
public static class Defects
{
    public const string LoneSurrogate =
        "GEN-2: a name with an unpaired UTF-16 surrogate is accepted, and the script cannot be encoded as UTF-8 when it is applied";

    public const string CrudPolicyNameTruncated =
        "GEN-3: crud-<role>-policy-<command> names are not checked against 63 bytes; PostgreSQL truncates them to one name, DROP POLICY IF EXISTS replaces each with the next, and only the DELETE policy is left";

    public const string DigitBeforeDollarQuote =
        "GEN-4: the SQL fragment check takes the '$' in '1$$' for part of an identifier, but PostgreSQL lexes the number 1 and a dollar quote: a fragment the check accepts breaks the script";
}
