using System;
using System.IO;
using System.Runtime.CompilerServices;
using RlsSchema.Generator.Emitting;
using Xunit.Sdk;

namespace RlsSchema.Generator.Tests.Infrastructure;

/// <summary>
/// Pins text in a file of the test project's Snapshots folder, following Verify's convention:
/// <c>Snapshots/&lt;Class&gt;.&lt;Method&gt;.verified.&lt;ext&gt;</c> is checked in; on a mismatch, or when no verified file
/// exists yet, <c>*.received.&lt;ext&gt;</c> is written beside it and the test fails. Accept a change by renaming
/// received to verified. The generator's version is scrubbed to <c>{version}</c>, as Verify users scrub it, so that a
/// version bump does not rewrite every snapshot.
/// </summary>
public static class Snapshot
{
    public static void Verify(
        string actual,
        string extension,
        string? suffix = null,
        [CallerFilePath] string testFile = "",
        [CallerMemberName] string method = "")
    {
        string directory = Path.Combine(ProjectDirectory(testFile), "Snapshots");
        string name = Path.GetFileNameWithoutExtension(testFile) + "." + method + (suffix is null ? "" : "_" + suffix);
        string verified = Path.Combine(directory, name + ".verified." + extension);
        string received = Path.Combine(directory, name + ".received." + extension);
        actual = Scrub(actual.Replace("\r\n", "\n"));

        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == actual)
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }

            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual);
        throw new XunitException(File.Exists(verified)
            ? $"Snapshot mismatch: compare {received} with {verified}; rename it to accept the change."
            : $"No verified snapshot yet: review {received} and rename it to {Path.GetFileName(verified)}.");
    }

    /// <summary>The text with the generator's version, as <c>[GeneratedCode]</c> writes it, replaced by <c>{version}</c>.</summary>
    public static string Scrub(string text) =>
        text.Replace(GeneratedCodeVersion(GeneratedCodeInfo.Version), GeneratedCodeVersion("{version}"));

    private static string GeneratedCodeVersion(string version) => "GeneratedCode(\"RlsSchema.Generator\", \"" + version + "\")";

    // The folder of the test project: every snapshot lives in its Snapshots folder, whichever subfolder the test is in.
    private static string ProjectDirectory(string testFile)
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(testFile)!); directory is not null; directory = directory.Parent)
        {
            if (directory.GetFiles("*.csproj").Length > 0)
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No project folder above " + testFile);
    }
}
