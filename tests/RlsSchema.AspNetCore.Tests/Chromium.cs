using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;
using RlsSchema.Testing;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>
/// The Chromium the browser test drives: the system's where installed, else Playwright's own (installed by Playwright when
/// missing), else Debian's package where this process may install it; failing all three, the error names the one command
/// that installs it.
/// </summary>
internal static class Chromium
{
    private const string Package = "chromium";
    private static readonly string[] SystemNames = ["chromium", "chromium-browser"];

    private static readonly string[] Args =
    [
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var executable = await FindOrInstallAsync(playwright);
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true, Args = Args });
    }

    // Null means Playwright's own browser.
    private static async Task<string?> FindOrInstallAsync(IPlaywright playwright)
    {
        if (SystemPackages.Find(SystemNames) is { } system)
        {
            return system;
        }

        bool PlaywrightsOwn() => File.Exists(playwright.Chromium.ExecutablePath);
        if (PlaywrightsOwn() || Microsoft.Playwright.Program.Main(["install", Package]) == 0 && PlaywrightsOwn())
        {
            return null;
        }

        var failure = await SystemPackages.TryInstallAsync(Package, () => SystemPackages.Find(SystemNames) is not null);
        return SystemPackages.Find(SystemNames) ?? throw new InvalidOperationException(
            $"No Chromium is installed: Playwright could not download its own, and installing the system's failed: {failure}. "
            + $"Install it with: {SystemPackages.InstallCommand(Package)}");
    }
}
