using System;
using Xunit;

namespace RlsSchema.Security.Tests.Infrastructure;

/// <summary>
/// A test that pins a known defect: it fails today. Skipped by default so that the suite stays green,
/// run with <c>RLS_SECURITY_KNOWN_BUGS=1</c>. The reason names the defect; remove the attribute when fixed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KnownBugFactAttribute : FactAttribute
{
    public KnownBugFactAttribute(string defect)
    {
        if (Environment.GetEnvironmentVariable("RLS_SECURITY_KNOWN_BUGS") is not { Length: > 0 } v || v == "0")
        {
            Skip = "Known defect, fails until fixed (run with RLS_SECURITY_KNOWN_BUGS=1): " + defect;
        }
    }
}
