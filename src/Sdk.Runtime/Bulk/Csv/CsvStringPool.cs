using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>
/// The strings of one CSV column recently read, so that a value seen again (a picklist, a city, an owner's id) is shared
/// instead of allocated again: 256 buckets of the two most recent values, so a column of a few hundred distinct values is
/// served from the pool. A column whose values rarely repeat (names, record ids) switches the pool off once it has missed
/// a thousand times with fewer than half as many hits. Safe to share between threads: a slot holds a whole string or is
/// replaced whole, and a string is returned only when it equals the value read. Handed by the CSV record reader to the
/// generated code of a record type; not for direct use.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class CsvStringPool
{
    internal CsvStringPool()
    {
    }

    private const int Buckets = 256;
    private const int BucketBits = 8;
    private const int MaxLength = 80;
    private const int MissesBeforeVerdict = 1024;
    private readonly string?[] _slots = new string?[Buckets * 2]; // two entries a bucket, the most recent first
    private int _misses;
    private int _hits;
    private bool _off;

    /// <summary>The text as a string, shared with an equal earlier one when there is one.</summary>
    internal string Get(ReadOnlySpan<char> value)
    {
        if (_off || value.Length > MaxLength)
        {
            return new string(value);
        }

        var bucket = Bucket(value);
        if (Find(bucket, value) is { } pooled)
        {
            _hits++;
            return pooled;
        }

        Miss();
        return Add(bucket, new string(value));
    }

    /// <summary>The text as a canonical 18-character id, shared with an equal earlier one; null when it is not an id.</summary>
    internal string? GetId(ReadOnlySpan<char> value)
    {
        if (_off)
        {
            return Id(value);
        }

        var bucket = Bucket(value);
        if (Find(bucket, value) is { } pooled)
        {
            _hits++;
            return pooled; // the pool holds only canonical ids, so text equal to one is that id
        }

        Miss();
        if (Id(value) is not { } id)
        {
            return null;
        }

        if (id.Length == value.Length)
        {
            return Add(bucket, id);
        }

        // A 15-character id: filed, and shared, under its canonical text.
        var canonical = Bucket(id);
        return Find(canonical, id) ?? Add(canonical, id);
    }

    private string? Find(int bucket, ReadOnlySpan<char> value)
    {
        var first = _slots[bucket];
        if (first is not null && value.SequenceEqual(first))
        {
            return first;
        }

        var second = _slots[bucket + 1];
        return second is not null && value.SequenceEqual(second) ? second : null;
    }

    private string Add(int bucket, string text)
    {
        _slots[bucket + 1] = _slots[bucket];
        return _slots[bucket] = text;
    }

    /// <summary>The text as a canonical 18-character id, not pooled; null when it is not an id.</summary>
    internal static string? Id(ReadOnlySpan<char> value) => SalesforceId.TryParse(value, null, out var id) ? id.Value : null;

    private void Miss()
    {
        if (++_misses == MissesBeforeVerdict && _hits < MissesBeforeVerdict / 2)
        {
            _off = true;
        }
    }

    /// <summary>
    /// A bucket from the length, the first character and the last eight: values of one column tend to differ at the end
    /// (ids in their last digits before the suffix, numbered names), and hashing more would cost more than it spreads. The
    /// last eight characters are read as two 64-bit words and mixed by multiplication; shorter values character by character.
    /// </summary>
    private static int Bucket(ReadOnlySpan<char> value)
    {
        ulong hash;
        if (value.Length >= 8)
        {
            ref var last8 = ref Unsafe.As<char, ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(value), value.Length - 8));
            hash = (Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ulong, byte>(ref last8)) * 0x9E3779B97F4A7C15UL)
                ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ulong, byte>(ref Unsafe.Add(ref last8, 1)));
        }
        else
        {
            hash = 0;
            foreach (var c in value)
            {
                hash = (hash << 16) ^ c;
            }
        }

        hash ^= ((ulong)value.Length << 32) ^ (value.IsEmpty ? 0UL : value[0]);
        return (int)((hash * 0x9E3779B97F4A7C15UL) >> (64 - BucketBits)) * 2; // Fibonacci hashing: the high bits of the product
    }
}
