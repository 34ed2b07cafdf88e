using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>
/// The strings of one CSV column recently read, so that a value seen again (a picklist, a city, an owner's id) is shared
/// instead of allocated again. A column whose values rarely repeat (names, record ids) switches the pool off after its first
/// thousand values. Safe to share between threads: a slot holds a whole string or is replaced whole, and a string is
/// returned only when it equals the value read.
/// </summary>
internal sealed class CsvStringPool
{
    private const int Slots = 128;
    private const int MaxLength = 80;
    private const int Trial = 1024;
    private readonly string?[] _slots = new string?[Slots];
    private int _lookups;
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
            return SalesforceId.TryParse(value, null, out var id) ? id.Value : null;
        }

        ref var slot = ref _slots[Slot(value)];
        if (slot is { } pooled && value.SequenceEqual(pooled))
        {
            _hits++;
            return pooled; // the pool holds only canonical ids, so text equal to one is that id
        }

        Miss();
        if (!SalesforceId.TryParse(value, null, out var parsed))
        {
            return null;
        }

        return slot = parsed.Value;
    }

    private void Miss()
    {
        if (++_lookups == Trial && _hits < Trial / 2)
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
