using System;
using System.Collections.Generic;
using System.Linq;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.Checks;
using RlsSchema.Generator.Parsing.Configuration;

namespace RlsSchema.Generator.Parsing.Building
{
    /// <summary>Turns one raw <c>[Policy]</c> into a policy, refusing what PostgreSQL would refuse or misread.</summary>
    internal static class PolicyBuilder
    {
        /// <param name="context">The entity being parsed.</param>
        /// <param name="policy">What the attribute says.</param>
        /// <param name="policies">Receives the policy unless it is refused.</param>
        public static void Build(ParseContext context, PolicyConfiguration policy, List<BuiltPolicy> policies)
        {
            if (!SqlInputChecks.Name(context, "policy", policy.Name, policy.NameLocation))
            {
                return;
            }

            string name = policy.Name!;
            string what = "Policy '" + name + "'";
            PolicyCommand command = PolicyCommand.All;
            if (policy.Command is int value)
            {
                if (!Enum.IsDefined(typeof(PolicyCommand), value))
                {
                    context.Report(DiagnosticDescriptors.InvalidAttributeUsage, policy.CommandLocation, what, context.Name, "Command " + value + " is not a " + nameof(PolicyCommand));
                    return;
                }

                command = (PolicyCommand)value;
            }

            var roles = (policy.Roles.Value ?? "").Split(',').Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (roles.Count == 0)
            {
                context.Report(DiagnosticDescriptors.MissingRole, policy.Roles.Location, what, context.Name);
                return;
            }

            bool rolesValid = true;
            foreach (string role in roles.Where(r => !SqlNames.IsValidRoleName(r)))
            {
                context.Report(DiagnosticDescriptors.InvalidRoleName, policy.Roles.Location, role, context.Name);
                rolesValid = false;
            }

            string? usingSql = Clause(context, policy.Using, nameof(PolicyAttribute.Using), what);
            string? withCheck = Clause(context, policy.WithCheck, nameof(PolicyAttribute.WithCheck), what);
            if (!policy.Using.Given && !policy.WithCheck.Given)
            {
                context.Report(DiagnosticDescriptors.EmptyExpression, policy.Location, what, context.Name, "Using and WithCheck");
                return;
            }

            string commandText = command.ToString().ToUpperInvariant();
            if (command == PolicyCommand.Insert && policy.Using.Value is not null)
            {
                context.Report(DiagnosticDescriptors.ClauseNotAllowed, policy.Using.Location, name, context.Name, commandText, "USING");
            }

            if ((command == PolicyCommand.Select || command == PolicyCommand.Delete) && policy.WithCheck.Value is not null)
            {
                context.Report(DiagnosticDescriptors.ClauseNotAllowed, policy.WithCheck.Location, name, context.Name, commandText, "WITH CHECK");
            }

            if (!policy.Restrictive && roles.Contains("authenticated") && command != PolicyCommand.Select
                && (SqlFragmentValidator.IsAlwaysTrue(withCheck) || (command != PolicyCommand.Insert && SqlFragmentValidator.IsAlwaysTrue(usingSql))))
            {
                context.Report(DiagnosticDescriptors.ModifyAlwaysTrue, policy.Location, what, context.Name, command == PolicyCommand.All ? "change" : command.ToString().ToLowerInvariant());
            }

            if (rolesValid && (usingSql is not null || withCheck is not null))
            {
                var model = new PolicyModel
                {
                    Name = name,
                    Command = command,
                    Roles = roles.ToImmutableEquatableArray(),
                    Using = usingSql is null ? null : new SqlPolicyExpression(usingSql),
                    WithCheck = withCheck is null ? null : new SqlPolicyExpression(withCheck),
                    Restrictive = policy.Restrictive,
                };
                policies.Add(new BuiltPolicy(model, policy.Location));
            }
        }

        private static string? Clause(ParseContext context, NamedArgument clause, string clauseName, string what)
        {
            if (!clause.Given)
            {
                return null;
            }

            if (clause.Value is null || clause.Value.Trim().Length == 0)
            {
                context.Report(DiagnosticDescriptors.EmptyExpression, clause.Location, what, context.Name, clauseName);
                return null;
            }

            return SqlInputChecks.Fragment(context, clause.Value, what + " (" + clauseName + ")", clause.Location, warnPerRow: true);
        }
    }
}
