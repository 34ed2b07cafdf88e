namespace Sdk.Runtime.Query;

/// <summary>One page of query results.</summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class QueryPage<T>
{
    internal QueryPage(IReadOnlyList<T> records, int totalSize, bool done, string? nextRecordsUrl, int pageNumber)
    {
        Records = records;
        TotalSize = totalSize;
        Done = done;
        NextRecordsUrl = nextRecordsUrl;
        PageNumber = pageNumber;
    }

    /// <summary>The page's records.</summary>
    public IReadOnlyList<T> Records { get; }

    /// <summary>The number of records the whole query matched (for aggregate queries, the number of groups).</summary>
    public int TotalSize { get; }

    /// <summary>Whether this is the last page.</summary>
    public bool Done { get; }

    /// <summary>The URL of the next page, when there is one.</summary>
    public string? NextRecordsUrl { get; }

    /// <summary>The page's number, from 1.</summary>
    public int PageNumber { get; }
}
