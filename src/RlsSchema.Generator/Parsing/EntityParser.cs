using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.Building;
using RlsSchema.Generator.Parsing.Checks;
using RlsSchema.Generator.Parsing.Configuration;
using RlsSchema.Generator.Parsing.TypedPolicies;
using RlsSchema.Generator.Parsing.Relationships;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>
    /// Turns one entity class into an <see cref="EntityResult"/>: reads each attribute's configuration, hands it to the
    /// builder of its part of the model, and runs the checks on the whole. It decides nothing itself.
    /// </summary>
    /// <remarks>
    /// A class is an entity when it carries <c>[CrudPolicy]</c>, <c>[Policy]</c>, <c>[ForceRowLevelSecurity]</c>,
    /// <c>[Membership]</c>, a class-level <c>[Check]</c> or <c>[Index]</c>, or a typed policy (<c>[Policy]</c> on a method). <c>[Table]</c> alone does not
    /// make an entity, so classes that only Entity Framework maps are left alone.
    /// </remarks>
    internal static class EntityParser
    {
        /// <summary>Parses the class a marker attribute stands on, unless a higher-priority marker's branch parses it.</summary>
        /// <param name="context">The attribute match.</param>
        /// <param name="markerIndex">The index of the matched attribute in <see cref="KnownAttributes.EntityMarkers"/>.</param>
        /// <param name="cancellationToken">Cancels parsing.</param>
        /// <returns>The result, or null when another branch owns the class.</returns>
        public static EntityResult? Parse(GeneratorAttributeSyntaxContext context, int markerIndex, CancellationToken cancellationToken)
        {
            // A typed policy marks its method's class.
            INamedTypeSymbol? type = context.TargetSymbol as INamedTypeSymbol ?? (context.TargetSymbol as IMethodSymbol)?.ContainingType;
            if (type is null)
            {
                return null;
            }

            for (int i = 0; i < markerIndex; i++)
            {
                if (AttributeReader.Has(type, KnownAttributes.EntityMarkers[i]))
                {
                    return null;
                }
            }

            string fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            SyntaxNode typeNode = context.TargetNode is MethodDeclarationSyntax { Parent: TypeDeclarationSyntax parent } ? parent : context.TargetNode;
            LocationInfo? classLocation = typeNode is BaseTypeDeclarationSyntax declaration
                ? AttributeReader.ToInfo(declaration.Identifier.GetLocation())
                : AttributeReader.ToInfo(typeNode.GetLocation());
            try
            {
                return Parse(new ParseContext(type, classLocation, cancellationToken), fullName, context.SemanticModel.Compilation);
            }
            catch (Exception exception) when (!(exception is OperationCanceledException))
            {
                var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableDeclaration.Id, classLocation, type.Name, exception.GetType().Name + ": " + exception.Message);
                return new EntityResult(null, fullName, null, null, new[] { diagnostic }.ToImmutableEquatableArray());
            }
        }

        private static EntityResult Parse(ParseContext context, string fullName, Compilation compilation)
        {
            INamedTypeSymbol type = context.Type;
            EntityChecks.Shape(context);

            TableConfiguration table = TableConfiguration.From(context);
            string tableName = table.Name ?? SqlNames.ToSnakeCase(context.Name);
            SqlInputChecks.Name(context, "table", table.NameIsNull ? null : tableName, table.Location);
            if (table.Schema is not null)
            {
                SqlInputChecks.Name(context, "schema", table.Schema, table.SchemaLocation);
            }

            IReadOnlyList<MappedProperty> properties = PropertyCollector.Collect(context);
            var columns = new List<MappedColumn>();
            foreach (MappedProperty property in properties)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (NavigationKind.Classify(property.Symbol, out _) != PropertyRole.Column)
                {
                    continue;
                }

                if (ColumnBuilder.Build(context, property) is { } column)
                {
                    columns.Add(column);
                }
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            EntityChecks.DuplicateColumns(context, columns);
            EntityChecks.Key(context, columns);
            void Report(DiagnosticDescriptor descriptor, LocationInfo? location, object?[] arguments) => context.Report(descriptor, location, arguments);
            ColumnModel? ColumnOf(string property) => columns.FirstOrDefault(c => c.Symbol.Name == property)?.Column;
            var relationships = new RelationshipReader(type, ColumnOf, Report, context.CancellationToken);
            relationships.Read(properties.Select(p => p.Symbol));

            var policies = new List<BuiltPolicy>();
            var owners = new List<OwnerModel>();
            var tenants = new List<MappedColumn>();
            var membershipUses = new List<MembershipUse>();
            foreach (AttributeData crud in AttributeReader.OfType(type, KnownAttributes.CrudPolicy))
            {
                if (CrudPolicyBuilder.Build(context, CrudPolicyConfiguration.From(context, crud), columns, policies, tenants, membershipUses) is { } owner)
                {
                    owners.Add(owner);
                }
            }

            foreach (AttributeData policy in AttributeReader.OfType(type, KnownAttributes.Policy))
            {
                PolicyBuilder.Build(context, PolicyConfiguration.From(context, policy), policies);
            }

            var typedPolicies = new TypedPolicyReader(type, compilation, Report, context.CancellationToken);
            typedPolicies.Read();
            policies.AddRange(typedPolicies.Policies);
            membershipUses.AddRange(typedPolicies.MembershipUses);
            EntityChecks.Policies(context, tableName, policies);
            MembershipModel? membership = MembershipReader.Read(type, ColumnOf, context.ClassLocation, Report, context.CancellationToken, out LocationInfo? membershipAt);

            var indexes = new IndexBuilder(context, tableName);
            owners.ForEach(indexes.AddOwner);
            tenants.ForEach(t => indexes.AddLeading(t.Column.ColumnName));
            foreach (MappedColumn column in columns)
            {
                foreach (AttributeData index in AttributeReader.OfType(column.Symbol, KnownAttributes.Index))
                {
                    indexes.AddForProperty(IndexConfiguration.From(context, index, column.Location), column);
                }
            }

            foreach (AttributeData index in AttributeReader.OfType(type, KnownAttributes.Index))
            {
                indexes.AddForClass(IndexConfiguration.From(context, index, context.ClassLocation), columns);
            }

            foreach (AttributeData index in AttributeReader.OfType(type, KnownAttributes.EfIndex))
            {
                indexes.AddForClass(IndexConfiguration.FromEfCore(context, index), columns);
            }

            var tableChecks = new List<CheckModel>();
            foreach (AttributeData check in AttributeReader.OfType(type, KnownAttributes.Check))
            {
                if (CheckBuilder.Build(context, CheckConfiguration.From(context, check), "[Check] on class '" + context.Name + "'") is { } model)
                {
                    tableChecks.Add(model);
                }
            }

            foreach (ForeignKeyModel foreignKey in relationships.ForeignKeys)
            {
                if (foreignKey.PropertyNames.Count > 1)
                {
                    indexes.AddLeading(foreignKey.PropertyNames.Select(p => ColumnOf(p)!.ColumnName).ToList(),
                        columns.Where(c => c.Column.IsKey).OrderBy(c => c.Column.KeyOrder).Select(c => c.Column.ColumnName).ToList());
                }
                else if (ColumnOf(foreignKey.PropertyName) is { IsKey: false } column)
                {
                    indexes.AddLeading(column.ColumnName);
                }
            }

            PolicyIndexCheck.Run(context, policies, columns, indexes.Indexes);
            var rawReads = new List<RawTableRead>();
            var columnNames = new HashSet<string>(columns.Select(c => c.Column.ColumnName), StringComparer.Ordinal);
            foreach (BuiltPolicy built in policies)
            {
                foreach (SqlPolicyExpression sql in new[] { built.Policy.Using, built.Policy.WithCheck }.OfType<SqlPolicyExpression>().Distinct())
                {
                    foreach (string column in RawSqlReferences.UnqualifiedInSubqueries(sql.Sql, columnNames))
                    {
                        context.Report(RelationshipDiagnosticDescriptors.UnqualifiedSubqueryColumn, built.Location, "Policy '" + built.Policy.Name + "'", context.Name, column, SqlNames.Validate(tableName) is null ? tableName : "<table>");
                    }

                    rawReads.AddRange(RawSqlReferences.Tables(sql.Sql).Select(t => new RawTableRead(t, built.Policy.Name, built.Location)));
                }
            }
            AttributeData? tableComment = AttributeReader.OfType(type, KnownAttributes.EfComment).FirstOrDefault();
            string? comment = tableComment is null ? null
                : CommentChecks.Text(context, AttributeReader.PositionalString(tableComment, 0), context.LocationOf(tableComment, null, 0, context.ClassLocation), "[Comment] on class '" + context.Name + "'");

            string qualifiedTable = (table.Schema ?? "public") + "." + tableName;
            var uses = membershipUses.ToImmutableEquatableArray();
            if (context.HasErrors)
            {
                return new EntityResult(null, fullName, qualifiedTable, table.Location, context.Diagnostics) { MembershipUses = uses, MembershipLocation = membershipAt, RawTableReads = rawReads.ToImmutableEquatableArray() };
            }

            var entity = new EntityModel
            {
                Namespace = type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
                ClassName = context.Name,
                FullyQualifiedName = fullName,
                Accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                Schema = table.Schema,
                TableName = tableName,
                Columns = columns.Select(c => c.Column).ToImmutableEquatableArray(),
                TableChecks = tableChecks.ToImmutableEquatableArray(),
                Policies = policies.Select(p => p.Policy).ToImmutableEquatableArray(),
                Indexes = indexes.Indexes,
                ForceRowLevelSecurity = AttributeReader.Has(type, KnownAttributes.ForceRowLevelSecurity),
                Owner = owners.FirstOrDefault(),
                ForeignKeys = relationships.ForeignKeys.ToImmutableEquatableArray(),
                Collections = relationships.Collections.ToImmutableEquatableArray(),
                Membership = membership,
                Comment = comment,
            };
            return new EntityResult(entity, fullName, qualifiedTable, table.Location, context.Diagnostics) { MembershipUses = uses, MembershipLocation = membershipAt, RawTableReads = rawReads.ToImmutableEquatableArray() };
        }
    }
}
