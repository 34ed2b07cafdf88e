using System.Runtime.CompilerServices;
using System.Text.Json;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Internal;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>One Bulk API 2.0 query: the job, its polling, and its result pages (by locator, or several at once by resultPages).</summary>
internal sealed class BulkQuery(BulkV2Api api, BulkQueryOptions options)
{
    /// <summary>A result page: its body, read once, and the path of the request that got it (for errors that name it).</summary>
    public sealed class Page(Stream body, IDisposable? owner, string path) : IDisposable
    {
        public Stream Body { get; } = body;

        public string Path { get; } = path;

        public void Dispose()
        {
            Body.Dispose();
            owner?.Dispose();
        }
    }

    public async Task<BulkJobInfo> RunJobAsync(string soql, CancellationToken cancellationToken)
    {
        options.Validate();
        var job = await api.CreateJobAsync(query: true, w =>
        {
            w.WriteString("operation", options.IncludeDeleted ? "queryAll" : "query");
            w.WriteString("query", soql);
            w.WriteString("contentType", "CSV");
            w.WriteString("columnDelimiter", BulkV2Api.DelimiterName(options.Delimiter));
            w.WriteString("lineEnding", "LF");
        }, cancellationToken).ConfigureAwait(false);
        Report(job);
        job = await api.WaitAsync(query: true, job, options.PollInterval, options.MaxPollInterval, options.Timeout, Report, cancellationToken).ConfigureAwait(false);
        Report(job);
        if (job.State != BulkJobState.JobComplete)
        {
            throw new BulkJobFailedException($"Bulk query job {job.Id} ended {job.State}: {job.ErrorMessage ?? "no reason given"}. Query: {soql}") { Job = job };
        }

        return job;
    }

    public IAsyncEnumerable<Page> PagesAsync(BulkJobInfo job, CancellationToken cancellationToken)
        => options.ParallelPages > 1 ? ParallelPagesAsync(job, cancellationToken) : SequentialPagesAsync(job, cancellationToken);

    /// <summary>
    /// The caller stopped reading before the last record (it broke out of its loop): what was read is reported, and the job
    /// deleted when asked, best effort and within a few seconds, as the caller is leaving.
    /// </summary>
    public async Task StoppedEarlyAsync(BulkJobInfo job, long rows)
    {
        using var leaving = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await FinishAsync(job, rows, leaving.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException or OperationCanceledException)
        {
        }
    }

    public async Task FinishAsync(BulkJobInfo job, long rows, CancellationToken cancellationToken)
    {
        api.PublishBatches(job with { NumberRecordsProcessed = Math.Max(rows, job.NumberRecordsProcessed) }, query: true);
        Events.SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "queried", rows);
        if (options.DeleteJobWhenDone)
        {
            await api.DeleteJobAsync(query: true, job.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<Page> SequentialPagesAsync(BulkJobInfo job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? locator = null;
        do
        {
            var query = new List<string>();
            if (locator is not null)
            {
                query.Add("locator=" + Uri.EscapeDataString(locator));
            }

            if (options.PageSize is { } size)
            {
                query.Add("maxRecords=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var suffix = "/results" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
            var uri = await api.JobUriAsync(true, job.Id, suffix, cancellationToken).ConfigureAwait(false);
            var (response, body, next) = await api.OpenResultAsync(uri, cancellationToken).ConfigureAwait(false);
            yield return new Page(body, response, uri.AbsolutePath);
            locator = next;
        }
        while (locator is not null);
    }

    /// <summary>Downloads up to <see cref="BulkQueryOptions.ParallelPages"/> pages at once into memory and yields them in order.</summary>
    private async IAsyncEnumerable<Page> ParallelPagesAsync(BulkJobInfo job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = new Queue<(Task<MemoryStream> Body, string Path)>();
        try
        {
            await foreach (var url in ResultUrlsAsync(job, cancellationToken).ConfigureAwait(false))
            {
                window.Enqueue((DownloadAsync(url, cancellationToken), url.AbsolutePath));
                if (window.Count >= options.ParallelPages)
                {
                    var (body, path) = window.Dequeue();
                    yield return new Page(await body.ConfigureAwait(false), null, path);
                }
            }

            while (window.Count > 0)
            {
                var (body, path) = window.Dequeue();
                yield return new Page(await body.ConfigureAwait(false), null, path);
            }
        }
        finally
        {
            // Abandoned downloads (an error or an early break) are awaited so that nothing runs on unobserved.
            while (window.Count > 0)
            {
                try
                {
                    (await window.Dequeue().Body.ConfigureAwait(false)).Dispose();
                }
                catch (Exception ex) when (ex is SalesforceException or HttpRequestException or OperationCanceledException or IOException)
                {
                    // Already surfaced (or not needed): the enumeration is ending.
                }
            }
        }
    }

    private async Task<MemoryStream> DownloadAsync(Uri url, CancellationToken cancellationToken)
    {
        var (response, body, _) = await api.OpenResultAsync(url, cancellationToken).ConfigureAwait(false);
        using (response)
        await using (body.ConfigureAwait(false))
        {
            var copy = new MemoryStream();
            await body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return copy;
        }
    }

    /// <summary>The result page URLs from <c>resultPages</c>, five at a time, following <c>nextRecordsUrl</c>.</summary>
    private async IAsyncEnumerable<Uri> ResultUrlsAsync(BulkJobInfo job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = api.Connection;
        var uri = await api.JobUriAsync(true, job.Id, "/resultPages" + (options.PageSize is { } size ? "?maxRecords=" + size.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            List<string> urls;
            string? next;
            using (var request = new HttpRequestMessage(HttpMethod.Get, uri))
            {
                using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var body = await connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
                try
                {
                    urls = [.. body.GetProperty("resultPages").EnumerateArray().Select(p => p.GetProperty("resultUrl").GetString() ?? throw new JsonException("resultUrl is null"))];
                    var done = body.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.True;
                    next = !done && body.TryGetProperty("nextRecordsUrl", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
                {
                    throw SalesforceConnection.Malformed(request, response, "expected resultPages with resultUrl entries", ex);
                }
            }

            foreach (var url in urls)
            {
                yield return await connection.ResolveServerPathAsync(url, cancellationToken).ConfigureAwait(false);
            }

            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            uri = await connection.ResolveServerPathAsync(next, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies a CSV page streaming, leaving out its header line when asked; returns how many rows it held.</summary>
    /// <remarks>Rows are counted by line ends outside quotes, so quoted line breaks are not miscounted.</remarks>
    public static async Task<long> CopyPageAsync(Stream page, Stream destination, bool skipHeader, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long lines = 0;
        var inQuotes = false;
        var inHeader = true;
        var last = (byte)'\n';
        int read;
        while ((read = await page.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (b == (byte)'"')
                {
                    inQuotes = !inQuotes;
                }
                else if (b == (byte)'\n' && !inQuotes)
                {
                    lines++;
                    if (inHeader)
                    {
                        inHeader = false;
                        if (skipHeader)
                        {
                            start = i + 1;
                        }
                    }
                }
            }

            if (!(inHeader && skipHeader))
            {
                await destination.WriteAsync(buffer.AsMemory(start, read - start), cancellationToken).ConfigureAwait(false);
            }

            last = buffer[read - 1];
        }

        if (last != (byte)'\n')
        {
            lines++; // a last line without a line end
        }

        return Math.Max(0, lines - 1);
    }

    private void Report(BulkJobInfo job)
        => options.Progress?.Report(new BulkJobProgress(job.Id, job.State, 0, job.NumberRecordsProcessed, 0, job.IsFinished ? 1 : 0, 1));
}
