using System.Collections;

namespace Sdk.Runtime.Records;

/// <summary>The records of a child relationship as a query returned them (<c>Account.Contacts</c>).</summary>
/// <typeparam name="T">The child record type.</typeparam>
public sealed class ChildRecords<T> : IReadOnlyList<T>
    where T : SObject
{
    private readonly List<T> _records;

    /// <summary>Creates the collection.</summary>
    public ChildRecords(IEnumerable<T> records, int? totalSize = null, bool done = true, string? nextRecordsUrl = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = [.. records];
        TotalSize = totalSize ?? _records.Count;
        Done = done;
        NextRecordsUrl = nextRecordsUrl;
    }

    /// <summary>How many child records matched (may exceed <see cref="Count"/> when the subquery was paged).</summary>
    public int TotalSize { get; }

    /// <summary>Whether every matching child record is here.</summary>
    public bool Done { get; }

    /// <summary>Where the rest is, when not done.</summary>
    public string? NextRecordsUrl { get; }

    /// <inheritdoc/>
    public T this[int index] => _records[index];

    /// <inheritdoc/>
    public int Count => _records.Count;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => _records.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
