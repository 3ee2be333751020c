using System;
using System.Collections.Generic;
using System.Data;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace RlsSchema.Npgsql;

/// <summary>A type Npgsql writes and reads itself; Dapper only needs to be told to hand it over.</summary>
internal sealed class PassThroughHandler<T> : SqlMapper.TypeHandler<T>
{
    public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = (object?)value ?? DBNull.Value;

    public override T Parse(object value) => (T)value;
}

/// <summary><c>jsonb</c> as a <see cref="JsonDocument"/>; Npgsql reads <c>jsonb</c> as text by default.</summary>
internal sealed class JsonDocumentHandler : SqlMapper.TypeHandler<JsonDocument>
{
    public override void SetValue(IDbDataParameter parameter, JsonDocument? value)
    {
        parameter.Value = (object?)value ?? DBNull.Value;
        ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Jsonb;
    }

    public override JsonDocument Parse(object value) => value as JsonDocument ?? JsonDocument.Parse((string)value);
}

/// <summary><c>jsonb</c> as a <see cref="JsonElement"/> that owns its memory (a clone of the parsed root).</summary>
internal sealed class JsonElementHandler : SqlMapper.TypeHandler<JsonElement>
{
    public override void SetValue(IDbDataParameter parameter, JsonElement value)
    {
        parameter.Value = value;
        ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Jsonb;
    }

    public override JsonElement Parse(object value)
    {
        if (value is JsonElement element)
        {
            return element;
        }

        using var document = JsonDocument.Parse((string)value);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// <c>numeric</c> as a <see cref="BigInteger"/>. The generated repositories select such columns as text, since a
/// <c>numeric</c> with more than 28 digits does not fit the <see cref="decimal"/> Npgsql reads by default.
/// </summary>
internal sealed class BigIntegerHandler : SqlMapper.TypeHandler<BigInteger>
{
    public override void SetValue(IDbDataParameter parameter, BigInteger value)
    {
        parameter.Value = value;
        ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Numeric;
    }

    public override BigInteger Parse(object value) => value switch
    {
        string text => BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        decimal number => new BigInteger(number),
        _ => (BigInteger)Convert.ChangeType(value, typeof(BigInteger), CultureInfo.InvariantCulture),
    };
}

/// <summary><c>numeric(20,0)</c> as a <see cref="ulong"/>, as EF Core maps it; Npgsql has no unsigned 64-bit type.</summary>
internal sealed class UInt64Handler : SqlMapper.TypeHandler<ulong>
{
    public override void SetValue(IDbDataParameter parameter, ulong value)
    {
        parameter.Value = (decimal)value;
        ((NpgsqlParameter)parameter).NpgsqlDbType = NpgsqlDbType.Numeric;
    }

    public override ulong Parse(object value) => Convert.ToUInt64(value, CultureInfo.InvariantCulture);
}

/// <summary>
/// A <c>List&lt;T&gt;</c> or enum array as a PostgreSQL array: enums travel as their underlying integers, and the
/// array Npgsql reads is copied into the property's collection type.
/// </summary>
internal sealed class CollectionHandler<TCollection, TElement> : SqlMapper.TypeHandler<TCollection>
    where TCollection : class
{
    private static readonly Type Enum = Nullable.GetUnderlyingType(typeof(TElement)) ?? typeof(TElement);
    private static readonly bool IsEnum = Enum.IsEnum;

    public override void SetValue(IDbDataParameter parameter, TCollection? value)
    {
        if (value is null)
        {
            parameter.Value = DBNull.Value;
            return;
        }

        var items = (IReadOnlyList<TElement>)value;
        if (!IsEnum)
        {
            parameter.Value = value;
            return;
        }

        var underlying = System.Enum.GetUnderlyingType(Enum);
        var array = Array.CreateInstance(typeof(TElement) == Enum ? underlying : typeof(Nullable<>).MakeGenericType(underlying), items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            array.SetValue(items[i] is { } item ? Convert.ChangeType(item, underlying, CultureInfo.InvariantCulture) : null, i);
        }

        parameter.Value = array;
    }

    public override TCollection Parse(object value)
    {
        var source = (Array)value;
        var items = new TElement[source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            object? item = source.GetValue(i);
            items[i] = item is null or DBNull ? default! : IsEnum ? (TElement)System.Enum.ToObject(Enum, item) : (TElement)item;
        }

        return typeof(TCollection).IsArray ? (TCollection)(object)items : (TCollection)(object)new List<TElement>(items);
    }
}
