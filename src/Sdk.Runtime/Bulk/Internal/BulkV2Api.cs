using System.Net.Http.Headers;
using System.Text.Json;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Events;
using Sdk.Runtime.Http.Internal;
using Sdk.Runtime.Internal;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>The Bulk API 2.0 resources: jobs/ingest and jobs/query, their results, and polling.</summary>
internal sealed class BulkV2Api(SalesforceConnection connection)
{
    private static readonly MediaTypeHeaderValue CsvMediaType = new("text/csv") { CharSet = "UTF-8" };

    public SalesforceConnection Connection => connection;

    public static string Resource(bool query) => query ? "jobs/query" : "jobs/ingest";

    public async Task<BulkJobInfo> CreateJobAsync(bool query, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, await connection.DataUriAsync(Resource(query), cancellationToken).ConfigureAwait(false))
        {
            Content = connection.JsonContent(Json(body)),
        };

        // Safe to send again when the answer is lost: the ingest job made then stays open and empty, which Salesforce never
        // processes (and deletes); a query job only reads.
        RequestKeys.MarkIdempotent(request);
        return await SendForJobAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task UploadAsync(string jobId, ReadOnlyMemory<byte> csv, CancellationToken cancellationToken)
    {
        var content = new ReadOnlyMemoryContent(csv);
        content.Headers.ContentType = CsvMediaType;
        using var request = new HttpRequestMessage(HttpMethod.Put, await connection.DataUriAsync($"jobs/ingest/{Uri.EscapeDataString(jobId)}/batches", cancellationToken).ConfigureAwait(false))
        {
            Content = content,
        };
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BulkJobInfo> SetStateAsync(bool query, string jobId, string state, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, await JobUriAsync(query, jobId, string.Empty, cancellationToken).ConfigureAwait(false))
        {
            Content = connection.JsonContent(Json(w => w.WriteString("state", state))),
        };
        request.Options.Set(Http.Internal.RequestKeys.Idempotent, true); // setting a state twice is the same as once
        return await SendForJobAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BulkJobInfo> GetJobAsync(bool query, string jobId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await JobUriAsync(query, jobId, string.Empty, cancellationToken).ConfigureAwait(false));
        return await SendForJobAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteJobAsync(bool query, string jobId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, await JobUriAsync(query, jobId, string.Empty, cancellationToken).ConfigureAwait(false));
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every job of a kind, following <c>nextRecordsUrl</c>.</summary>
    public async IAsyncEnumerable<BulkJobInfo> ListJobsAsync(bool query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var uri = await connection.DataUriAsync(Resource(query), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var page = await connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
            List<BulkJobInfo> jobs;
            string? next;
            try
            {
                jobs = [.. page.GetProperty("records").EnumerateArray().Select(BulkJobInfo.Parse)];
                next = page.TryGetProperty("nextRecordsUrl", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw SalesforceConnection.Malformed(request, response, "expected a job list with records", ex);
            }

            foreach (var job in jobs)
            {
                yield return job;
            }

            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            uri = await connection.ResolveServerPathAsync(next, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Polls a job until it reaches an end state, waiting longer each time up to a cap, within a timeout.</summary>
    public async Task<BulkJobInfo> WaitAsync(bool query, BulkJobInfo job, TimeSpan interval, TimeSpan maxInterval, TimeSpan timeout,
        Action<BulkJobInfo>? onPoll, CancellationToken cancellationToken)
    {
        var schedule = new PollSchedule(connection.TimeProvider, interval, maxInterval, timeout);
        while (!job.IsFinished)
        {
            if (schedule.Expired)
            {
                throw new BulkJobTimeoutException(
                    $"Bulk job {job.Id} ({job.Operation} {job.Object}) did not finish within {timeout}; it was {job.State} with {job.NumberRecordsProcessed} rows processed. It keeps running on the server.")
                {
                    JobId = job.Id,
                    LastState = job.State,
                };
            }

            await schedule.WaitAsync(cancellationToken).ConfigureAwait(false);
            job = await GetJobAsync(query, job.Id, cancellationToken).ConfigureAwait(false);
            onPoll?.Invoke(job);
        }

        return job;
    }

    /// <summary>Opens a CSV result of a job (<c>successfulResults</c>, <c>failedResults</c>, <c>unprocessedrecords</c>, or query <c>results</c>).</summary>
    public async Task<(HttpResponseMessage Response, Stream Body, string? Locator)> OpenResultAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await connection.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && !mediaType.Contains("csv", StringComparison.OrdinalIgnoreCase) && !mediaType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                throw SalesforceConnection.Malformed(request, response, $"it has content type '{mediaType}' where CSV was expected", null);
            }

            var locator = response.Headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return (response, body, locator is null or "null" or "" ? null : locator);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public ValueTask<Uri> JobUriAsync(bool query, string jobId, string suffix, CancellationToken cancellationToken)
        => connection.DataUriAsync($"{Resource(query)}/{Uri.EscapeDataString(jobId)}{suffix}", cancellationToken);

    /// <summary>Reports Bulk API 2.0's internal batches (10,000 rows each) as consumed.</summary>
    public void PublishBatches(BulkJobInfo job, bool query)
    {
        var events = connection.Pipeline.Events;
        if (events.IsEnabled<BulkApiBatchConsumptionEvent>())
        {
            var batches = (int)Math.Max(1, (job.NumberRecordsProcessed + 9_999) / 10_000);
            events.Publish(BulkApiBatchConsumptionEvent.Create($"/{Resource(query)}/{job.Id}", connection.TimeProvider.GetUtcNow(), job.Id, batches));
        }
    }

    private async Task<BulkJobInfo> SendForJobAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await connection.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await connection.ReadJsonAsync(response, request, RuntimeJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        try
        {
            return BulkJobInfo.Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw SalesforceConnection.Malformed(request, response, "expected a job description with an id", ex);
        }
    }

    public static string DelimiterName(CsvDelimiter delimiter) => delimiter switch
    {
        CsvDelimiter.Comma => "COMMA",
        CsvDelimiter.Tab => "TAB",
        CsvDelimiter.Pipe => "PIPE",
        CsvDelimiter.Semicolon => "SEMICOLON",
        CsvDelimiter.Caret => "CARET",
        CsvDelimiter.Backquote => "BACKQUOTE",
        _ => throw new ArgumentOutOfRangeException(nameof(delimiter)),
    };

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
