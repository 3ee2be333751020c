using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using Xunit;

namespace RlsSchema.AspNetCore.Tests;

/// <summary>
/// The page in Chromium (the system's, or Playwright's own when the system has none), Alice and Bob in two browser
/// contexts side by side, as two people on two machines would use it.
/// </summary>
[Collection(TodosWebCollection.Name)]
public sealed class BrowserTests(TodosWebFixture web)
{
    /// <summary>Where the screenshots land: <c>screenshots/</c> in the test output folder.</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Alice_and_bob_each_see_only_their_own_todos_after_the_other_adds_some()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var aliceContext = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = web.BaseAddress.ToString() });
        await using var bobContext = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = web.BaseAddress.ToString() });
        var alice = await aliceContext.NewPageAsync();
        var bob = await bobContext.NewPageAsync();
        var run = Guid.NewGuid().ToString("N")[..6];

        await alice.GotoAsync("/");
        await bob.GotoAsync("/");
        // Not signed in: the server refuses and the page says so.
        await Assertions.Expect(alice.Locator("#message")).ToContainTextAsync("401");

        await SignInAsync(alice, "alice");
        await SignInAsync(bob, "bob");

        await AddAsync(alice, $"Buy milk {run}");
        await AddAsync(bob, $"Water the plants {run}");
        await AddAsync(alice, $"Call the bank {run}");
        await AddAsync(bob, $"Fix the bike {run}");

        // Each page now shows the list as the server returned it after the other user's additions.
        await SignInAsync(alice, "alice");
        await SignInAsync(bob, "bob");
        var aliceTasks = await TasksAsync(alice);
        var bobTasks = await TasksAsync(bob);
        Assert.Contains($"Buy milk {run}", aliceTasks);
        Assert.Contains($"Call the bank {run}", aliceTasks);
        Assert.DoesNotContain(aliceTasks, t => t.StartsWith("Water the plants", StringComparison.Ordinal) || t.StartsWith("Fix the bike", StringComparison.Ordinal));
        Assert.Contains($"Water the plants {run}", bobTasks);
        Assert.Contains($"Fix the bike {run}", bobTasks);
        Assert.DoesNotContain(bobTasks, t => t.StartsWith("Buy milk", StringComparison.Ordinal) || t.StartsWith("Call the bank", StringComparison.Ordinal));

        // Alice ticks one and deletes the other; Bob's list is untouched.
        var milk = alice.Locator("#todos li", new PageLocatorOptions { HasText = $"Buy milk {run}" });
        await milk.Locator("input[type=checkbox]").CheckAsync();
        await Assertions.Expect(alice.Locator("#todos li.done", new PageLocatorOptions { HasText = $"Buy milk {run}" })).ToHaveCountAsync(1);
        await alice.Locator("#todos li", new PageLocatorOptions { HasText = $"Call the bank {run}" }).Locator("button.delete").ClickAsync();
        await Assertions.Expect(alice.Locator("#todos li", new PageLocatorOptions { HasText = $"Call the bank {run}" })).ToHaveCountAsync(0);
        await SignInAsync(bob, "bob");
        Assert.Equal(bobTasks, await TasksAsync(bob));

        // An empty task: the server's refusal is shown on the page.
        await alice.FillAsync("#new-task", "   ");
        await alice.ClickAsync("#add");
        await Assertions.Expect(alice.Locator("#message")).ToContainTextAsync("400");

        Directory.CreateDirectory(ScreenshotFolder);
        await alice.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "todos-alice.png"), FullPage = true });
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "todos-bob.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(ScreenshotFolder, "todos-alice.png")).Length > 0);
    }

    private static async Task SignInAsync(IPage page, string name)
    {
        await page.ClickAsync($"#sign-in-{name}");
        var expected = char.ToUpperInvariant(name[0]) + name[1..];
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync($"Signed in as {expected}");
        await Assertions.Expect(page.Locator("#todos")).Not.ToHaveAttributeAsync("aria-busy", "true");
        await Assertions.Expect(page.Locator("#message")).Not.ToHaveClassAsync("refused");
    }

    private static async Task AddAsync(IPage page, string task)
    {
        await page.FillAsync("#new-task", task);
        await page.ClickAsync("#add");
        await Assertions.Expect(page.Locator("#todos")).Not.ToHaveAttributeAsync("aria-busy", "true");
        await Assertions.Expect(page.Locator("#todos li", new PageLocatorOptions { HasText = task })).ToHaveCountAsync(1);
    }

    private static async Task<string[]> TasksAsync(IPage page) =>
        (await page.Locator("#todos li .task").AllTextContentsAsync()).ToArray();
}
