using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RlsSchema.Generator.Diagnostics;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Parsing.Policies;
using RlsSchema.Generator.Parsing.Relationships;

namespace RlsSchema.Generator.Parsing
{
    /// <summary>
    /// Turns one entity class into an <see cref="EntityResult"/>.
    /// </summary>
    /// <remarks>
    /// A class is an entity when it carries <c>[CrudPolicy]</c>, <c>[Policy]</c>, <c>[ForceRowLevelSecurity]</c>, or a
    /// class-level <c>[Check]</c> or <c>[Index]</c>: one of RlsSchema's own class attributes. <c>[Table]</c> alone does not
    /// make an entity, so classes that only Entity Framework maps are left alone. Mapped properties are the public,
    /// non-static, non-indexer properties with a getter and a setter, base classes first, minus <c>[NotMapped]</c>. The key
    /// is the <c>[Key]</c> property, else a property named <c>Id</c> or <c>&lt;Class&gt;Id</c>.
    /// </remarks>
    public static class EntityParser
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
            SyntaxNode typeNode = context.TargetNode is MethodDeclarationSyntax method && method.Parent is TypeDeclarationSyntax parent ? parent : context.TargetNode;
            LocationInfo? classLocation = typeNode is BaseTypeDeclarationSyntax declaration
                ? AttributeReader.ToInfo(declaration.Identifier.GetLocation())
                : AttributeReader.ToInfo(typeNode.GetLocation());
            try
            {
                return new Parser(type, fullName, classLocation, context.SemanticModel.Compilation, cancellationToken).Run();
            }
            catch (Exception exception) when (!(exception is OperationCanceledException))
            {
                var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.UnreadableDeclaration.Id, classLocation, type.Name, exception.GetType().Name + ": " + exception.Message);
                return new EntityResult(null, fullName, null, null, new[] { diagnostic }.ToImmutableEquatableArray());
            }
        }

        private sealed class PropertyInfo
        {
            public PropertyInfo(IPropertySymbol symbol, ColumnModel column, LocationInfo? location)
            {
                Symbol = symbol;
                Column = column;
                Location = location;
            }

            public IPropertySymbol Symbol { get; }

            public ColumnModel Column { get; set; }

            public LocationInfo? Location { get; }
        }

        private sealed class PolicySource
        {
            public PolicySource(PolicyModel policy, LocationInfo? location)
            {
                Policy = policy;
                Location = location;
            }

            public PolicyModel Policy { get; }

            public LocationInfo? Location { get; }
        }

        private sealed class Parser
        {
            private readonly INamedTypeSymbol _type;
            private readonly string _fullName;
            private readonly LocationInfo? _classLocation;
            private readonly CancellationToken _ct;
            private readonly Compilation _compilation;
            private readonly List<DiagnosticInfo> _diagnostics = new List<DiagnosticInfo>();
            private string _tableName = "";
            private readonly List<MembershipUse> _crudMembershipUses = new List<MembershipUse>();

            public Parser(INamedTypeSymbol type, string fullName, LocationInfo? classLocation, Compilation compilation, CancellationToken cancellationToken)
            {
                _type = type;
                _compilation = compilation;
                _fullName = fullName;
                _classLocation = classLocation;
                _ct = cancellationToken;
            }

            private string Name => _type.Name;

            public EntityResult Run()
            {
                CheckShape();

                AttributeData? table = AttributeReader.OfType(_type, KnownAttributes.Table).FirstOrDefault();
                string? explicitTable = table is null ? null : AttributeReader.PositionalString(table, 0);
                string? schema = table is null ? null : AttributeReader.NamedString(table, "Schema");
                LocationInfo? tableLocation = table is null ? _classLocation : AttributeReader.LocationOf(table, null, 0, _classLocation, _ct);
                _tableName = explicitTable ?? SqlNames.ToSnakeCase(Name);
                ValidateName("table", table is not null && AttributeReader.Positional(table, 0) is { } given && given.Value is null ? null : _tableName, tableLocation);
                if (schema is not null)
                {
                    ValidateName("schema", schema, table is null ? null : AttributeReader.LocationOf(table, "Schema", -1, tableLocation, _ct));
                }

                List<PropertyInfo> properties = ReadProperties();
                _ct.ThrowIfCancellationRequested();
                CheckDuplicateColumns(properties);
                CheckKey(properties);
                var relationships = new RelationshipReader(_type, n => properties.FirstOrDefault(p => p.Symbol.Name == n)?.Column, (d, l, a) => Report(d, l, a), _ct);
                relationships.Read(EntityDetector.MappableProperties(_type));

                var indexes = new List<IndexModel>();
                var policies = new List<PolicySource>();
                string? ownerColumn = null;
                bool ownerIsUuid = false;
                foreach (AttributeData crud in AttributeReader.OfType(_type, KnownAttributes.CrudPolicy))
                {
                    ReadCrudPolicy(crud, properties, policies, indexes, ref ownerColumn, ref ownerIsUuid);
                }

                foreach (AttributeData policy in AttributeReader.OfType(_type, KnownAttributes.Policy))
                {
                    ReadPolicy(policy, policies);
                }

                var typedPolicies = new TypedPolicyReader(_type, _compilation, (d, l, a) => Report(d, l, a), _ct);
                typedPolicies.Read();
                policies.AddRange(typedPolicies.Policies.Select(p => new PolicySource(p.Key, p.Value)));
                CheckPolicySet(policies);
                MembershipModel? membership = MembershipReader.Read(_type, n => properties.FirstOrDefault(p => p.Symbol.Name == n)?.Column, _classLocation, (d, l, a) => Report(d, l, a), _ct, out LocationInfo? membershipAt);
                var membershipUses = typedPolicies.MembershipUses.Concat(_crudMembershipUses).ToImmutableEquatableArray();

                foreach (PropertyInfo property in properties)
                {
                    foreach (AttributeData index in AttributeReader.OfType(property.Symbol, KnownAttributes.Index))
                    {
                        ReadPropertyIndex(index, property, indexes);
                    }
                }

                foreach (AttributeData index in AttributeReader.OfType(_type, KnownAttributes.Index))
                {
                    ReadClassIndex(index, properties, indexes);
                }

                ForeignKeyIndexes.Complete(_tableName, relationships.ForeignKeys, properties.Select(p => p.Column).ToList(), indexes);
                var tableChecks = new List<CheckModel>();
                foreach (AttributeData check in AttributeReader.OfType(_type, KnownAttributes.Check))
                {
                    if (ReadCheck(check, "[Check] on class '" + Name + "'") is { } model)
                    {
                        tableChecks.Add(model);
                    }
                }

                bool force = AttributeReader.Has(_type, KnownAttributes.ForceRowLevelSecurity);
                string qualifiedTable = (schema ?? "public") + "." + _tableName;
                var diagnostics = _diagnostics.ToImmutableEquatableArray();
                if (_diagnostics.Any(d => DiagnosticDescriptors.All[d.DescriptorId].DefaultSeverity == DiagnosticSeverity.Error))
                {
                    return new EntityResult(null, _fullName, qualifiedTable, tableLocation, diagnostics) { MembershipUses = membershipUses, MembershipLocation = membershipAt };
                }

                string ns = _type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
                var entity = new EntityModel(
                    ns,
                    Name,
                    _fullName,
                    _type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                    schema,
                    _tableName,
                    properties.Select(p => p.Column).ToImmutableEquatableArray(),
                    tableChecks.ToImmutableEquatableArray(),
                    policies.Select(p => p.Policy).ToImmutableEquatableArray(),
                    indexes.ToImmutableEquatableArray(),
                    force,
                    ownerColumn,
                    ownerIsUuid)
                {
                    ForeignKeys = relationships.ForeignKeys.ToImmutableEquatableArray(),
                    Collections = relationships.Collections.ToImmutableEquatableArray(),
                    Membership = membership,
                };
                return new EntityResult(entity, _fullName, qualifiedTable, tableLocation, diagnostics) { MembershipUses = membershipUses, MembershipLocation = membershipAt };
            }

            private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params object?[] args) =>
                _diagnostics.Add(DiagnosticInfo.Create(descriptor.Id, location ?? _classLocation, args));

            private void CheckShape()
            {
                string? problem = null;
                if (_type.TypeKind != TypeKind.Class)
                {
                    problem = "a " + _type.TypeKind.ToString().ToLowerInvariant() + ", not a class";
                }
                else if (_type.IsGenericType)
                {
                    problem = "generic";
                }
                else if (_type.ContainingType is not null)
                {
                    problem = "nested in '" + _type.ContainingType.Name + "'";
                }
                else if (_type.IsStatic)
                {
                    problem = "static";
                }
                else if (_type.IsAbstract)
                {
                    problem = "abstract";
                }
                else if (_type.DeclaredAccessibility != Accessibility.Public && _type.DeclaredAccessibility != Accessibility.Internal)
                {
                    problem = "neither public nor internal";
                }

                if (problem is not null)
                {
                    Report(DiagnosticDescriptors.UnsupportedEntityShape, _classLocation, Name, problem);
                }
            }

            private void ValidateName(string kind, string? name, LocationInfo? location)
            {
                if (SqlNames.Validate(name) is { } reason)
                {
                    Report(DiagnosticDescriptors.InvalidName, location, kind, name ?? "", Name, reason);
                }
            }

            private string? ValidateFragment(string sql, string what, LocationInfo? location, bool warnPerRow)
            {
                if (SqlFragmentValidator.Validate(sql, out string code) is { } reason)
                {
                    Report(DiagnosticDescriptors.UnsafeSql, location, what, Name, reason);
                    return null;
                }

                if (warnPerRow && SqlFragmentValidator.FindPerRowAuthCall(code) is { } call)
                {
                    Report(DiagnosticDescriptors.PerRowAuthCall, location, what, Name, call);
                }

                return sql.Trim();
            }

            private List<PropertyInfo> ReadProperties()
            {
                var chain = new List<INamedTypeSymbol>();
                for (INamedTypeSymbol? t = _type; t is not null && t.SpecialType != SpecialType.System_Object && t.TypeKind != TypeKind.Error; t = t.BaseType)
                {
                    if (chain.Contains(t, SymbolEqualityComparer.Default))
                    {
                        break;
                    }

                    chain.Insert(0, t);
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                var candidates = new List<IPropertySymbol>();
                for (int i = chain.Count - 1; i >= 0; i--)
                {
                    foreach (IPropertySymbol property in chain[i].GetMembers().OfType<IPropertySymbol>())
                    {
                        if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                            || property.GetMethod is null || property.SetMethod is null || !seen.Add(property.Name))
                        {
                            continue;
                        }

                        candidates.Add(property);
                    }
                }

                // Base classes first, each class in declaration order.
                candidates = candidates
                    .OrderBy(p => chain.IndexOf(p.ContainingType))
                    .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
                    .ToList();

                var explicitKeys = candidates.Where(p => AttributeReader.Has(p, KnownAttributes.Key) && !AttributeReader.Has(p, KnownAttributes.NotMapped)).ToList();
                IPropertySymbol? conventionalKey = explicitKeys.Count > 0 ? null
                    : candidates.FirstOrDefault(p => p.Name == "Id" && !AttributeReader.Has(p, KnownAttributes.NotMapped))
                    ?? candidates.FirstOrDefault(p => p.Name == Name + "Id" && !AttributeReader.Has(p, KnownAttributes.NotMapped));

                var result = new List<PropertyInfo>();
                foreach (IPropertySymbol property in candidates)
                {
                    _ct.ThrowIfCancellationRequested();
                    if (AttributeReader.Has(property, KnownAttributes.NotMapped) || NavigationKind.Classify(property, out _) != PropertyRole.Column)
                    {
                        continue;
                    }

                    bool isKey = explicitKeys.Contains(property, SymbolEqualityComparer.Default) || SymbolEqualityComparer.Default.Equals(property, conventionalKey);
                    if (ReadColumn(property, isKey) is { } info)
                    {
                        result.Add(info);
                    }
                }

                return result;
            }

            private PropertyInfo? ReadColumn(IPropertySymbol property, bool isKey)
            {
                LocationInfo? location = AttributeReader.ToInfo(property.Locations.FirstOrDefault());
                ITypeSymbol type = property.Type;
                bool nullable;
                ITypeSymbol underlying = type;
                if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableType && nullableType.TypeArguments.Length == 1)
                {
                    underlying = nullableType.TypeArguments[0];
                    nullable = true;
                }
                else
                {
                    nullable = type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated;
                }

                int? maxLength = null;
                if (AttributeReader.OfType(property, KnownAttributes.MaxLength).FirstOrDefault() is { } maxLengthAttribute
                    && AttributeReader.Positional(maxLengthAttribute, 0)?.Value is int length)
                {
                    if (length <= 0)
                    {
                        Report(DiagnosticDescriptors.InvalidAttributeUsage, AttributeReader.LocationOf(maxLengthAttribute, null, 0, location, _ct), "[MaxLength]", Name + "." + property.Name, "the length must be positive");
                    }
                    else
                    {
                        maxLength = length;
                    }
                }

                if (type.TypeKind == TypeKind.Error || underlying.TypeKind == TypeKind.Error)
                {
                    return null;
                }

                string? sqlType = TypeMapper.Map(underlying, maxLength);
                AttributeData? column = AttributeReader.OfType(property, KnownAttributes.Column).FirstOrDefault();
                string? typeName = column is null ? null : AttributeReader.NamedString(column, "TypeName");
                if (typeName is not null && column is not null)
                {
                    sqlType = ValidateFragment(typeName, "[Column(TypeName)] of '" + property.Name + "'", AttributeReader.LocationOf(column, "TypeName", -1, location, _ct), warnPerRow: false) ?? sqlType;
                }

                if (sqlType is null)
                {
                    Report(DiagnosticDescriptors.UnmappableType, location, Name, property.Name, type.ToDisplayString());
                    return null;
                }

                string columnName = (column is null ? null : AttributeReader.PositionalString(column, 0)) ?? SqlNames.ToSnakeCase(property.Name);
                ValidateName("column", columnName, column is null ? location : AttributeReader.LocationOf(column, null, 0, location, _ct));

                if (AttributeReader.Has(property, KnownAttributes.Required) || isKey)
                {
                    nullable = false;
                }

                string? defaultSql = null;
                bool serverDefault = false;
                if (AttributeReader.OfType(property, KnownAttributes.DefaultSql).FirstOrDefault() is { } defaultAttribute)
                {
                    string? value = AttributeReader.PositionalString(defaultAttribute, 0);
                    LocationInfo? at = AttributeReader.LocationOf(defaultAttribute, null, 0, location, _ct);
                    if (value is null || value.Trim().Length == 0)
                    {
                        Report(DiagnosticDescriptors.InvalidAttributeUsage, at, "[DefaultSql]", Name + "." + property.Name, "the default expression is empty");
                    }
                    else
                    {
                        defaultSql = ValidateFragment(value, "[DefaultSql] of '" + property.Name + "'", at, warnPerRow: false);
                        serverDefault = defaultSql is not null;
                    }
                }

                ValueGeneration generation = ValueGeneration.None;
                int? generatedOption = null;
                if (AttributeReader.OfType(property, KnownAttributes.DatabaseGenerated).FirstOrDefault() is { } generated)
                {
                    generatedOption = AttributeReader.Positional(generated, 0)?.Value as int?;
                    if (generatedOption == 1 && !TypeMapper.IsIdentityCapable(underlying))
                    {
                        Report(DiagnosticDescriptors.InvalidAttributeUsage, AttributeReader.LocationOf(generated, null, 0, location, _ct), "[DatabaseGenerated(Identity)]", Name + "." + property.Name, "identity columns must be short, int or long");
                    }
                }

                bool isGuid = sqlType == "uuid";
                if (generatedOption == 2)
                {
                    generation = ValueGeneration.Computed;
                }
                else if (generatedOption == 1 || (generatedOption is null && isKey && TypeMapper.IsIdentityCapable(underlying) && defaultSql is null))
                {
                    generation = ValueGeneration.Identity;
                }
                else if (isKey && isGuid && defaultSql is null && generatedOption is null)
                {
                    defaultSql = "gen_random_uuid()";
                    serverDefault = true;
                }

                if (defaultSql is null && !nullable && underlying.SpecialType == SpecialType.System_Boolean && generation == ValueGeneration.None)
                {
                    defaultSql = "false";
                }

                var checks = new List<CheckModel>();
                foreach (AttributeData check in AttributeReader.OfType(property, KnownAttributes.Check))
                {
                    if (ReadCheck(check, "[Check] of '" + property.Name + "'") is { } checkModel)
                    {
                        checks.Add(checkModel);
                    }
                }

                string clrType = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(
                    SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier));
                string clrTypeWithoutNullable = underlying.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                string castType = sqlType.StartsWith("varchar(", StringComparison.Ordinal) ? "text" : sqlType;

                var model = new ColumnModel(
                    property.Name,
                    columnName,
                    sqlType,
                    castType,
                    clrType,
                    clrTypeWithoutNullable,
                    underlying.IsValueType,
                    underlying.SpecialType == SpecialType.System_String,
                    nullable,
                    isKey,
                    generation,
                    defaultSql,
                    checks.ToImmutableEquatableArray(),
                    serverDefault);
                return new PropertyInfo(property, model, location);
            }

            private CheckModel? ReadCheck(AttributeData check, string what)
            {
                string? sql = AttributeReader.PositionalString(check, 0);
                LocationInfo? at = AttributeReader.LocationOf(check, null, 0, _classLocation, _ct);
                if (sql is null || sql.Trim().Length == 0)
                {
                    Report(DiagnosticDescriptors.InvalidAttributeUsage, at, what, Name, "the check expression is empty");
                    return null;
                }

                string? name = AttributeReader.NamedString(check, "Name");
                if (name is not null)
                {
                    ValidateName("constraint", name, AttributeReader.LocationOf(check, "Name", -1, at, _ct));
                }

                string? valid = ValidateFragment(sql, what, at, warnPerRow: false);
                return valid is null ? null : new CheckModel(name, valid);
            }

            private void CheckDuplicateColumns(List<PropertyInfo> properties)
            {
                var byName = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
                foreach (PropertyInfo property in properties)
                {
                    if (byName.TryGetValue(property.Column.ColumnName, out PropertyInfo? first))
                    {
                        Report(DiagnosticDescriptors.DuplicateColumn, property.Location, first.Symbol.Name, property.Symbol.Name, Name, property.Column.ColumnName);
                    }
                    else
                    {
                        byName.Add(property.Column.ColumnName, property);
                    }
                }
            }

            private void CheckKey(List<PropertyInfo> properties)
            {
                var keys = properties.Where(p => p.Column.IsKey).ToList();
                if (keys.Count == 0)
                {
                    Report(DiagnosticDescriptors.MissingKey, _classLocation, Name);
                }
                else if (keys.Count > 1)
                {
                    Report(DiagnosticDescriptors.CompositeKey, keys[1].Location, Name, string.Join("', '", keys.Select(k => k.Symbol.Name)));
                }
            }

            private void ReadCrudPolicy(AttributeData crud, List<PropertyInfo> properties, List<PolicySource> policies, List<IndexModel> indexes, ref string? ownerColumn, ref bool ownerIsUuid)
            {
                LocationInfo? at = AttributeReader.LocationOf(crud, null, -1, _classLocation, _ct);
                string role = AttributeReader.NamedString(crud, "Role")?.Trim() ?? "";
                if (role.Length == 0)
                {
                    Report(DiagnosticDescriptors.MissingRole, AttributeReader.LocationOf(crud, "Role", -1, at, _ct), "CrudPolicy", Name);
                    return;
                }

                if (!SqlNames.IsValidRoleName(role))
                {
                    Report(DiagnosticDescriptors.InvalidRoleName, AttributeReader.LocationOf(crud, "Role", -1, at, _ct), role, Name);
                    return;
                }

                string what = "CrudPolicy for '" + role + "'";
                string? ownerExpression = null;
                if (AttributeReader.HasNamed(crud, "Owner"))
                {
                    string? owner = AttributeReader.NamedString(crud, "Owner");
                    LocationInfo? ownerAt = AttributeReader.LocationOf(crud, "Owner", -1, at, _ct);
                    PropertyInfo? property = owner is null ? null : properties.FirstOrDefault(p => p.Symbol.Name == owner);
                    if (property is null)
                    {
                        Report(DiagnosticDescriptors.OwnerNotFound, ownerAt, Name, owner ?? "null");
                    }
                    else if (property.Column.CastType != "text" && property.Column.CastType != "uuid")
                    {
                        Report(DiagnosticDescriptors.OwnerWrongType, ownerAt, Name, property.Symbol.Name, property.Symbol.Type.ToDisplayString());
                    }
                    else
                    {
                        bool uuid = property.Column.CastType == "uuid";
                        ownerExpression = "(select " + (uuid ? "auth.uid()" : "auth.user_id()") + ") = " + Emitting.SqlSyntax.Identifier(property.Column.ColumnName);
                        if (ownerColumn is null)
                        {
                            ownerColumn = property.Symbol.Name;
                            ownerIsUuid = uuid;
                        }

                        AddIndex(indexes, new IndexModel(_tableName + "_" + property.Column.ColumnName + "_idx", new[] { property.Column.ColumnName }.ToImmutableEquatableArray(), false), replace: false);
                    }
                }

                if (AttributeReader.HasNamed(crud, "Tenant"))
                {
                    string? tenantName = AttributeReader.NamedString(crud, "Tenant");
                    LocationInfo? tenantAt = AttributeReader.LocationOf(crud, "Tenant", -1, at, _ct);
                    PropertyInfo? tenant = tenantName is null ? null : properties.FirstOrDefault(p => p.Symbol.Name == tenantName);
                    if (tenant is null)
                    {
                        Report(DiagnosticDescriptors.InvalidAttributeUsage, tenantAt, what, Name, "Tenant names '" + (tenantName ?? "null") + "', which is not a mapped property; use nameof(<property>)");
                    }
                    else
                    {
                        string tenantExpression = Emitting.SqlSyntax.Identifier(tenant.Column.ColumnName) + " = ANY (ARRAY(SELECT " + Emitting.PolicySqlEmitter.MemberTenantsFunction + "()))";
                        ownerExpression = ownerExpression is null ? tenantExpression : "(" + ownerExpression + ") AND (" + tenantExpression + ")";
                        _crudMembershipUses.Add(new MembershipUse(tenant.Column.CastType, false, tenantAt));
                        AddIndex(indexes, new IndexModel(_tableName + "_" + tenant.Column.ColumnName + "_idx", new[] { tenant.Column.ColumnName }.ToImmutableEquatableArray(), false), replace: false);
                    }
                }

                string? read = ReadCrudPart(crud, "Read", what, at, ownerExpression, out bool readGiven);
                string? modify = ReadCrudPart(crud, "Modify", what, at, ownerExpression, out bool modifyGiven);
                string? permission = AttributeReader.NamedString(crud, "ModifyPermission");
                if (AttributeReader.HasNamed(crud, "ModifyPermission"))
                {
                    if (string.IsNullOrWhiteSpace(permission))
                    {
                        Report(DiagnosticDescriptors.EmptyExpression, AttributeReader.LocationOf(crud, "ModifyPermission", -1, at, _ct), what, Name, "ModifyPermission");
                        return;
                    }

                    // Without another modify rule the permission alone decides; with one, both must hold.
                    string check = "(select auth.has_permission(" + Emitting.SqlSyntax.Literal(permission!) + "))";
                    bool noModifyPolicy = modifyGiven && modify is null;
                    modify = noModifyPolicy || modify is null ? check : "(" + modify + ") AND " + check;
                    modifyGiven = true;
                }

                if (!readGiven && !modifyGiven && !AttributeReader.HasNamed(crud, "Owner") && !AttributeReader.HasNamed(crud, "Tenant"))
                {
                    Report(DiagnosticDescriptors.EmptyExpression, at, what, Name, "Read and Modify (set Owner, Tenant, Read or Modify)");
                    return;
                }

                if (role == "authenticated" && SqlFragmentValidator.IsAlwaysTrue(modify))
                {
                    Report(DiagnosticDescriptors.ModifyAlwaysTrue, AttributeReader.LocationOf(crud, "Modify", -1, at, _ct), what, Name, "insert, update and delete");
                }

                var roles = new[] { role }.ToImmutableEquatableArray();
                string prefix = "crud-" + role + "-policy-";

                // PostgreSQL would truncate a longer name, and the four policies would then share one name.
                if (SqlNames.Validate(prefix + "select") is { } nameReason)
                {
                    Report(DiagnosticDescriptors.InvalidName, AttributeReader.LocationOf(crud, "Role", -1, at, _ct), "policy", prefix + "select", Name, nameReason);
                    return;
                }
                if (read is not null)
                {
                    policies.Add(new PolicySource(new PolicyModel(prefix + "select", "SELECT", roles, read, null, false), at));
                }

                if (modify is not null)
                {
                    policies.Add(new PolicySource(new PolicyModel(prefix + "insert", "INSERT", roles, null, modify, false), at));
                    policies.Add(new PolicySource(new PolicyModel(prefix + "update", "UPDATE", roles, modify, modify, false), at));
                    policies.Add(new PolicySource(new PolicyModel(prefix + "delete", "DELETE", roles, modify, null, false), at));
                }
            }

            private string? ReadCrudPart(AttributeData crud, string part, string what, LocationInfo? at, string? ownerExpression, out bool given)
            {
                given = AttributeReader.HasNamed(crud, part);
                if (!given)
                {
                    return ownerExpression;
                }

                string? value = AttributeReader.NamedString(crud, part);
                LocationInfo? partAt = AttributeReader.LocationOf(crud, part, -1, at, _ct);
                if (value is null)
                {
                    return ownerExpression;
                }

                if (value == "<no policy>")
                {
                    return null;
                }

                if (value.Trim().Length == 0)
                {
                    Report(DiagnosticDescriptors.EmptyExpression, partAt, what, Name, part);
                    return null;
                }

                return ValidateFragment(value, what + " (" + part + ")", partAt, warnPerRow: true);
            }

            private void ReadPolicy(AttributeData attribute, List<PolicySource> policies)
            {
                LocationInfo? at = AttributeReader.LocationOf(attribute, null, -1, _classLocation, _ct);
                string? name = AttributeReader.PositionalString(attribute, 0);
                LocationInfo? nameAt = AttributeReader.LocationOf(attribute, null, 0, at, _ct);
                if (SqlNames.Validate(name) is { } reason)
                {
                    Report(DiagnosticDescriptors.InvalidName, nameAt, "policy", name ?? "", Name, reason);
                    return;
                }

                string what = "Policy '" + name + "'";
                string command = "ALL";
                if (AttributeReader.Named(attribute, "Command")?.Value is int commandValue)
                {
                    switch (commandValue)
                    {
                        case 0: command = "ALL"; break;
                        case 1: command = "SELECT"; break;
                        case 2: command = "INSERT"; break;
                        case 3: command = "UPDATE"; break;
                        case 4: command = "DELETE"; break;
                        default:
                            Report(DiagnosticDescriptors.InvalidAttributeUsage, AttributeReader.LocationOf(attribute, "Command", -1, at, _ct), what, Name, "Command " + commandValue + " is not a PolicyCommand");
                            return;
                    }
                }

                string rolesText = AttributeReader.NamedString(attribute, "Roles") ?? "";
                LocationInfo? rolesAt = AttributeReader.LocationOf(attribute, "Roles", -1, at, _ct);
                var roles = rolesText.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
                if (roles.Count == 0)
                {
                    Report(DiagnosticDescriptors.MissingRole, rolesAt, what, Name);
                    return;
                }

                bool rolesValid = true;
                foreach (string role in roles.Where(r => !SqlNames.IsValidRoleName(r)))
                {
                    Report(DiagnosticDescriptors.InvalidRoleName, rolesAt, role, Name);
                    rolesValid = false;
                }

                string? usingSql = ReadPolicyClause(attribute, "Using", what, at);
                string? withCheck = ReadPolicyClause(attribute, "WithCheck", what, at);
                if (!AttributeReader.HasNamed(attribute, "Using") && !AttributeReader.HasNamed(attribute, "WithCheck"))
                {
                    Report(DiagnosticDescriptors.EmptyExpression, at, what, Name, "Using and WithCheck");
                    return;
                }

                if (command == "INSERT" && AttributeReader.NamedString(attribute, "Using") is not null)
                {
                    Report(DiagnosticDescriptors.ClauseNotAllowed, AttributeReader.LocationOf(attribute, "Using", -1, at, _ct), name, Name, command, "USING");
                }

                if ((command == "SELECT" || command == "DELETE") && AttributeReader.NamedString(attribute, "WithCheck") is not null)
                {
                    Report(DiagnosticDescriptors.ClauseNotAllowed, AttributeReader.LocationOf(attribute, "WithCheck", -1, at, _ct), name, Name, command, "WITH CHECK");
                }

                bool restrictive = AttributeReader.Named(attribute, "Restrictive")?.Value is true;
                if (!restrictive && roles.Contains("authenticated") && command != "SELECT"
                    && (SqlFragmentValidator.IsAlwaysTrue(withCheck) || (command != "INSERT" && SqlFragmentValidator.IsAlwaysTrue(usingSql))))
                {
                    Report(DiagnosticDescriptors.ModifyAlwaysTrue, at, what, Name, command == "ALL" ? "change" : command.ToLowerInvariant());
                }

                if (rolesValid && (usingSql is not null || withCheck is not null))
                {
                    policies.Add(new PolicySource(new PolicyModel(name!, command, roles.ToImmutableEquatableArray(), usingSql, withCheck, restrictive), at));
                }
            }

            private string? ReadPolicyClause(AttributeData attribute, string part, string what, LocationInfo? at)
            {
                if (!AttributeReader.HasNamed(attribute, part))
                {
                    return null;
                }

                string? value = AttributeReader.NamedString(attribute, part);
                LocationInfo? partAt = AttributeReader.LocationOf(attribute, part, -1, at, _ct);
                if (value is null || value.Trim().Length == 0)
                {
                    Report(DiagnosticDescriptors.EmptyExpression, partAt, what, Name, part);
                    return null;
                }

                return ValidateFragment(value, what + " (" + part + ")", partAt, warnPerRow: true);
            }

            private void CheckPolicySet(List<PolicySource> policies)
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (PolicySource source in policies)
                {
                    if (!names.Add(source.Policy.Name))
                    {
                        Report(DiagnosticDescriptors.DuplicatePolicy, source.Location, _tableName, Name, source.Policy.Name);
                    }
                }

                var reported = new HashSet<string>(StringComparer.Ordinal);
                foreach (PolicySource source in policies)
                {
                    PolicyModel policy = source.Policy;
                    if (policy.Restrictive || (policy.Command != "UPDATE" && policy.Command != "DELETE"))
                    {
                        continue;
                    }

                    foreach (string role in policy.Roles)
                    {
                        bool hasSelect = policies.Any(p => !p.Policy.Restrictive && (p.Policy.Command == "SELECT" || p.Policy.Command == "ALL") && p.Policy.Roles.Contains(role));
                        if (!hasSelect && reported.Add(role + "/" + policy.Command))
                        {
                            Report(DiagnosticDescriptors.ModifyWithoutSelect, source.Location, _tableName, Name, policy.Command, role);
                        }
                    }
                }
            }

            private void ReadPropertyIndex(AttributeData index, PropertyInfo property, List<IndexModel> indexes)
            {
                LocationInfo? at = AttributeReader.LocationOf(index, null, -1, property.Location, _ct);
                if (AttributeReader.Positional(index, 0) is { Kind: TypedConstantKind.Array } names && !names.Values.IsDefaultOrEmpty)
                {
                    Report(DiagnosticDescriptors.InvalidAttributeUsage, at, "[Index] on property '" + property.Symbol.Name + "'", Name, "on a property [Index] takes no property names; put it on the class to index several columns");
                    return;
                }

                string? name = AttributeReader.NamedString(index, "Name");
                if (name is not null)
                {
                    ValidateName("index", name, AttributeReader.LocationOf(index, "Name", -1, at, _ct));
                }

                bool unique = AttributeReader.Named(index, "Unique")?.Value is true;
                string column = property.Column.ColumnName;
                AddIndex(indexes, new IndexModel(name ?? _tableName + "_" + column + "_idx", new[] { column }.ToImmutableEquatableArray(), unique), replace: true);
            }

            private void ReadClassIndex(AttributeData index, List<PropertyInfo> properties, List<IndexModel> indexes)
            {
                LocationInfo? at = AttributeReader.LocationOf(index, null, -1, _classLocation, _ct);
                var names = AttributeReader.Positional(index, 0) is { Kind: TypedConstantKind.Array } array && !array.Values.IsDefault
                    ? array.Values.Select(v => v.Value as string).ToList()
                    : new List<string?>();
                if (names.Count == 0)
                {
                    Report(DiagnosticDescriptors.InvalidAttributeUsage, at, "[Index] on class", Name, "name the properties to index, e.g. [Index(nameof(A), nameof(B))]");
                    return;
                }

                var columns = new List<string>();
                for (int i = 0; i < names.Count; i++)
                {
                    PropertyInfo? property = properties.FirstOrDefault(p => p.Symbol.Name == names[i]);
                    if (property is null)
                    {
                        Report(DiagnosticDescriptors.IndexPropertyNotFound, AttributeReader.LocationOf(index, null, i, at, _ct), Name, names[i] ?? "null");
                        return;
                    }

                    columns.Add(property.Column.ColumnName);
                }

                string? name = AttributeReader.NamedString(index, "Name");
                if (name is not null)
                {
                    ValidateName("index", name, AttributeReader.LocationOf(index, "Name", -1, at, _ct));
                }

                bool unique = AttributeReader.Named(index, "Unique")?.Value is true;
                AddIndex(indexes, new IndexModel(name ?? _tableName + "_" + string.Join("_", columns) + "_idx", columns.ToImmutableEquatableArray(), unique), replace: true);
            }

            private static void AddIndex(List<IndexModel> indexes, IndexModel index, bool replace)
            {
                int existing = indexes.FindIndex(i => i.Columns.Equals(index.Columns));
                if (existing < 0)
                {
                    indexes.Add(index);
                }
                else if (replace)
                {
                    indexes[existing] = index;
                }
            }
        }
    }
}
