using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>
    /// The current time: <c>DateTimeOffset.UtcNow</c>, <c>DateTime.UtcNow</c> and <c>DateOnly.FromDateTime(...)</c> of
    /// them, moved by constant intervals (<c>AddHours(-24)</c>, <c>- TimeSpan.FromDays(7)</c>). A C# day added to a
    /// time is exactly 24 hours, so it becomes hours: PostgreSQL's <c>interval '1 day'</c> follows daylight saving time.
    /// </summary>
    internal sealed partial class PolicyTranslator
    {
        private const string NotNow = "only the current time (UtcNow) is moved by an interval; columns are compared, not moved";

        private static readonly Dictionary<string, (string Unit, decimal Factor)> AddMethods = new Dictionary<string, (string, decimal)>(StringComparer.Ordinal)
        {
            ["AddDays"] = ("hours", 24m),
            ["AddHours"] = ("hours", 1m),
            ["AddMinutes"] = ("minutes", 1m),
            ["AddSeconds"] = ("seconds", 1m),
            ["AddMilliseconds"] = ("milliseconds", 1m),
        };

        // TimeSpan.FromDays(days, hours, minutes, ...) and its siblings: the unit of each argument by position.
        private static readonly (string Unit, decimal Factor)[] TimeSpanUnits =
        {
            ("hours", 24m), ("hours", 1m), ("minutes", 1m), ("seconds", 1m), ("milliseconds", 1m), ("microseconds", 1m),
        };

        private static readonly Dictionary<string, int> TimeSpanFactories = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["FromDays"] = 0,
            ["FromHours"] = 1,
            ["FromMinutes"] = 2,
            ["FromSeconds"] = 3,
            ["FromMilliseconds"] = 4,
        };

        private static bool IsTime(ITypeSymbol? type) =>
            type is INamedTypeSymbol { Name: "DateTimeOffset" or "DateTime" or "DateOnly", ContainingType: null } named
            && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };

        private static Operand Time(NowValue now) => new Operand(new List<Step>(), now, null, null);

        private Operand? TranslateTimeCall(IInvocationOperation invocation)
        {
            IMethodSymbol method = invocation.TargetMethod;
            if (method.ContainingType.Name == "DateOnly" && method.Name == "FromDateTime" && invocation.Arguments.Length == 1)
            {
                NowValue? time = NowOf(invocation.Arguments[0].Value);
                return time is null ? null : Time(new NowValue(NowKind.Date, time.Steps));
            }

            if (invocation.Instance is null || invocation.Arguments.Length != 1)
            {
                return Unsupported<Operand>(invocation, "only UtcNow, DateOnly.FromDateTime and the Add methods of the current time are translated");
            }

            NowValue? now = NowOf(invocation.Instance);
            if (now is null)
            {
                return null;
            }

            IOperation argument = invocation.Arguments[0].Value;
            List<IntervalStep>? steps = method.Name switch
            {
                "AddDays" when now.Kind == NowKind.Date => IntervalOf(argument, "days", 1m),
                "Add" or "Subtract" when now.Kind == NowKind.Timestamp => TimeSpanSteps(argument, negate: method.Name == "Subtract"),
                _ when now.Kind == NowKind.Timestamp && AddMethods.TryGetValue(method.Name, out var unit) => IntervalOf(argument, unit.Unit, unit.Factor),
                _ => Unsupported<List<IntervalStep>>(invocation, "'" + method.Name + "' is not translated; use AddDays, AddHours, AddMinutes, AddSeconds or a TimeSpan"),
            };
            return steps is null ? null : Time(new NowValue(now.Kind, now.Steps.Concat(steps).ToImmutableEquatableArray()));
        }

        private Operand? TranslateTimeArithmetic(IBinaryOperation binary)
        {
            NowValue? now = NowOf(binary.LeftOperand);
            if (now is null)
            {
                return null;
            }

            List<IntervalStep>? steps = TimeSpanSteps(binary.RightOperand, negate: binary.OperatorKind == BinaryOperatorKind.Subtract);
            return steps is null ? null : Time(new NowValue(now.Kind, now.Steps.Concat(steps).ToImmutableEquatableArray()));
        }

        private NowValue? NowOf(IOperation operation)
        {
            Operand? operand = TranslateOperand(operation);
            if (operand is null)
            {
                return null;
            }

            return operand.Value as NowValue ?? Unsupported<NowValue>(operation, NotNow);
        }

        private List<IntervalStep>? TimeSpanSteps(IOperation operation, bool negate)
        {
            operation = Unwrap(operation);
            if (!(operation is IInvocationOperation { Instance: null } factory)
                || factory.TargetMethod.ContainingType?.ToDisplayString() != "System.TimeSpan"
                || !TimeSpanFactories.TryGetValue(factory.TargetMethod.Name, out int first))
            {
                return Unsupported<List<IntervalStep>>(operation, "the interval must be a TimeSpan.FromDays/FromHours/FromMinutes/FromSeconds of constants");
            }

            var steps = new List<IntervalStep>();
            for (int i = 0; i < factory.Arguments.Length && first + i < TimeSpanUnits.Length; i++)
            {
                (string unit, decimal factor) = TimeSpanUnits[first + i];
                List<IntervalStep>? step = IntervalOf(factory.Arguments[i].Value, unit, negate ? -factor : factor);
                if (step is null)
                {
                    return null;
                }

                steps.AddRange(step);
            }

            return steps;
        }

        private List<IntervalStep>? IntervalOf(IOperation argument, string unit, decimal factor)
        {
            object? value = Unwrap(argument).ConstantValue is { HasValue: true } constant ? constant.Value : null;
            decimal amount;
            try
            {
                amount = value is IConvertible number && !(value is string or bool or char) ? Convert.ToDecimal(number, CultureInfo.InvariantCulture) * factor : throw new FormatException();
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return Unsupported<List<IntervalStep>>(argument, "the interval must be a constant number, so that it is part of the policy");
            }

            return amount == 0m ? new List<IntervalStep>() : new List<IntervalStep> { new IntervalStep((amount / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture), unit) };
        }
    }
}
