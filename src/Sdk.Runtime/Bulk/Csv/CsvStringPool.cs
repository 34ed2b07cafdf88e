using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>
/// The strings of one CSV column recently read, so that a value seen again (a picklist, a city, an owner's id) is shared
/// instead of allocated again. A column whose values rarely repeat (names, record ids) switches the pool off once it has
/// missed a thousand times with fewer than half as many hits. Safe to share between threads: a slot holds a whole string or is replaced whole, and a string is
/// returned only when it equals the value read.
/// </summary>
internal sealed class CsvStringPool
{
    private const int Slots = 128;
    private const int MaxLength = 80;
    private const int MissesBeforeVerdict = 1024;
    private readonly string?[] _slots = new string?[Slots];
    private int _misses;
    private int _hits;
    private bool _off;

    /// <summary>The text as a string, shared with an equal earlier one when there is one.</summary>
    public string Get(ReadOnlySpan<char> value)
    {
        if (_off || value.Length > MaxLength)
        {
            return new string(value);
        }

        ref var slot = ref _slots[Slot(value)];
        if (slot is { } pooled && value.SequenceEqual(pooled))
        {
            _hits++;
            return pooled;
        }

        Miss();
        return slot = new string(value);
    }

    /// <summary>The text as a canonical 18-character id, shared with an equal earlier one; null when it is not an id.</summary>
    public string? GetId(ReadOnlySpan<char> value)
    {
        if (_off)
        {
            return Id(value);
        }

        ref var slot = ref _slots[Slot(value)];
        if (slot is { } pooled && value.SequenceEqual(pooled))
        {
            _hits++;
            return pooled; // the pool holds only canonical ids, so text equal to one is that id
        }

        Miss();
        return Id(value) is { } id ? slot = id : null;
    }

    /// <summary>The text as a canonical 18-character id, not pooled; null when it is not an id.</summary>
    public static string? Id(ReadOnlySpan<char> value) => SalesforceId.TryParse(value, null, out var id) ? id.Value : null;

    private void Miss()
    {
        if (++_misses == MissesBeforeVerdict && _hits < MissesBeforeVerdict / 2)
        {
            _off = true;
        }
    }

    private static int Slot(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        var hash = (uint)value.Length;
        hash = (hash * 31) + value[0];
        hash = (hash * 31) + value[^1];
        hash = (hash * 31) + value[value.Length / 2];
        hash = (hash * 31) + value[(value.Length * 3) / 4];
        return (int)((hash ^ (hash >> 7)) & (Slots - 1));
    }
}
