using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace RlsSchema.Testing;

/// <summary>
/// A new temporary folder that names this process as its owner from the moment it can be seen: test processes running
/// side by side sweep up each other's abandoned folders, and a folder seen between its creation and the writing of its
/// owner file would look abandoned and be deleted while it is being set up.
/// </summary>
internal static class OwnedFolder
{
    /// <summary>Creates <c>{parent}/{prefix}{random}</c> holding <paramref name="ownerFile"/> with this process's id.</summary>
    /// <returns>The folder's path.</returns>
    public static async Task<string> CreateAsync(string parent, string prefix, string ownerFile, CancellationToken cancellationToken)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        var folder = Path.Combine(parent, name);

        // Set up under a name no sweep matches, then renamed in one step.
        var staging = Path.Combine(parent, "." + name);
        Directory.CreateDirectory(staging);
        try
        {
            await File.WriteAllTextAsync(
                Path.Combine(staging, ownerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            Directory.Move(staging, folder);
            return folder;
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }
}
