using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sdk.Runtime.Internal;

namespace Sdk.Runtime.Query.Internal;

/// <summary>What a page said about the query besides its records.</summary>
internal readonly record struct PageMeta(int TotalSize, bool Done, string? NextRecordsUrl);

/// <summary>A page being streamed: enumerate <see cref="Records"/>, then read <see cref="Meta"/>.</summary>
internal sealed class PageStream<T>
{
    public IAsyncEnumerable<T> Records { get; set; } = null!;

    public PageMeta Meta { get; set; }
}

/// <summary>The query and queryAll endpoints (first page and <c>nextRecordsUrl</c> pages).</summary>
internal sealed class QueryApi(SalesforceConnection connection)
{
    private const int InitialBufferSize = 64 * 1024;

    public PageStream<T> StreamPageAsync<T>(string soql, string? next, QueryOptions options, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var holder = new PageStream<T>();
        holder.Records = ReadRecordsAsync(soql, next, options, typeInfo, holder, cancellationToken);
        return holder;
    }

    public async Task<PageMeta> ReadPageAsync<T>(string soql, string? next, QueryOptions options, JsonTypeInfo<T> typeInfo, List<T>? records,
        Action<T>? pageSink, CancellationToken cancellationToken)
    {
        var holder = new PageStream<T>();
        await foreach (var record in ReadRecordsAsync(soql, next, options, typeInfo, holder, cancellationToken).ConfigureAwait(false))
        {
            records?.Add(record);
            pageSink?.Invoke(record);
        }

        return holder.Meta;
    }

    private async IAsyncEnumerable<T> ReadRecordsAsync<T>(string soql, string? next, QueryOptions options, JsonTypeInfo<T> typeInfo,
        PageStream<T> metaHolder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri uri;
        if (next is null)
        {
            var resource = options.IncludeDeleted ? "queryAll/" : "query/";
            uri = await connection.DataUriAsync(resource + "?q=" + Uri.EscapeDataString(soql), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            uri = await connection.ResolveServerPathAsync(next, cancellationToken).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var batchSize = options.BatchSize ?? connection.QueryBatchSize;
        if (batchSize is { } size)
        {
            request.Headers.TryAddWithoutValidation("Sforce-Query-Options", "batchSize=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        SalesforceConnection.EnsureJson(response, request);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = body.ConfigureAwait(false);

        var parser = new QueryPageParser<T>(typeInfo);
        var batch = new List<T>();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            int start = 0, end = 0;
            while (!parser.Completed)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    throw SalesforceConnection.Malformed(request, response, $"the connection broke while the page was read (after {parser.RecordCount} records): {ex.Message}", ex);
                }

                if (read == 0)
                {
                    // A non-final parse already rejects invalid tokens, so what is left unfinished here was cut off.
                    throw SalesforceConnection.Malformed(request, response, $"the page ended before its JSON did (after {parser.RecordCount} records)", null);
                }

                end += read;
                try
                {
                    start += parser.Parse(buffer.AsSpan(start, end - start), isFinalBlock: false, batch);
                }
                catch (JsonException ex)
                {
                    throw SalesforceConnection.Malformed(request, response, $"record {parser.RecordCount + 1} or the page around it is not valid: {ex.Message}", ex);
                }

                foreach (var record in batch)
                {
                    yield return record;
                }

                batch.Clear();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var done = parser.IsDone ?? parser.NextRecordsUrl is null;
        if (!done && string.IsNullOrEmpty(parser.NextRecordsUrl))
        {
            throw SalesforceConnection.Malformed(request, response, "the page says more records follow but gives no nextRecordsUrl", null);
        }

        metaHolder.Meta = new PageMeta(parser.TotalSize ?? parser.RecordCount, done, parser.NextRecordsUrl);
    }
}
