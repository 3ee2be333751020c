using Microsoft.CodeAnalysis;

namespace RlsSchema.Generator.Diagnostics
{
    /// <summary>
    /// The diagnostics of code that uses the runtime (03xx), reported by the package's analyzers rather than the generator;
    /// <see cref="DiagnosticDescriptors.All"/> includes them.
    /// </summary>
    internal static class UsageDiagnosticDescriptors
    {
        /// <summary>RLS0301: the transaction BeginTransactionAsync returns is thrown away.</summary>
        public static readonly DiagnosticDescriptor DiscardedTransaction = DiagnosticDescriptors.Warning(
            "RLS0301",
            "Transaction is discarded",
            "The transaction '{0}' begins is discarded: it stays open, holding a connection, until the session is disposed, and nothing commits it; keep it (await using var transaction = await {0}(...)) and commit it");

        internal static readonly DiagnosticDescriptor[] All = [DiscardedTransaction];
    }
}
