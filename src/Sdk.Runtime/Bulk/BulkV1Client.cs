using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Bulk.Internal;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk;

/// <summary>
/// Bulk API 1.0 (<c>client.BulkV1</c>, <c>/services/async</c>): jobs with CSV, JSON or XML content, serial or parallel
/// batches, batch and job status, waiting with a timeout that is an error, results per batch tied to input rows, and query
/// jobs with PK chunking read across every chunk batch. The typed operations split input into batches of at most 10,000
/// records and 10 MB automatically.
/// </summary>
public sealed class BulkV1Client
{
    private static readonly XNamespace Ns = "http://www.force.com/2009/06/asyncapi/dataload";
    private readonly SalesforceConnection _connection;

    internal BulkV1Client(SalesforceConnection connection) => _connection = connection;

    /// <summary>Creates a job.</summary>
    public async Task<BulkV1JobInfo> CreateJobAsync(BulkV1JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Operation);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Object);
        var contentType = request.ContentType switch
        {
            BulkV1ContentType.Json => "JSON",
            BulkV1ContentType.Xml => "XML",
            _ => "CSV",
        };
        var fields = new List<(string, string)> { ("operation", request.Operation), ("object", request.Object) };
        if (request.ExternalIdFieldName is { } external)
        {
            fields.Add(("externalIdFieldName", external));
        }

        fields.Add(("concurrencyMode", request.ConcurrencyMode == BulkConcurrencyMode.Serial ? "Serial" : "Parallel"));
        fields.Add(("contentType", contentType));
        using var message = new HttpRequestMessage(HttpMethod.Post, await UriAsync("job", cancellationToken).ConfigureAwait(false))
        {
            Content = Info(request.ContentType == BulkV1ContentType.Json, fields),
        };
        if (request.PkChunking is { } chunking)
        {
            message.Headers.TryAddWithoutValidation("Sforce-Enable-PKChunking", chunking.HeaderValue);
        }

        return await SendForInfoAsync(message, request.ContentType == BulkV1ContentType.Json, BulkV1JobInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a job's state and counts.</summary>
    public async Task<BulkV1JobInfo> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Job(jobId), cancellationToken).ConfigureAwait(false));
        return await SendForInfoAsync(message, json: false, BulkV1JobInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes a job: no more batches; Salesforce finishes the queued ones.</summary>
    public Task<BulkV1JobInfo> CloseJobAsync(string jobId, CancellationToken cancellationToken = default) => SetStateAsync(jobId, "Closed", cancellationToken);

    /// <summary>Aborts a job: batches not started are not processed.</summary>
    public Task<BulkV1JobInfo> AbortJobAsync(string jobId, CancellationToken cancellationToken = default) => SetStateAsync(jobId, "Aborted", cancellationToken);

    /// <summary>Adds a batch: CSV (with a header), a JSON array of records, or an XML <c>sObjects</c> document; for a query job, the SOQL text.</summary>
    public async Task<BulkV1BatchInfo> AddBatchAsync(string jobId, BulkV1ContentType contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType switch
        {
            BulkV1ContentType.Json => "application/json",
            BulkV1ContentType.Xml => "application/xml",
            _ => "text/csv",
        }) { CharSet = "UTF-8" };
        using var message = new HttpRequestMessage(HttpMethod.Post, await UriAsync(Job(jobId) + "/batch", cancellationToken).ConfigureAwait(false)) { Content = body };
        return await SendForInfoAsync(message, contentType == BulkV1ContentType.Json, BulkV1BatchInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets one batch.</summary>
    public async Task<BulkV1BatchInfo> GetBatchAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Job(jobId) + "/batch/" + Uri.EscapeDataString(batchId), cancellationToken).ConfigureAwait(false));
        return await SendForInfoAsync(message, json: false, BulkV1BatchInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets every batch of a job, in creation order.</summary>
    public async Task<IReadOnlyList<BulkV1BatchInfo>> GetBatchesAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Job(jobId) + "/batch", cancellationToken).ConfigureAwait(false));
        using var response = await _connection.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsJson(response, text))
            {
                using var doc = JsonDocument.Parse(text);
                return [.. doc.RootElement.GetProperty("batchInfo").EnumerateArray().Select(e => BulkV1BatchInfo.Parse(BulkV1Info.FromJson(e)))];
            }

            return [.. XDocument.Parse(text).Root!.Elements().Select(e => BulkV1BatchInfo.Parse(BulkV1Info.FromXml(e)))];
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException or FormatException or KeyNotFoundException or InvalidOperationException or NullReferenceException)
        {
            throw SalesforceConnection.Malformed(message, response, "expected a batch info list", ex);
        }
    }

    /// <summary>
    /// Waits until every batch of the job (or the given ones) has finished, checking at a growing interval up to a cap.
    /// </summary>
    /// <exception cref="BulkJobTimeoutException">The batches did not finish within the timeout: an error, never a silent return.</exception>
    public async Task<IReadOnlyList<BulkV1BatchInfo>> WaitForBatchesAsync(string jobId, IReadOnlyCollection<string>? batchIds = null, TimeSpan? pollInterval = null,
        TimeSpan? maxPollInterval = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var time = _connection.TimeProvider;
        var started = time.GetUtcNow();
        var delay = pollInterval ?? TimeSpan.FromSeconds(1);
        var cap = maxPollInterval ?? TimeSpan.FromSeconds(15);
        var limit = timeout ?? TimeSpan.FromHours(1);
        while (true)
        {
            var batches = await GetBatchesAsync(jobId, cancellationToken).ConfigureAwait(false);
            var watched = batchIds is null ? batches : [.. batches.Where(b => batchIds.Contains(b.Id))];
            if (watched.All(b => b.IsFinished))
            {
                return watched;
            }

            if (time.GetUtcNow() - started + delay > limit)
            {
                var open = watched.Where(b => !b.IsFinished).ToList();
                throw new BulkJobTimeoutException(
                    $"Bulk API 1.0 job {jobId}: {open.Count} of {watched.Count} batches did not finish within {limit} ({string.Join(", ", open.Take(5).Select(b => b.Id + " " + b.State))}). They keep running on the server.")
                {
                    JobId = jobId,
                    LastState = BulkJobState.InProgress,
                };
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(cap.Ticks, (long)(delay.Ticks * 1.5)));
        }
    }

    /// <summary>The row results of an ingest batch, in the batch's row order (CSV, JSON or XML as the job was created).</summary>
    public async Task<IReadOnlyList<BulkV1RowResult>> GetBatchResultsAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Job(jobId) + "/batch/" + Uri.EscapeDataString(batchId) + "/result", cancellationToken).ConfigureAwait(false));
        using var response = await _connection.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ParseResultsAsync(response, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException or CsvFormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw SalesforceConnection.Malformed(message, response, "expected batch results", ex);
        }
    }

    /// <summary>The result ids of a completed query batch.</summary>
    public async Task<IReadOnlyList<string>> GetQueryResultIdsAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, await UriAsync(Job(jobId) + "/batch/" + Uri.EscapeDataString(batchId) + "/result", cancellationToken).ConfigureAwait(false));
        using var response = await _connection.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsJson(response, text))
            {
                using var doc = JsonDocument.Parse(text);
                return [.. doc.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new JsonException("null result id"))];
            }

            return [.. XDocument.Parse(text).Root!.Elements().Select(e => e.Value)];
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException or InvalidOperationException or NullReferenceException)
        {
            throw SalesforceConnection.Malformed(message, response, "expected a list of result ids", ex);
        }
    }

    /// <summary>Opens one result of a query batch (CSV for CSV jobs), to read once.</summary>
    public async Task<Stream> OpenQueryResultAsync(string jobId, string batchId, string resultId, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get,
            await UriAsync(Job(jobId) + "/batch/" + Uri.EscapeDataString(batchId) + "/result/" + Uri.EscapeDataString(resultId), cancellationToken).ConfigureAwait(false));
        var response = await _connection.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
    }

    /// <summary>
    /// Runs an ingest job over typed records as CSV: batches of at most <see cref="BulkV1Options.BatchSize"/> rows and
    /// <see cref="BulkV1Options.MaxBatchBytes"/> bytes (a new batch also starts when a record needs other columns), posted as
    /// they fill, then the job is closed and every batch awaited. Each row's result is tied back by its position in its batch.
    /// </summary>
    public async Task<BulkIngestResult<T>> IngestAsync<T>(BulkOperation operation, IAsyncEnumerable<T> records, string? externalIdField = null,
        BulkV1Options? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
    {
        ArgumentNullException.ThrowIfNull(records);
        options ??= new BulkV1Options();
        options.Validate();
        if ((operation == BulkOperation.Upsert) != (externalIdField is not null))
        {
            throw new ArgumentException("An external id field is needed for upserts, and only for them.", nameof(externalIdField));
        }

        var job = await CreateJobAsync(new BulkV1JobRequest
        {
            Operation = OperationName(operation), Object = T.SObjectName, ExternalIdFieldName = externalIdField, ConcurrencyMode = options.ConcurrencyMode,
        }, cancellationToken).ConfigureAwait(false);
        var shape = new TypedIngestShape<T>(operation, externalIdField);
        var posted = new List<(BulkV1BatchInfo? Batch, List<(int Index, T Item)> Rows, SalesforceError? Error)>();
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using var writer = new CsvWriter(text);
        IngestLayout<T>? layout = null;
        var rows = new List<(int Index, T Item)>();
        var index = 0;
        long batchBytes = 0;

        void StartBatch()
        {
            text.GetStringBuilder().Clear();
            var before = writer.BytesWritten;
            writer.WriteRow(layout!.Columns);
            batchBytes = writer.BytesWritten - before;
        }

        async Task PostAsync()
        {
            if (rows.Count == 0)
            {
                return;
            }

            var batchRows = rows;
            rows = [];
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            StartBatch();
            try
            {
                posted.Add((await AddBatchAsync(job.Id, BulkV1ContentType.Csv, bytes, cancellationToken).ConfigureAwait(false), batchRows, null));
            }
            catch (SalesforceException ex)
            {
                posted.Add((null, batchRows, new SalesforceError(ex.ErrorCode ?? "ERROR", ex.Message, [])));
            }
        }

        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (layout is null || !layout.Covers(record))
            {
                await PostAsync().ConfigureAwait(false);
                layout = shape.Layout(record);
                StartBatch();
            }

            var rowStart = text.GetStringBuilder().Length;
            var bytesBefore = writer.BytesWritten;
            layout.Write(writer, record);
            var rowBytes = writer.BytesWritten - bytesBefore;
            if (rows.Count > 0 && (rows.Count >= options.BatchSize || batchBytes + rowBytes > options.MaxBatchBytes))
            {
                var row = text.GetStringBuilder().ToString(rowStart, text.GetStringBuilder().Length - rowStart);
                text.GetStringBuilder().Length = rowStart;
                await PostAsync().ConfigureAwait(false);
                text.Write(row);
            }

            if (batchBytes + rowBytes > options.MaxBatchBytes)
            {
                throw new ArgumentException($"Row {index} alone is {rowBytes:N0} bytes of CSV, more than a batch may hold ({options.MaxBatchBytes:N0}).", nameof(records));
            }

            batchBytes += rowBytes;
            rows.Add((index++, record));
        }

        await PostAsync().ConfigureAwait(false);
        job = await CloseJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
        var ids = posted.Where(p => p.Batch is not null).Select(p => p.Batch!.Id).ToHashSet(StringComparer.Ordinal);
        var finished = (await WaitForBatchesAsync(job.Id, ids, options.PollInterval, options.MaxPollInterval, options.Timeout, cancellationToken).ConfigureAwait(false))
            .ToDictionary(b => b.Id, StringComparer.Ordinal);

        var successful = new List<BulkRecordResult<T>>();
        var failed = new List<BulkRecordResult<T>>();
        var unprocessed = new List<BulkRecordResult<T>>();
        foreach (var (batch, batchRows, error) in posted)
        {
            var info = batch is null ? null : finished[batch.Id];
            IReadOnlyList<BulkV1RowResult> results = info is { State: BulkBatchState.Completed } ? await GetBatchResultsAsync(job.Id, info.Id, cancellationToken).ConfigureAwait(false) : [];
            var reason = error ?? new SalesforceError(info!.State == BulkBatchState.Failed ? "BATCH_FAILED" : "BATCH_NOT_PROCESSED", info.StateMessage ?? $"The batch ended {info.State}.", []);
            for (var i = 0; i < batchRows.Count; i++)
            {
                var (rowIndex, item) = batchRows[i];
                if (i >= results.Count)
                {
                    unprocessed.Add(new BulkRecordResult<T>(rowIndex, item, job.Id) { Errors = [reason] });
                }
                else if (results[i].Success)
                {
                    SalesforceId? id = SalesforceId.TryParse(results[i].Id, out var parsed) ? parsed : null;
                    shape.Succeeded(item, id);
                    successful.Add(new BulkRecordResult<T>(rowIndex, item, job.Id) { Id = id, Created = results[i].Created });
                }
                else
                {
                    failed.Add(new BulkRecordResult<T>(rowIndex, item, job.Id) { Errors = BulkIngest<T>.ParseErrors(results[i].Error ?? string.Empty) });
                }
            }
        }

        Events.SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "succeeded", successful.Count);
        Events.SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "failed", failed.Count);
        Events.SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "unprocessed", unprocessed.Count);
        var events = _connection.Pipeline.Events;
        if (events.IsEnabled<Events.BulkApiBatchConsumptionEvent>())
        {
            events.Publish(Events.BulkApiBatchConsumptionEvent.Create("/services/async/job/" + job.Id, _connection.TimeProvider.GetUtcNow(), job.Id, posted.Count(p => p.Batch is not null)));
        }

        var jobInfo = new BulkJobInfo { Id = job.Id, Operation = job.Operation, Object = job.Object, State = BulkJobState.Closed, JobType = "Classic", NumberRecordsProcessed = successful.Count + failed.Count, NumberRecordsFailed = failed.Count };
        return new BulkIngestResult<T>(index, [jobInfo], successful, failed, unprocessed);
    }

    /// <summary>
    /// Runs a query job (with PK chunking when asked) and streams every result of every completed batch into typed records,
    /// batch by batch in creation order. The original batch of a PK-chunked job (NotProcessed) is skipped, as it has no rows.
    /// </summary>
    /// <exception cref="BulkJobFailedException">A batch failed (an invalid query, for example).</exception>
    /// <exception cref="BulkJobTimeoutException">The batches did not finish in time.</exception>
    public async IAsyncEnumerable<T> QueryAsync<T>(string soql, BulkV1Options? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        options ??= new BulkV1Options();
        options.Validate();
        var job = await CreateJobAsync(new BulkV1JobRequest
        {
            Operation = options.IncludeDeleted ? "queryAll" : "query", Object = T.SObjectName, ConcurrencyMode = options.ConcurrencyMode, PkChunking = options.PkChunking,
        }, cancellationToken).ConfigureAwait(false);
        await AddBatchAsync(job.Id, BulkV1ContentType.Csv, Encoding.UTF8.GetBytes(soql), cancellationToken).ConfigureAwait(false);
        var batches = await WaitForBatchesAsync(job.Id, null, options.PollInterval, options.MaxPollInterval, options.Timeout, cancellationToken).ConfigureAwait(false);
        await CloseJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
        if (batches.FirstOrDefault(b => b.State == BulkBatchState.Failed) is { } failed)
        {
            throw new BulkJobFailedException($"Bulk API 1.0 query job {job.Id}: batch {failed.Id} failed: {failed.StateMessage}. Query: {soql}");
        }

        long rows = 0;
        foreach (var batch in batches.Where(b => b.State == BulkBatchState.Completed))
        {
            foreach (var resultId in await GetQueryResultIdsAsync(job.Id, batch.Id, cancellationToken).ConfigureAwait(false))
            {
                var stream = await OpenQueryResultAsync(job.Id, batch.Id, resultId, cancellationToken).ConfigureAwait(false);
                using var reader = new CsvReader(stream);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var map = new CsvRecordMap<T>(reader.GetRow());
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    yield return map.Read(reader);
                }
            }
        }

        Events.SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "queried", rows);
    }

    private static string OperationName(BulkOperation operation) => operation switch
    {
        BulkOperation.Insert => "insert",
        BulkOperation.Update => "update",
        BulkOperation.Upsert => "upsert",
        BulkOperation.Delete => "delete",
        _ => "hardDelete",
    };

    private static string Job(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return "job/" + Uri.EscapeDataString(jobId);
    }

    private async Task<BulkV1JobInfo> SetStateAsync(string jobId, string state, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, await UriAsync(Job(jobId), cancellationToken).ConfigureAwait(false))
        {
            Content = Info(json: false, [("state", state)]),
        };
        return await SendForInfoAsync(message, json: false, BulkV1JobInfo.Parse, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Uri> UriAsync(string relative, CancellationToken cancellationToken)
    {
        var instance = await _connection.GetInstanceUrlAsync(cancellationToken).ConfigureAwait(false);
        var version = await _connection.GetApiVersionAsync(cancellationToken).ConfigureAwait(false);
        return new Uri(instance, "services/async/" + version + "/" + relative);
    }

    private static ByteArrayContent Info(bool json, IEnumerable<(string Name, string Value)> fields)
    {
        ByteArrayContent content;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (name, value) in fields)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            content = new ByteArrayContent(buffer.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
            return content;
        }

        var xml = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "jobInfo", fields.Select(f => new XElement(Ns + f.Name, f.Value))));
        content = new ByteArrayContent(Encoding.UTF8.GetBytes(xml.Declaration + xml.ToString(SaveOptions.DisableFormatting)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "UTF-8" };
        return content;
    }

    private async Task<T> SendForInfoAsync<T>(HttpRequestMessage message, bool json, Func<BulkV1Info, T> parse, CancellationToken cancellationToken)
    {
        message.Headers.Accept.Clear();
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(json ? "application/json" : "application/xml"));
        using var response = await _connection.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsJson(response, text))
            {
                using var doc = JsonDocument.Parse(text);
                return parse(BulkV1Info.FromJson(doc.RootElement.Clone()));
            }

            return parse(BulkV1Info.FromXml(XDocument.Parse(text).Root ?? throw new FormatException("empty XML")));
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException or FormatException or InvalidOperationException)
        {
            throw SalesforceConnection.Malformed(message, response, "expected a job or batch info (XML or JSON)", ex);
        }
    }

    private static bool IsJson(HttpResponseMessage response, string text)
        => response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
           || text.AsSpan().TrimStart() is [('{' or '['), ..];

    private static async Task<IReadOnlyList<BulkV1RowResult>> ParseResultsAsync(HttpResponseMessage response, string text, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
        if (IsJson(response, text))
        {
            using var doc = JsonDocument.Parse(text);
            return [.. doc.RootElement.EnumerateArray().Select(e => new BulkV1RowResult(
                e.TryGetProperty("id", out var id) ? id.GetString() : null,
                e.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True,
                e.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.True,
                e.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    ? string.Join(" ", errors.EnumerateArray().Select(x => $"{Str(x, "statusCode")}:{Str(x, "message")}:{string.Join(',', x.TryGetProperty("fields", out var f) ? f.EnumerateArray().Select(v => v.GetString()) : [])} --"))
                    : null))];
        }

        if (mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase) || text.AsSpan().TrimStart().StartsWith("<"))
        {
            var root = XDocument.Parse(text).Root!;
            var ns = root.Name.Namespace;
            return [.. root.Elements(ns + "result").Select(r => new BulkV1RowResult(
                r.Element(ns + "id")?.Value, r.Element(ns + "success")?.Value == "true", r.Element(ns + "created")?.Value == "true",
                r.Elements(ns + "errors").Select(e => $"{e.Element(ns + "statusCode")?.Value}:{e.Element(ns + "message")?.Value}:{string.Join(',', e.Elements(ns + "fields").Select(f => f.Value))} --").FirstOrDefault()))];
        }

        var list = new List<BulkV1RowResult>();
        using var reader = new CsvReader(new StringReader(text));
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return list;
        }

        var header = reader.GetRow();
        int Col(string name) => Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        var (idCol, successCol, createdCol, errorCol) = (Col("Id"), Col("Success"), Col("Created"), Col("Error"));
        if (successCol < 0)
        {
            throw new CsvFormatException($"The batch result has no Success column (header: {string.Join(",", header)}).");
        }

        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? Get(int i) => i >= 0 && i < reader.FieldCount ? reader.GetString(i) : null;
            list.Add(new BulkV1RowResult(Get(idCol), Get(successCol) == "true", Get(createdCol) == "true", Get(errorCol) is { Length: > 0 } e ? e : null));
        }

        return list;
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    /// <summary>A response body that disposes its response when disposed.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
