using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Numerics;
using System.Text.Json;
using Dapper;

namespace RlsSchema.Npgsql;

/// <summary>
/// Teaches Dapper the column types the generator maps and Dapper does not know by itself: <c>inet</c>
/// (<see cref="IPAddress"/>), <c>macaddr</c> (<see cref="PhysicalAddress"/>), <c>jsonb</c> (<see cref="JsonDocument"/>,
/// <see cref="JsonElement"/>), <c>numeric</c> as <see cref="BigInteger"/> and <see cref="ulong"/>, and arrays read into <see cref="List{T}"/>
/// or holding enums.
/// </summary>
/// <remarks>
/// Dapper keeps its type handlers in one process-wide registry, so registering is global and idempotent: a session
/// registers the scalar types before its first statement, and a generated repository registers its collection
/// types before its first statement. Call <see cref="RegisterCollection{TCollection}"/> yourself only for a
/// <see cref="List{T}"/> or enum array in a type you query through a session without a generated repository.
/// </remarks>
public static class RlsColumnTypes
{
    private static readonly object Gate = new();
    private static readonly HashSet<Type> Registered = new();

    /// <summary>
    /// Lets Dapper write and read <typeparamref name="TCollection"/>, a <c>List&lt;T&gt;</c> or a <c>T[]</c> of an enum,
    /// as a PostgreSQL array. Other types (arrays Npgsql reads as they are) need nothing and are left alone.
    /// </summary>
    /// <typeparam name="TCollection">The property type, e.g. <c>List&lt;string&gt;</c> or <c>Status[]</c>.</typeparam>
    public static void RegisterCollection<TCollection>()
        where TCollection : class
    {
        RegisterScalars();
        Type type = typeof(TCollection);
        Type? element = type.IsArray && type.GetArrayRank() == 1 ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
            : null;
        if (element is null || (type.IsArray && !(Nullable.GetUnderlyingType(element) ?? element).IsEnum))
        {
            return;
        }

        lock (Gate)
        {
            if (Registered.Add(type))
            {
                SqlMapper.AddTypeHandler(type, (SqlMapper.ITypeHandler)Activator.CreateInstance(typeof(CollectionHandler<,>).MakeGenericType(type, element))!);
            }
        }
    }

    /// <summary>Registers the scalar handlers once.</summary>
    internal static void RegisterScalars()
    {
        lock (Gate)
        {
            if (!Registered.Add(typeof(RlsColumnTypes)))
            {
                return;
            }

            SqlMapper.AddTypeHandler(new PassThroughHandler<IPAddress>());
            SqlMapper.AddTypeHandler(new PassThroughHandler<PhysicalAddress>());
            SqlMapper.AddTypeHandler(new JsonDocumentHandler());
            SqlMapper.AddTypeHandler(new JsonElementHandler());
            SqlMapper.AddTypeHandler(new BigIntegerHandler());

            // Dapper's built-in map sends ulong as DbType.UInt64, which Npgsql refuses; the handler applies only without it.
            SqlMapper.RemoveTypeMap(typeof(ulong));
            SqlMapper.AddTypeHandler(new UInt64Handler());
        }
    }
}
