using System.Collections;
using System.Runtime.CompilerServices;

namespace Sdk.Runtime.Soql;

/// <summary>An immutable list with value equality, so that syntax trees compare by content.</summary>
/// <typeparam name="T">The element type.</typeparam>
[CollectionBuilder(typeof(SoqlList), nameof(SoqlList.Create))]
public sealed class SoqlList<T> : IReadOnlyList<T>, IEquatable<SoqlList<T>>
{
    private readonly T[] _items;

    internal SoqlList(T[] items) => _items = items;

    /// <summary>The empty list.</summary>
    public static SoqlList<T> Empty { get; } = new([]);

    /// <inheritdoc/>
    public T this[int index] => _items[index];

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(SoqlList<T>? other)
    {
        if (other is null || other._items.Length != _items.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SoqlList<T>);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Creates <see cref="SoqlList{T}"/> values.</summary>
public static class SoqlList
{
    /// <summary>A list of the given items.</summary>
    public static SoqlList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? SoqlList<T>.Empty : new(items.ToArray());

    /// <summary>A list of the given items.</summary>
    public static SoqlList<T> From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        return array.Length == 0 ? SoqlList<T>.Empty : new(array);
    }
}
