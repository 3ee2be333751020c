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

namespace RlsSchema.Generator.Parsing
{
    /// <summary>
    /// Turns one entity class into an <see cref="EntityResult"/>: reads each attribute's configuration, hands it to the
    /// builder of its part of the model, and runs the checks on the whole. It decides nothing itself.
    /// </summary>
    /// <remarks>
    /// A class is an entity when it carries <c>[CrudPolicy]</c>, <c>[Policy]</c>, <c>[ForceRowLevelSecurity]</c>, or a
    /// class-level <c>[Check]</c> or <c>[Index]</c>: one of RlsSchema's own class attributes. <c>[Table]</c> alone does not
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
            if (!(context.TargetSymbol is INamedTypeSymbol type))
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
            LocationInfo? classLocation = context.TargetNode is BaseTypeDeclarationSyntax declaration
                ? AttributeReader.ToInfo(declaration.Identifier.GetLocation())
                : AttributeReader.ToInfo(context.TargetNode.GetLocation());
            try
            {
                return Parse(new ParseContext(type, classLocation, cancellationToken), fullName);
            }
            catch (Exception exception) when (!(exception is OperationCanceledException))
            {
                var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableDeclaration.Id, classLocation, type.Name, exception.GetType().Name + ": " + exception.Message);
                return new EntityResult(null, fullName, null, null, new[] { diagnostic }.ToImmutableEquatableArray());
            }
        }

        private static EntityResult Parse(ParseContext context, string fullName)
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

            var columns = new List<MappedColumn>();
            foreach (MappedProperty property in PropertyCollector.Collect(context))
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (ColumnBuilder.Build(context, property) is { } column)
                {
                    columns.Add(column);
                }
            }

            context.CancellationToken.ThrowIfCancellationRequested();
            EntityChecks.DuplicateColumns(context, columns);
            EntityChecks.Key(context, columns);

            var policies = new List<BuiltPolicy>();
            var owners = new List<OwnerModel>();
            foreach (AttributeData crud in AttributeReader.OfType(type, KnownAttributes.CrudPolicy))
            {
                if (CrudPolicyBuilder.Build(context, CrudPolicyConfiguration.From(context, crud), columns, policies) is { } owner)
                {
                    owners.Add(owner);
                }
            }

            foreach (AttributeData policy in AttributeReader.OfType(type, KnownAttributes.Policy))
            {
                PolicyBuilder.Build(context, PolicyConfiguration.From(context, policy), policies);
            }

            EntityChecks.Policies(context, tableName, policies);

            var indexes = new IndexBuilder(context, tableName);
            owners.ForEach(indexes.AddOwner);
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

            AttributeData? tableComment = AttributeReader.OfType(type, KnownAttributes.EfComment).FirstOrDefault();
            string? comment = tableComment is null ? null
                : CommentChecks.Text(context, AttributeReader.PositionalString(tableComment, 0), context.LocationOf(tableComment, null, 0, context.ClassLocation), "[Comment] on class '" + context.Name + "'");

            string qualifiedTable = (table.Schema ?? "public") + "." + tableName;
            if (context.HasErrors)
            {
                return new EntityResult(null, fullName, qualifiedTable, table.Location, context.Diagnostics);
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
                Comment = comment,
            };
            return new EntityResult(entity, fullName, qualifiedTable, table.Location, context.Diagnostics);
        }
    }
}
