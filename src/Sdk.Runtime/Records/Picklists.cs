using System.Collections;

namespace Sdk.Runtime.Records;

/// <summary>
/// Implemented by generated picklist value types: an open set of string values with the known ones as static members. A value
/// the schema did not list is kept as it is, never rejected, so reading a record never fails on a new picklist value.
/// </summary>
/// <typeparam name="TSelf">The picklist type.</typeparam>
public interface IPicklistValue<TSelf> : IEquatable<TSelf>, IPicklistValue
    where TSelf : struct, IPicklistValue<TSelf>
{
    /// <summary>Whether the value is one the schema listed.</summary>
    bool IsKnown { get; }

    /// <summary>The value for an API value (a known member when it is one).</summary>
    static abstract TSelf FromValue(string value);

    /// <summary>The known member whose API value is these UTF-8 bytes, without allocating; false when not listed.</summary>
    static abstract bool TryFromUtf8(ReadOnlySpan<byte> value, out TSelf result);

    /// <summary>The values the schema listed, in describe order.</summary>
    static abstract IReadOnlyList<TSelf> KnownValues { get; }

    /// <summary>Whether the field accepts only the listed values.</summary>
    static abstract bool IsRestricted { get; }
}

/// <summary>Implemented by picklist values, so that code that does not know their type can read their API value.</summary>
public interface IPicklistValue
{
    /// <summary>The API value.</summary>
    string Value { get; }
}

/// <summary>
/// The value of a multi-select picklist: an ordered set of values, written <c>A;B</c>. Immutable, so that every change goes
/// through the record's setter and is tracked.
/// </summary>
/// <typeparam name="T">The picklist type.</typeparam>
public sealed class PicklistSet<T> : IReadOnlyList<T>, IEquatable<PicklistSet<T>>
    where T : struct, IPicklistValue<T>
{
    private readonly T[] _values;

    private PicklistSet(T[] values) => _values = values;

    /// <summary>The empty set.</summary>
    public static PicklistSet<T> Empty { get; } = new([]);

    /// <summary>A set of the given values (duplicates dropped, order kept).</summary>
    public static PicklistSet<T> Of(params IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = new List<T>();
        foreach (var v in values)
        {
            if (!list.Contains(v))
            {
                list.Add(v);
            }
        }

        return new([.. list]);
    }

    /// <summary>Parses <c>A;B</c> (empty parts are ignored).</summary>
    public static PicklistSet<T> Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        return Of(text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(T.FromValue));
    }

    /// <summary>A copy with <paramref name="value"/> added.</summary>
    public PicklistSet<T> With(T value) => Contains(value) ? this : new([.. _values, value]);

    /// <summary>A copy without <paramref name="value"/>.</summary>
    public PicklistSet<T> Without(T value) => Contains(value) ? new(_values.Where(v => !v.Equals(value)).ToArray()) : this;

    /// <summary>Whether the set holds <paramref name="value"/>.</summary>
    public bool Contains(T value) => Array.IndexOf(_values, value) >= 0;

    /// <summary>Whether the set holds any of the values (SOQL <c>INCLUDES</c> in a LINQ query).</summary>
    public bool Includes(params T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Any(Contains);
    }

    /// <summary>Whether the set holds none of the values (SOQL <c>EXCLUDES</c> in a LINQ query).</summary>
    public bool Excludes(params T[] values) => !Includes(values);

    /// <inheritdoc/>
    public T this[int index] => _values[index];

    /// <inheritdoc/>
    public int Count => _values.Length;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _values.GetEnumerator();

    /// <summary>The wire form, <c>A;B</c>.</summary>
    public override string ToString() => string.Join(";", _values.Select(v => v.Value));

    /// <summary>Set equality (order ignored).</summary>
    public bool Equals(PicklistSet<T>? other) => other is not null && other.Count == Count && _values.All(other.Contains);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PicklistSet<T>);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var v in _values)
        {
            hash ^= v.GetHashCode();
        }

        return hash;
    }
}
