using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>Reads <c>[Membership(Tenant = ..., Member = ..., Role = ...)]</c>: which columns say who belongs to which tenant.</summary>
    internal static class MembershipReader
    {
        /// <summary>Reads the attribute, when the entity carries it.</summary>
        /// <param name="type">The entity.</param>
        /// <param name="columnOf">The column a property maps to, by property name.</param>
        /// <param name="classLocation">Where the class is declared.</param>
        /// <param name="report">Reports a diagnostic.</param>
        /// <param name="cancellationToken">Cancels syntax lookups.</param>
        /// <param name="location">Where the attribute is written.</param>
        /// <returns>The membership, or null when the entity has none or it is invalid (reported).</returns>
        public static MembershipModel? Read(
            INamedTypeSymbol type,
            Func<string, ColumnModel?> columnOf,
            LocationInfo? classLocation,
            Action<DiagnosticDescriptor, LocationInfo?, object?[]> report,
            CancellationToken cancellationToken,
            out LocationInfo? location)
        {
            location = null;
            AttributeData? attribute = AttributeReader.OfType(type, KnownAttributes.Membership).FirstOrDefault();
            if (attribute is null)
            {
                return null;
            }

            location = AttributeReader.LocationOf(attribute, null, -1, classLocation, cancellationToken);
            if (AttributeReader.Has(type, KnownAttributes.ForceRowLevelSecurity))
            {
                report(RelationshipDiagnosticDescriptors.ForcedMembership, location, new object?[] { type.Name });
                return null;
            }

            var problems = new List<string>();
            ColumnModel? Column(string part, bool required, params string[] types)
            {
                string? name = AttributeReader.NamedString(attribute, part);
                if (name is null || name.Length == 0)
                {
                    if (required)
                    {
                        problems.Add("set " + part + " = nameof(<property>)");
                    }

                    return null;
                }

                ColumnModel? column = columnOf(name);
                if (column is null)
                {
                    problems.Add(part + " names '" + name + "', which is not a mapped property");
                }
                else if (types.Length > 0 && !types.Contains(column.CastType))
                {
                    problems.Add(part + " '" + name + "' is " + column.CastType + " but must be " + string.Join(" or ", types));
                }

                return column;
            }

            ColumnModel? tenant = Column("Tenant", true);
            ColumnModel? member = Column("Member", true, "text", "uuid");
            ColumnModel? role = Column("Role", false, "text");
            if (problems.Count > 0 || tenant is null || member is null)
            {
                report(RelationshipDiagnosticDescriptors.InvalidMembership, location,
                    new object?[] { "[Membership] on '" + type.Name + "': " + string.Join("; ", problems) });
                return null;
            }

            return new MembershipModel { TenantProperty = tenant.PropertyName, MemberProperty = member.PropertyName, RoleProperty = role?.PropertyName };
        }
    }
}
