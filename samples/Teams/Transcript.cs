using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using RlsSchema.Npgsql;

namespace Teams;

/// <summary>
/// Prints what each user did and saw, and keeps the sample honest: every promise is a check, and a failed check makes
/// the process exit non-zero.
/// </summary>
internal sealed class Transcript(TextWriter output)
{
    private const int ActionWidth = 46;
    private readonly List<(string Promise, bool Held)> _checks = [];

    /// <summary>0 when every check held, 1 otherwise.</summary>
    public int ExitCode => _checks.All(c => c.Held) ? 0 : 1;

    public void Title(string text) => output.WriteLine(text);

    public void Blank() => output.WriteLine();

    public void Setting(string name, string value) => output.WriteLine($"  {name,-9} {value}");

    public void Actor(string text) => output.WriteLine(text);

    public void Step(string action, string outcome) => output.WriteLine($"  {action.PadRight(ActionWidth)} -> {outcome}");

    /// <summary>Records whether a promise held; the checks are printed together by <see cref="Summary"/>.</summary>
    public void Expect(bool held, string promise) => _checks.Add((promise, held));

    /// <summary>Runs an attempt that a policy or a missing privilege should refuse, and records whether it was.</summary>
    public async Task ExpectRefusedAsync(string action, Func<Task> attempt, string promise)
    {
        try
        {
            await attempt();
            Step(action, "done");
            Expect(false, promise);
        }
        catch (RlsAuthorizationException refused)
        {
            Step(action, $"refused (SQLSTATE {refused.SqlState})");
            Expect(refused.SqlState == "42501", promise);
        }
    }

    public void Summary()
    {
        output.WriteLine();
        foreach (var (promise, held) in _checks)
        {
            output.WriteLine($"{(held ? "ok    " : "FAILED")} {promise}");
        }

        var failed = _checks.Count(c => !c.Held);
        output.WriteLine(failed == 0
            ? $"All {_checks.Count} checks held."
            : $"{failed} of {_checks.Count} checks FAILED.");
    }

    /// <summary>Names as one line, or <c>nothing</c>.</summary>
    public static string Describe(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "nothing" : string.Join(", ", list.Select(n => "\"" + n + "\""));
    }
}
