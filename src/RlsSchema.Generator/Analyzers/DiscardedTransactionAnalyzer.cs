using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RlsSchema.Generator.Diagnostics;

namespace RlsSchema.Generator.Analyzers
{
    /// <summary>
    /// Reports a statement that begins a session's transaction and drops it (<c>await session.BeginTransactionAsync();</c>,
    /// awaited or not): nothing can commit or roll back that transaction, and it holds its connection until the session
    /// ends. An explicit discard (<c>_ = ...</c>) says that is meant, and is left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DiscardedTransactionAnalyzer : DiagnosticAnalyzer
    {
        private const string TransactionType = "RlsSchema.Npgsql.RlsTransaction";
        private const string BeginTransaction = "BeginTransactionAsync";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(UsageDiagnosticDescriptors.DiscardedTransaction);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                // A project without the runtime has no transaction to drop.
                if (start.Compilation.GetTypeByMetadataName(TransactionType) is { } transaction)
                {
                    start.RegisterOperationAction(c => Analyze(c, transaction), OperationKind.ExpressionStatement);
                }
            });
        }

        private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol transaction)
        {
            var statement = (IExpressionStatementOperation)context.Operation;
            if (BeganTransaction(statement.Operation, transaction) is { } call)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    UsageDiagnosticDescriptors.DiscardedTransaction, statement.Syntax.GetLocation(), call.TargetMethod.ContainingType.Name + "." + BeginTransaction));
            }
        }

        // The call under awaits, ConfigureAwait and conversions whose result is the transaction (or a task of it).
        private static IInvocationOperation? BeganTransaction(IOperation? operation, INamedTypeSymbol transaction)
        {
            while (true)
            {
                switch (operation)
                {
                    case IAwaitOperation awaited:
                        operation = awaited.Operation;
                        continue;
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        continue;
                    case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } awaitable }:
                        operation = awaitable;
                        continue;
                    case IInvocationOperation call when call.TargetMethod.Name == BeginTransaction && Returns(call.TargetMethod.ReturnType, transaction):
                        return call;
                    default:
                        return null;
                }
            }
        }

        private static bool Returns(ITypeSymbol type, INamedTypeSymbol transaction) =>
            SymbolEqualityComparer.Default.Equals(type, transaction)
            || type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } awaitable
               && SymbolEqualityComparer.Default.Equals(awaitable.TypeArguments[0], transaction);
    }
}
