using System.Runtime.CompilerServices;
using System.Text;
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
    private readonly SalesforceConnection _connection;
    private readonly BulkV1Api _api;

    internal BulkV1Client(SalesforceConnection connection)
    {
        _connection = connection;
        _api = new BulkV1Api(connection);
    }

    /// <summary>Creates a job.</summary>
    public Task<BulkV1JobInfo> CreateJobAsync(BulkV1JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Operation);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Object);
        return _api.CreateJobAsync(request, cancellationToken);
    }

    /// <summary>Gets a job's state and counts.</summary>
    public Task<BulkV1JobInfo> GetJobAsync(string jobId, CancellationToken cancellationToken = default) => _api.GetJobAsync(jobId, cancellationToken);

    /// <summary>Closes a job: no more batches; Salesforce finishes the queued ones.</summary>
    public Task<BulkV1JobInfo> CloseJobAsync(string jobId, CancellationToken cancellationToken = default) => _api.SetStateAsync(jobId, "Closed", cancellationToken);

    /// <summary>Aborts a job: batches not started are not processed.</summary>
    public Task<BulkV1JobInfo> AbortJobAsync(string jobId, CancellationToken cancellationToken = default) => _api.SetStateAsync(jobId, "Aborted", cancellationToken);

    /// <summary>Adds a batch: CSV (with a header), a JSON array of records, or an XML <c>sObjects</c> document; for a query job, the SOQL text.</summary>
    public Task<BulkV1BatchInfo> AddBatchAsync(string jobId, BulkV1ContentType contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        => _api.AddBatchAsync(jobId, contentType, content, cancellationToken);

    /// <summary>Gets one batch.</summary>
    public Task<BulkV1BatchInfo> GetBatchAsync(string jobId, string batchId, CancellationToken cancellationToken = default) => _api.GetBatchAsync(jobId, batchId, cancellationToken);

    /// <summary>Gets every batch of a job, in creation order.</summary>
    public Task<IReadOnlyList<BulkV1BatchInfo>> GetBatchesAsync(string jobId, CancellationToken cancellationToken = default) => _api.GetBatchesAsync(jobId, cancellationToken);

    /// <summary>
    /// Waits until every batch of the job (or the given ones) has finished, checking at a growing interval up to a cap.
    /// </summary>
    /// <exception cref="BulkJobTimeoutException">The batches did not finish within the timeout: an error, never a silent return.</exception>
    public async Task<IReadOnlyList<BulkV1BatchInfo>> WaitForBatchesAsync(string jobId, IReadOnlyCollection<string>? batchIds = null, TimeSpan? pollInterval = null,
        TimeSpan? maxPollInterval = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var (batches, late) = await PollBatchesAsync(jobId, batchIds, pollInterval ?? TimeSpan.FromSeconds(1), maxPollInterval ?? TimeSpan.FromSeconds(15), timeout ?? TimeSpan.FromHours(1),
            cancellationToken).ConfigureAwait(false);
        return late is null ? batches : throw late;
    }

    /// <summary>Polls the batches until all have finished or the time is up; then the batches as last seen, and the timeout's error if it was.</summary>
    private async Task<(IReadOnlyList<BulkV1BatchInfo> Batches, BulkJobTimeoutException? Late)> PollBatchesAsync(string jobId, IReadOnlyCollection<string>? batchIds,
        TimeSpan pollInterval, TimeSpan maxPollInterval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var schedule = new PollSchedule(_connection.TimeProvider, pollInterval, maxPollInterval, timeout);
        while (true)
        {
            var batches = await GetBatchesAsync(jobId, cancellationToken).ConfigureAwait(false);
            var watched = batchIds is null ? batches : [.. batches.Where(b => batchIds.Contains(b.Id))];
            if (watched.All(b => b.IsFinished))
            {
                return (watched, null);
            }

            if (schedule.Expired)
            {
                var open = watched.Where(b => !b.IsFinished).ToList();
                return (watched, new BulkJobTimeoutException(
                    $"Bulk API 1.0 job {jobId}: {open.Count} of {watched.Count} batches did not finish within {schedule.Timeout} ({string.Join(", ", open.Take(5).Select(b => b.Id + " " + b.State))}). They keep running on the server.")
                {
                    JobId = jobId,
                    LastState = BulkJobState.InProgress,
                });
            }

            await schedule.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The row results of an ingest batch, in the batch's row order (CSV, JSON or XML as the job was created).</summary>
    public Task<IReadOnlyList<BulkV1RowResult>> GetBatchResultsAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
        => _api.GetBatchResultsAsync(jobId, batchId, cancellationToken);

    /// <summary>The result ids of a completed query batch.</summary>
    public Task<IReadOnlyList<string>> GetQueryResultIdsAsync(string jobId, string batchId, CancellationToken cancellationToken = default)
        => _api.GetQueryResultIdsAsync(jobId, batchId, cancellationToken);

    /// <summary>Opens one result of a query batch (CSV for CSV jobs), to read once.</summary>
    public async Task<Stream> OpenQueryResultAsync(string jobId, string batchId, string resultId, CancellationToken cancellationToken = default)
        => await _api.OpenQueryResultAsync(jobId, batchId, resultId, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs an ingest job over typed records (see the <see cref="IAsyncEnumerable{T}"/> overload).</summary>
    public Task<BulkIngestResult<T>> IngestAsync<T>(BulkOperation operation, IEnumerable<T> records, string? externalIdField = null,
        BulkV1Options? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(operation, BulkClient.Async(records), externalIdField, options, cancellationToken);

    /// <summary>
    /// Runs an ingest job over typed records as CSV: batches of at most <see cref="BulkV1Options.BatchSize"/> rows and
    /// <see cref="BulkV1Options.MaxBatchBytes"/> bytes (a record that needs another column widens the batch's header; in parallel
    /// mode, records naming a parent another way fill a batch of their own alongside), posted as they fill, then the job is
    /// closed and every batch awaited. Each row's result is tied back by its position in its batch.
    /// A batch whose adding fails does not end the run: if the job has it anyway (the answer was lost), its rows are read from
    /// it; otherwise they are unprocessed, with the error.
    /// </summary>
    /// <exception cref="BulkIngestInterruptedException{T}">Taking the records stopped with an error (the source threw, or a
    /// record was null or too large), or some batches' outcome could not be read (they did not finish within
    /// <see cref="BulkV1Options.Timeout"/>, or polling or reading their results failed); the other batches ran to their end,
    /// and its result accounts for every row taken.</exception>
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
            Operation = operation.ApiName(), Object = T.SObjectName, ExternalIdFieldName = externalIdField, ConcurrencyMode = options.ConcurrencyMode,
        }, cancellationToken).ConfigureAwait(false);
        var shape = new TypedIngestShape<T>(operation, externalIdField);
        var posted = new List<PostedBatch<T>>();
        // Each row is formatted alone, as UTF-8, before it is placed: its size decides whether it starts the next batch. The
        // header goes through a writer of its own, so a new batch never touches the row.
        using var row = CsvWriter.IntoMemory(CsvDelimiter.Comma, CsvLineEnding.Lf);
        using var header = CsvWriter.IntoMemory(CsvDelimiter.Comma, CsvLineEnding.Lf);
        // The batches being filled: usually one. Records that name a parent in different ways (its id field, an external id
        // field), which one header cannot hold, each fill a batch of their own alongside (at most MaxBatchesFilled; in
        // parallel mode only, as serial mode processes batches in the order they are added), instead of posting the batch at
        // every change; together they hold at most MaxBatchBytes, the largest posted first.
        var filling = new List<FillingBatch<T>>();
        var maxFilling = options.ConcurrencyMode == BulkConcurrencyMode.Serial ? 1 : MaxBatchesFilled;
        var index = 0;

        async Task PostAsync(FillingBatch<T> batch)
        {
            if (batch.Rows.Count == 0)
            {
                return;
            }

            var batchRows = batch.Rows;
            batch.Rows = [];
            batch.LargestRow = 0;
            var body = batch.Body;
            try
            {
                // The upload is done when the call returns, so the body's buffer is sent as it is and then reused.
                var content = body.GetBuffer().AsMemory(0, (int)body.Length);
                posted.Add(new(batchRows) { Batch = await AddBatchAsync(job.Id, BulkV1ContentType.Csv, content, cancellationToken).ConfigureAwait(false) });
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
            {
                // The batch may still have arrived (an answer lost on the way back): its values find it among the job's
                // batches once the job is closed.
                posted.Add(new(batchRows)
                {
                    Error = new SalesforceError((ex as SalesforceException)?.ErrorCode ?? "BATCH_NOT_ADDED", ex.Message, []),
                    Content = await ValuesOfAsync(new MemoryStream(body.GetBuffer(), 0, (int)body.Length, writable: false), cancellationToken).ConfigureAwait(false),
                });
            }
            finally
            {
                body.SetLength(0);
            }
        }

        // Adds the row just formatted to the batch, first posting the batch when the row does not fit.
        async Task PlaceAsync(FillingBatch<T> batch, int at, T record)
        {
            var rowBytes = row.Formatted.Length;
            if (batch.Rows.Count > 0 && (batch.Rows.Count >= options.BatchSize || batch.Body.Length + rowBytes > options.MaxBatchBytes))
            {
                await PostAsync(batch).ConfigureAwait(false);
            }

            if (batch.Body.Length == 0)
            {
                header.WriteRow(batch.Layout.Columns);
                batch.Body.Write(header.Formatted.Span);
                header.ClearFormatted();
            }

            if (batch.Body.Length + rowBytes > options.MaxBatchBytes)
            {
                throw new ArgumentException($"Row {at} alone is {rowBytes:N0} bytes of CSV, more than a batch may hold ({options.MaxBatchBytes:N0}).", nameof(records));
            }

            batch.Body.Write(row.Formatted.Span);
            row.ClearFormatted();
            batch.Rows.Add((at, record));
            batch.LargestRow = Math.Max(batch.LargestRow, rowBytes);
        }

        // Whether the batch's largest row, widened by added empty fields, fits a batch under the wider header.
        bool Fits(FillingBatch<T> batch, IngestLayout<T> wider, int added)
        {
            header.WriteRow(wider.Columns);
            var headerBytes = header.Formatted.Length;
            header.ClearFormatted();
            return headerBytes + batch.LargestRow + added <= options.MaxBatchBytes;
        }

        // The batch of those filling that takes the record: one whose header covers it, or one whose header can be widened to
        // (the other rows leave the new columns empty, which Bulk reads as "not set"): the batch is written again under it,
        // so that records setting different fields do not each make a batch (each row grows by one delimiter per new column:
        // a batch whose largest row would then not fit is posted as it is, and goes on under the wider header). Else a new
        // batch, once the oldest is posted when the most are filling.
        async Task<FillingBatch<T>> BatchForAsync(T record)
        {
            foreach (var batch in filling)
            {
                if (batch.Layout.Covers(record))
                {
                    return batch;
                }
            }

            foreach (var batch in filling)
            {
                if (shape.Widen(batch.Layout, record) is not { } wider)
                {
                    continue;
                }

                var added = wider.Columns.Count - batch.Layout.Columns.Count;
                if (!Fits(batch, wider, added))
                {
                    await PostAsync(batch).ConfigureAwait(false);
                    batch.Layout = wider;
                    return batch;
                }

                batch.Layout = wider;
                var placed = batch.Rows;
                batch.Rows = [];
                batch.LargestRow = 0;
                var earlier = new MemoryStream(batch.Body.ToArray(), writable: false);
                batch.Body.SetLength(0);
                await WidenedRows.RewriteAsync(earlier, CsvDelimiter.Comma, row, added, i => PlaceAsync(batch, placed[i].Index, placed[i].Item), cancellationToken).ConfigureAwait(false);
                return batch;
            }

            if (filling.Count == maxFilling)
            {
                await PostAsync(filling[0]).ConfigureAwait(false);
                filling[0].Body.Dispose();
                filling.RemoveAt(0);
            }

            var started = new FillingBatch<T>(shape.Layout(record));
            filling.Add(started);
            return started;
        }

        async Task TakeAllAsync()
        {
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                ArgumentNullException.ThrowIfNull(record, nameof(records));
                var batch = await BatchForAsync(record).ConfigureAwait(false);
                batch.Layout.Write(row, record);
                if (row.NullTextWritten)
                {
                    // A text value is "#N/A" itself, which Bulk API would store as null: the row is not sent.
                    row.NullTextWritten = false;
                    row.ClearFormatted();
                    posted.Add(new([(index++, record)]) { Error = BulkErrors.TextReadAsNull() });
                    continue;
                }

                await PlaceAsync(batch, index, record).ConfigureAwait(false);
                index++;
                if (filling.Count > 1 && filling.Sum(b => b.Body.Length) > options.MaxBatchBytes)
                {
                    var largest = filling.MaxBy(b => b.Body.Length)!;
                    await PostAsync(largest).ConfigureAwait(false);
                    largest.Body.Dispose();
                    filling.Remove(largest);
                }
            }
        }

        Exception? stopped = null;
        try
        {
            await TakeAllAsync().ConfigureAwait(false);
            foreach (var batch in filling)
            {
                await PostAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Taking the records stopped with an error (the source failed, or a record was refused): the batches added are
            // still awaited and reported with it; the rows taken but not added are unprocessed.
            stopped = ex;
            foreach (var batch in filling.Where(b => b.Rows.Count > 0))
            {
                posted.Add(new(batch.Rows) { Error = BulkIngestInterruptedException<T>.NotSent(ex) });
            }
        }
        finally
        {
            foreach (var batch in filling)
            {
                batch.Body.Dispose();
            }
        }

        try
        {
            job = await CloseJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
        {
            // Closing only tells the org that no batch follows: the batches added are processed either way, so their
            // results are still read.
        }

        // From here on, an error that keeps a batch's outcome from being read (a lost batch not looked for, a wait that timed
        // out or failed, results unreadable) leaves that batch's rows with an unknown outcome, not the whole run unreported.
        var faults = new List<Exception>();
        if (posted.Any(p => p.Content is not null))
        {
            try
            {
                await FindLostBatchesAsync(job.Id, posted, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
            {
                faults.Add(ex);
                foreach (var add in posted.Where(p => p.Batch is null && p.Content is not null))
                {
                    add.Error = Unknown($"Adding the batch failed ({add.Error?.Message}), and whether it arrived anyway could not be learned", job.Id, ex);
                }
            }
        }

        var ids = posted.Where(p => p.Batch is not null).Select(p => p.Batch!.Id).ToHashSet(StringComparer.Ordinal);
        Dictionary<string, BulkV1BatchInfo> seen = [];
        Exception? waitFault = null;
        try
        {
            var (batches, late) = await PollBatchesAsync(job.Id, ids, options.PollInterval, options.MaxPollInterval, options.Timeout, cancellationToken).ConfigureAwait(false);
            seen = batches.ToDictionary(b => b.Id, StringComparer.Ordinal);
            waitFault = late;
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
        {
            waitFault = ex;
        }

        if (waitFault is not null)
        {
            faults.Add(waitFault);
        }

        var successful = new List<BulkRecordResult<T>>();
        var failed = new List<BulkRecordResult<T>>();
        var unprocessed = new List<BulkRecordResult<T>>();
        foreach (var add in posted)
        {
            var (batchRows, reason) = (add.Rows, add.Error);
            IReadOnlyList<BulkV1RowResult> results = [];
            if (add.Batch is { } batch)
            {
                var info = seen.GetValueOrDefault(batch.Id) ?? batch;
                if (!info.IsFinished)
                {
                    reason = Unknown($"The outcome of batch {info.Id} ({info.State} when last seen) could not be read", job.Id, waitFault!);
                }
                else if (info.State == BulkBatchState.Completed)
                {
                    try
                    {
                        results = await GetBatchResultsAsync(job.Id, info.Id, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
                    {
                        faults.Add(ex);
                        reason = Unknown($"Batch {info.Id} completed, but its results could not be read", job.Id, ex);
                    }
                }
                else
                {
                    reason = new SalesforceError(info.State == BulkBatchState.Failed ? "BATCH_FAILED" : "BATCH_NOT_PROCESSED", info.StateMessage ?? $"The batch ended {info.State}.", []);
                }
            }

            for (var i = 0; i < batchRows.Count; i++)
            {
                var (rowIndex, item) = batchRows[i];
                if (i >= results.Count)
                {
                    unprocessed.Add(new BulkRecordResult<T>(rowIndex, item, job.Id) { Errors = [reason ?? new SalesforceError("NOT_IN_RESULTS", $"The row is beyond the {results.Count:N0} results of its batch.", [])] });
                }
                else if (results[i].Success)
                {
                    SalesforceId? id = SalesforceId.TryParse(results[i].Id, out var parsed) ? parsed : null;
                    shape.Succeeded(item, id);
                    successful.Add(new BulkRecordResult<T>(rowIndex, item, job.Id) { Id = id, Created = results[i].Created });
                }
                else
                {
                    failed.Add(new BulkRecordResult<T>(rowIndex, item, job.Id) { Errors = BulkErrors.Parse(results[i].Error ?? string.Empty) });
                }
            }
        }

        Events.SalesforceTelemetry.RecordBulkOutcomes(job.Operation, job.Object, successful.Count, failed.Count, unprocessed.Count);
        var events = _connection.Pipeline.Events;
        if (events.IsEnabled<Events.BulkApiBatchConsumptionEvent>())
        {
            events.Publish(Events.BulkApiBatchConsumptionEvent.Create("/services/async/job/" + job.Id, _connection.TimeProvider.GetUtcNow(), job.Id, posted.Count(p => p.Batch is not null)));
        }

        var jobInfo = new BulkJobInfo { Id = job.Id, Operation = job.Operation, Object = job.Object, State = BulkJobState.Closed, JobType = "Classic", NumberRecordsProcessed = successful.Count + failed.Count, NumberRecordsFailed = failed.Count };
        var result = new BulkIngestResult<T>(index, [jobInfo], successful, failed, unprocessed);
        return stopped is not null ? throw BulkIngestInterruptedException<T>.After(result, stopped)
            : faults.Count > 0 ? throw BulkIngestInterruptedException<T>.Unread(result, "batches", posted.Count, faults)
            : result;
    }

    /// <summary>The error of rows whose outcome <paramref name="fault"/> kept from being known; <paramref name="what"/> says what was not learned.</summary>
    private static SalesforceError Unknown(string what, string jobId, Exception fault)
        => new("OUTCOME_UNKNOWN", $"{what} ({fault.Message}). The row may have been processed or may still be: check job {jobId} before sending it again.", []);

    /// <summary>The most batches filled at once: records naming a parent in different ways fill one each (parallel mode).</summary>
    internal const int MaxBatchesFilled = 4;

    /// <summary>A batch being filled: its header, its CSV so far, and its rows.</summary>
    private sealed class FillingBatch<T>(IngestLayout<T> layout)
    {
        public IngestLayout<T> Layout { get; set; } = layout;

        public MemoryStream Body { get; } = new();

        public List<(int Index, T Item)> Rows { get; set; } = [];

        /// <summary>The size of its largest row, in bytes.</summary>
        public int LargestRow { get; set; }
    }

    /// <summary>A batch of an ingest run: its rows, and the batch the org made of them or the error that kept them out.</summary>
    private sealed class PostedBatch<T>(List<(int Index, T Item)> rows)
    {
        public List<(int Index, T Item)> Rows { get; } = rows;

        public BulkV1BatchInfo? Batch { get; set; }

        public SalesforceError? Error { get; set; }

        /// <summary>The hashes of the content's rows (see <see cref="ValuesOfAsync"/>), kept when adding it failed.</summary>
        public ulong[]? Content { get; init; }
    }

    /// <summary>
    /// Finds the batches whose adding failed among the job's batches: a batch the job has that no add returned arrived with
    /// its answer lost, and is tied to the failed add whose content it holds (its rows are then processed like any other's).
    /// A failed add whose content no batch holds never reached the org: its rows stay unprocessed with the add's error.
    /// </summary>
    private async Task FindLostBatchesAsync<T>(string jobId, List<PostedBatch<T>> posted, CancellationToken cancellationToken)
    {
        var known = posted.Where(p => p.Batch is not null).Select(p => p.Batch!.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in (await GetBatchesAsync(jobId, cancellationToken).ConfigureAwait(false)).Where(b => !known.Contains(b.Id)))
        {
            var (request, path) = await _api.GetBatchRequestAsync(jobId, unknown.Id, cancellationToken).ConfigureAwait(false);
            ulong[] content;
            try
            {
                content = await ValuesOfAsync(new MemoryStream(request, writable: false), cancellationToken).ConfigureAwait(false);
            }
            catch (CsvFormatException ex)
            {
                throw ResultCsv.Unreadable(path, ex);
            }

            if (posted.FirstOrDefault(p => p.Batch is null && p.Content.AsSpan().SequenceEqual(content)) is { } add)
            {
                add.Batch = unknown;
                add.Error = null;
            }
        }
    }

    /// <summary>A hash of each row's values, header included: the same however the org quotes or ends the lines it keeps.</summary>
    private static async Task<ulong[]> ValuesOfAsync(MemoryStream csv, CancellationToken cancellationToken)
    {
        var rows = new List<ulong>();
        using var reader = new CsvReader(csv);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(RowHasher.Of(reader));
        }

        return [.. rows];
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
                var stream = await _api.OpenQueryResultAsync(job.Id, batch.Id, resultId, cancellationToken).ConfigureAwait(false);
                using var reader = new CsvReader(stream);
                if (!await ResultCsv.ReadAsync(reader, stream.RequestPath, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var map = ResultCsv.Map<T>(reader, stream.RequestPath);
                while (await ResultCsv.ReadAsync(reader, stream.RequestPath, cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    yield return ResultCsv.Read(map, reader, stream.RequestPath);
                }
            }
        }

        Events.SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "queried", rows);
    }
}
