using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;
using RlsSchema.Generator.Parsing.Building;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>
    /// Reads the entity's typed policies: static methods marked <c>[Policy]</c> that take the entity and return
    /// <c>bool</c>. The name defaults to the method's name in kebab case; <c>Command</c>, <c>Roles</c> and
    /// <c>Restrictive</c> mean what they mean on a raw policy; the condition becomes <c>USING</c> and, where the command
    /// has one, <c>WITH CHECK</c>.
    /// </summary>
    internal sealed class TypedPolicyReader
    {
        private readonly INamedTypeSymbol _type;
        private readonly Compilation _compilation;
        private readonly Action<DiagnosticDescriptor, LocationInfo?, object?[]> _report;
        private readonly CancellationToken _ct;

        /// <summary>Creates a reader for one entity.</summary>
        /// <param name="type">The entity.</param>
        /// <param name="compilation">The compilation, for the methods' semantic models.</param>
        /// <param name="report">Reports a diagnostic.</param>
        /// <param name="cancellationToken">Cancels reading.</param>
        public TypedPolicyReader(INamedTypeSymbol type, Compilation compilation, Action<DiagnosticDescriptor, LocationInfo?, object?[]> report, CancellationToken cancellationToken)
        {
            _type = type;
            _compilation = compilation;
            _report = report;
            _ct = cancellationToken;
        }

        /// <summary>The policies read, each with where it is declared.</summary>
        public List<BuiltPolicy> Policies { get; } = new List<BuiltPolicy>();

        /// <summary>The membership checks the policies make.</summary>
        public List<MembershipUse> MembershipUses { get; } = new List<MembershipUse>();

        /// <summary>Reads every <c>[Policy]</c> method, in declaration order.</summary>
        public void Read()
        {
            foreach (IMethodSymbol method in _type.GetMembers().OfType<IMethodSymbol>().OrderBy(m => m.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0))
            {
                foreach (AttributeData attribute in AttributeReader.OfType(method, KnownAttributes.Policy))
                {
                    _ct.ThrowIfCancellationRequested();
                    ReadOne(method, attribute);
                }
            }
        }

        private void ReadOne(IMethodSymbol method, AttributeData attribute)
        {
            LocationInfo? methodAt = AttributeReader.ToInfo(method.Locations.FirstOrDefault());
            LocationInfo? at = AttributeReader.LocationOf(attribute, null, -1, methodAt, _ct);
            string name = AttributeReader.PositionalString(attribute, 0) ?? SqlNames.ToSnakeCase(method.Name).Replace('_', '-');
            if (SqlNames.Validate(name) is { } reason)
            {
                Report(DiagnosticDescriptors.InvalidName, AttributeReader.LocationOf(attribute, null, 0, at, _ct), "policy", name, _type.Name, reason);
                return;
            }

            string what = "Policy '" + name + "'";
            foreach (string raw in new[] { nameof(PolicyAttribute.Using), nameof(PolicyAttribute.WithCheck) })
            {
                if (AttributeReader.HasNamed(attribute, raw))
                {
                    Report(DiagnosticDescriptors.InvalidAttributeUsage, AttributeReader.LocationOf(attribute, raw, -1, at, _ct), what, _type.Name,
                        raw + " is for policies written in SQL on the class; on a method the condition is the method's body");
                    return;
                }
            }

            PolicyCommand? command = CommandOf(attribute, what, at);
            List<string>? roles = RolesOf(attribute, what, at);
            if (command is null || roles is null)
            {
                return;
            }

            IOperation? body = BodyOf(method, name, methodAt);
            if (body is null)
            {
                return;
            }

            var translator = new PolicyTranslator(name, _type, method.Parameters[0], _report, _ct);
            PolicyExpression? predicate = translator.Translate(body);
            if (predicate is null)
            {
                return;
            }

            bool restrictive = AttributeReader.Named(attribute, nameof(PolicyAttribute.Restrictive))?.Value is true;
            if (!restrictive && roles.Contains("authenticated") && command != PolicyCommand.Select && predicate is BooleanConstant { Value: true })
            {
                Report(DiagnosticDescriptors.ModifyAlwaysTrue, at, what, _type.Name, command == PolicyCommand.All ? "change" : command.Value.ToString().ToLowerInvariant());
            }

            MembershipUses.AddRange(translator.MembershipUses);
            var model = new PolicyModel
            {
                Name = name,
                Command = command.Value,
                Roles = roles.ToImmutableEquatableArray(),
                Using = command == PolicyCommand.Insert ? null : predicate,
                WithCheck = command is PolicyCommand.Insert or PolicyCommand.Update or PolicyCommand.All ? predicate : null,
                Restrictive = restrictive,
            };
            Policies.Add(new BuiltPolicy(model, at));
        }

        private IOperation? BodyOf(IMethodSymbol method, string name, LocationInfo? at)
        {
            string? problem = null;
            if (!method.IsStatic)
            {
                problem = "is not static";
            }
            else if (method.IsGenericMethod)
            {
                problem = "is generic";
            }
            else if (method.ReturnType.SpecialType != SpecialType.System_Boolean)
            {
                problem = "returns '" + method.ReturnType.ToDisplayString() + "'";
            }
            else if (method.Parameters.Length != 1 || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, _type) || method.Parameters[0].RefKind != RefKind.None)
            {
                problem = "takes " + (method.Parameters.Length == 1 ? "'" + method.Parameters[0].Type.ToDisplayString() + "'" : method.Parameters.Length + " parameters");
            }

            ExpressionSyntax? expression = null;
            MethodDeclarationSyntax? syntax = null;
            foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(_ct) is MethodDeclarationSyntax declaration && (declaration.Body is not null || declaration.ExpressionBody is not null))
                {
                    syntax = declaration;
                    expression = declaration.ExpressionBody?.Expression
                        ?? (declaration.Body!.Statements.Count == 1 && declaration.Body.Statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);
                }
            }

            if (problem is null && expression is null)
            {
                problem = syntax is null ? "has no body" : "has statements besides one return";
            }

            if (problem is not null || expression is null)
            {
                Report(RelationshipDiagnosticDescriptors.InvalidPolicyMethod, at, name, _type.Name, problem);
                return null;
            }

            // C# gives a parenthesized expression no operation of its own: ask for the one inside.
            while (expression is ParenthesizedExpressionSyntax parenthesized)
            {
                expression = parenthesized.Expression;
            }

            IOperation? operation = _compilation.GetSemanticModel(expression.SyntaxTree).GetOperation(expression, _ct);
            if (operation is null)
            {
                Report(RelationshipDiagnosticDescriptors.InvalidPolicyMethod, at, name, _type.Name, "has a body that does not compile");
            }

            return operation;
        }

        private PolicyCommand? CommandOf(AttributeData attribute, string what, LocationInfo? at)
        {
            if (!(AttributeReader.Named(attribute, nameof(PolicyAttribute.Command))?.Value is int value))
            {
                return PolicyCommand.All;
            }

            if (!Enum.IsDefined(typeof(PolicyCommand), value))
            {
                Report(DiagnosticDescriptors.InvalidAttributeUsage, AttributeReader.LocationOf(attribute, nameof(PolicyAttribute.Command), -1, at, _ct), what, _type.Name, "Command " + value + " is not a " + nameof(PolicyCommand));
                return null;
            }

            return (PolicyCommand)value;
        }

        private List<string>? RolesOf(AttributeData attribute, string what, LocationInfo? at)
        {
            LocationInfo? rolesAt = AttributeReader.LocationOf(attribute, nameof(PolicyAttribute.Roles), -1, at, _ct);
            var roles = (AttributeReader.NamedString(attribute, nameof(PolicyAttribute.Roles)) ?? "").Split(',').Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (roles.Count == 0)
            {
                Report(DiagnosticDescriptors.MissingRole, rolesAt, what, _type.Name);
                return null;
            }

            bool valid = true;
            foreach (string role in roles.Where(r => !SqlNames.IsValidRoleName(r)))
            {
                Report(DiagnosticDescriptors.InvalidRoleName, rolesAt, role, _type.Name);
                valid = false;
            }

            return valid ? roles : null;
        }

        private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] args) => _report(descriptor, location, args);
    }
}
