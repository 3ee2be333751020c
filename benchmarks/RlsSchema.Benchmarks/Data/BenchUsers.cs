using System.Globalization;

namespace RlsSchema.Benchmarks.Data;

/// <summary>
/// The users in the data set. Ids look like WorkOS user ids (<c>user_01...</c>, 26 characters after the prefix is
/// padded), so index keys and claim sizes are what a real deployment has.
/// </summary>
internal static class BenchUsers
{
    /// <summary>User 0 is the one whose todos the read scenarios list.</summary>
    public static string Id(int index) => "user_01BENCH" + index.ToString("D14", CultureInfo.InvariantCulture);

    public static string Measured => Id(0);

    /// <summary>The insert scenario writes as a user outside the loaded set, so the read figures stay comparable.</summary>
    public static string Writer => "user_01WRITER00000000000000";
}
