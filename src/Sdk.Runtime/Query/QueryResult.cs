using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Query.Internal;

namespace Sdk.Runtime.Query;

/// <summary>
/// A SOQL query's records, fetched lazily: enumerating it with <c>await foreach</c> requests the first page and follows
/// <c>nextRecordsUrl</c> until the last. Records are parsed from the response stream as they arrive, so memory stays bounded by
/// one page (less when records are consumed as they come). Each enumeration runs the query again.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class QueryResult<T> : IAsyncEnumerable<T>
{
    private readonly SalesforceConnection _connection;
    private readonly QueryOptions _options;
    private readonly JsonTypeInfo<T> _typeInfo;

    internal QueryResult(SalesforceConnection connection, string soql, QueryOptions options, JsonTypeInfo<T> typeInfo)
    {
        options.Validate();
        _connection = connection;
        Soql = soql;
        _options = options;
        _typeInfo = typeInfo;
    }

    /// <summary>The SOQL text sent.</summary>
    public string Soql { get; }

    /// <summary>The options.</summary>
    public QueryOptions Options => _options;

    /// <summary>Enumerates the records page by page.</summary>
    public async IAsyncEnumerable<QueryPage<T>> AsPages([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var api = new QueryApi(_connection);
        string? next = null;
        var page = 0;
        do
        {
            var records = new List<T>();
            var meta = await api.ReadPageAsync(Soql, next, _options, _typeInfo, records, pageSink: null, cancellationToken).ConfigureAwait(false);
            page++;
            yield return new QueryPage<T>(records, meta.TotalSize, meta.Done, meta.NextRecordsUrl, page);
            next = meta.Done ? null : meta.NextRecordsUrl;
        }
        while (next is not null);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var api = new QueryApi(_connection);
        string? next = null;
        do
        {
            var stream = api.StreamPageAsync(Soql, next, _options, _typeInfo, cancellationToken);
            await foreach (var record in stream.Records.ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested(); // on every record, not only when the next page is read
                yield return record;
            }

            var meta = stream.Meta;
            next = meta.Done ? null : meta.NextRecordsUrl;
        }
        while (next is not null);
    }

    /// <summary>Reads every record into a list.</summary>
    public async Task<List<T>> ToListAsync(CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var record in WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(record);
        }

        return list;
    }

    /// <summary>Runs the query and returns only the number of matching records (<c>totalSize</c> of the first page).</summary>
    public async Task<int> GetTotalSizeAsync(CancellationToken cancellationToken = default)
    {
        var api = new QueryApi(_connection);
        var meta = await api.ReadPageAsync(Soql, null, _options, _typeInfo, records: null, pageSink: null, cancellationToken).ConfigureAwait(false);
        return meta.TotalSize;
    }

    private ConfiguredCancelableAsyncEnumerable<T> WithCancellation(CancellationToken cancellationToken)
        => TaskAsyncEnumerableExtensions.WithCancellation(this, cancellationToken);
}
