using System.Text;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Events;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>The columns of one job and how an item becomes a row under them.</summary>
internal abstract class IngestLayout<TItem>
{
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Whether this header holds everything the item carries (else the item starts a job with its own header).</summary>
    public abstract bool Covers(TItem item);

    public abstract void Write(CsvWriter writer, TItem item);
}

/// <summary>How items of a kind become CSV and take their results.</summary>
internal abstract class IngestShape<TItem>
{
    public abstract IngestLayout<TItem> Layout(TItem first);

    public virtual void Succeeded(TItem item, SalesforceId? id)
    {
    }
}

/// <summary>
/// One ingest run: streams items into jobs of at most <see cref="BulkIngestOptions.MaxUploadBytes"/> (a new job also starts
/// when an item carries fields the current header lacks), runs the jobs with bounded concurrency, and ties every result row
/// back to its input row by a hash of the row's values, so each input row ends up succeeded, failed or unprocessed.
/// </summary>
internal sealed class BulkIngest<TItem>(BulkV2Api api, BulkOperation operation, string sObject, string? externalIdField, BulkIngestOptions options, IngestShape<TItem> shape)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (long Processed, long Failed)> _live = [];
    private long _submitted;
    private int _jobsStarted;
    private int _jobsCompleted;

    private sealed class PendingJob(IngestLayout<TItem> layout)
    {
        public IngestLayout<TItem> Layout { get; } = layout;

        public MemoryStream Body { get; } = new();

        public List<(int Index, TItem Item, ulong Hash)> Rows { get; } = [];
    }

    private sealed record JobOutcome(BulkJobInfo? Job, List<BulkRecordResult<TItem>> Successful, List<BulkRecordResult<TItem>> Failed, List<BulkRecordResult<TItem>> Unprocessed);

    public async Task<BulkIngestResult<TItem>> RunAsync(IAsyncEnumerable<TItem> items, CancellationToken cancellationToken)
    {
        options.Validate();
        using var slots = new SemaphoreSlim(options.MaxConcurrentJobs);
        var running = new List<Task<JobOutcome>>();
        var scratchText = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using var scratch = new CsvWriter(scratchText, options.Delimiter, options.LineEnding) { HashRows = true };
        var encodeBuffer = new byte[4096];
        PendingJob? job = null;
        var index = 0;

        async Task SealAsync(PendingJob sealedJob)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _submitted, sealedJob.Rows.Count);
            running.Add(RunJobAsync(sealedJob, slots, cancellationToken));
        }

        PendingJob Start(IngestLayout<TItem> layout)
        {
            var started = new PendingJob(layout);
            Render(scratch, scratchText, w => w.WriteRow(layout.Columns));
            Append(started.Body, scratchText.GetStringBuilder(), ref encodeBuffer);
            return started;
        }

        try
        {
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                ArgumentNullException.ThrowIfNull(item, "records");
                if (job is not null && !job.Layout.Covers(item))
                {
                    await SealAsync(job).ConfigureAwait(false);
                    job = null;
                }

                job ??= Start(shape.Layout(item));
                Render(scratch, scratchText, w => job.Layout.Write(w, item));
                var rowBytes = ByteCount(scratchText.GetStringBuilder());
                if (job.Rows.Count > 0 && (job.Body.Length + rowBytes > options.MaxUploadBytes || job.Rows.Count >= options.MaxRecordsPerJob))
                {
                    await SealAsync(job).ConfigureAwait(false);
                    job = Start(job.Layout);
                }

                if (job.Body.Length + rowBytes > options.MaxUploadBytes)
                {
                    throw new ArgumentException($"Row {index} alone is {rowBytes:N0} bytes of CSV, more than the {options.MaxUploadBytes:N0} bytes a bulk upload may hold.", "records");
                }

                Append(job.Body, scratchText.GetStringBuilder(), ref encodeBuffer);
                job.Rows.Add((index++, item, scratch.LastRowHash));
            }

            if (job is { Rows.Count: > 0 })
            {
                await SealAsync(job).ConfigureAwait(false);
            }
        }
        catch
        {
            // Let the jobs already started finish (they hold uploaded data) before the error surfaces.
            await Task.WhenAll(running.Select(t => t.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }

        var outcomes = await Task.WhenAll(running).ConfigureAwait(false);
        static List<BulkRecordResult<TItem>> Merge(IEnumerable<List<BulkRecordResult<TItem>>> lists) => [.. lists.SelectMany(l => l).OrderBy(r => r.Index)];
        return new BulkIngestResult<TItem>(index, [.. outcomes.Select(o => o.Job).OfType<BulkJobInfo>()],
            Merge(outcomes.Select(o => o.Successful)), Merge(outcomes.Select(o => o.Failed)), Merge(outcomes.Select(o => o.Unprocessed)));
    }

    private static void Render(CsvWriter writer, StringWriter text, Action<CsvWriter> write)
    {
        text.GetStringBuilder().Clear();
        write(writer);
    }

    private static long ByteCount(StringBuilder text)
    {
        long count = 0;
        foreach (var chunk in text.GetChunks())
        {
            count += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        return count;
    }

    private static void Append(MemoryStream body, StringBuilder text, ref byte[] buffer)
    {
        foreach (var chunk in text.GetChunks())
        {
            var needed = Encoding.UTF8.GetMaxByteCount(chunk.Length);
            if (buffer.Length < needed)
            {
                buffer = new byte[Math.Max(needed, buffer.Length * 2)];
            }

            var written = Encoding.UTF8.GetBytes(chunk.Span, buffer);
            body.Write(buffer, 0, written);
        }
    }

    private async Task<JobOutcome> RunJobAsync(PendingJob pending, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            BulkJobInfo job;
            try
            {
                job = await api.CreateJobAsync(query: false, WriteJob, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
            {
                // No job took the data (a job created whose answer was lost stays open and empty, which is never processed):
                // every row is unprocessed, with the reason.
                return AllUnprocessed(pending, null, Error(ex));
            }

            Interlocked.Increment(ref _jobsStarted);
            try
            {
                await UploadOnceAsync(job.Id, pending, cancellationToken).ConfigureAwait(false);
                job = await CompleteUploadAsync(job.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
            {
                // The upload did not complete: abort so that nothing of it is processed, and report every row as unprocessed.
                try
                {
                    job = await api.SetStateAsync(query: false, job.Id, "Aborted", CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception abortError) when (abortError is SalesforceException or HttpRequestException)
                {
                    // The job stays open; Salesforce deletes open jobs without processing them.
                }

                Interlocked.Increment(ref _jobsCompleted);
                return AllUnprocessed(pending, job, Error(ex));
            }

            pending.Body.SetLength(0);
            pending.Body.Capacity = 0; // the upload is done: free its buffer while the job runs
            Report(job);
            job = await api.WaitAsync(query: false, job, options.PollInterval, options.MaxPollInterval, options.Timeout, Report, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _jobsCompleted);
            Report(job);
            var outcome = await ResultsAsync(pending, job, cancellationToken).ConfigureAwait(false);
            api.PublishBatches(job, query: false);
            SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "succeeded", outcome.Successful.Count);
            SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "failed", outcome.Failed.Count);
            SalesforceTelemetry.RecordBulk(job.Operation, job.Object, "unprocessed", outcome.Unprocessed.Count);
            if (options.DeleteJobsWhenDone)
            {
                await api.DeleteJobAsync(query: false, job.Id, cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Uploads the job's CSV. When an answer was lost and the retried upload is refused because the job already has its
    /// upload (409), the first one arrived: the job has the data.
    /// </summary>
    private async Task UploadOnceAsync(string jobId, PendingJob pending, CancellationToken cancellationToken)
    {
        try
        {
            await api.UploadAsync(jobId, pending.Body.GetBuffer().AsMemory(0, (int)pending.Body.Length), cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // The job refuses a second upload: if it is still open, the first one is there; else the error stands.
            if ((await api.GetJobAsync(query: false, jobId, cancellationToken).ConfigureAwait(false)).State != BulkJobState.Open)
            {
                throw;
            }
        }
    }

    /// <summary>
    /// Marks the upload complete. When the answer was lost and the retry is refused because the job already moved on, the job
    /// is read instead: it is processing the data, and must not be aborted (some rows may already be written).
    /// </summary>
    private async Task<BulkJobInfo> CompleteUploadAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await api.SetStateAsync(query: false, jobId, "UploadComplete", cancellationToken).ConfigureAwait(false);
        }
        catch (SalesforceException)
        {
            var job = await api.GetJobAsync(query: false, jobId, cancellationToken).ConfigureAwait(false);
            if (job.State is BulkJobState.Open or BulkJobState.Aborted)
            {
                throw;
            }

            return job;
        }
    }

    private void WriteJob(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteString("object", sObject);
        w.WriteString("operation", operation.ApiName());
        if (operation == BulkOperation.Upsert)
        {
            w.WriteString("externalIdFieldName", externalIdField);
        }

        if (options.AssignmentRuleId is { } rule)
        {
            w.WriteString("assignmentRuleId", rule);
        }

        w.WriteString("contentType", "CSV");
        w.WriteString("columnDelimiter", BulkV2Api.DelimiterName(options.Delimiter));
        w.WriteString("lineEnding", options.LineEnding == CsvLineEnding.CrLf ? "CRLF" : "LF");
    }

    private void Report(BulkJobInfo job)
    {
        if (options.Progress is not { } progress)
        {
            return;
        }

        BulkJobProgress update;
        lock (_gate)
        {
            _live[job.Id] = (job.NumberRecordsProcessed, job.NumberRecordsFailed);
            update = new BulkJobProgress(job.Id, job.State, Interlocked.Read(ref _submitted), _live.Values.Sum(v => v.Processed), _live.Values.Sum(v => v.Failed),
                Volatile.Read(ref _jobsCompleted), Volatile.Read(ref _jobsStarted));
        }

        progress.Report(update);
    }

    private static SalesforceError Error(Exception ex) => new((ex as SalesforceException)?.ErrorCode ?? "TRANSPORT_ERROR", ex.Message, []);

    private static JobOutcome AllUnprocessed(PendingJob pending, BulkJobInfo? job, SalesforceError error)
        => new(job, [], [], [.. pending.Rows.Select(r => new BulkRecordResult<TItem>(r.Index, r.Item, job?.Id ?? string.Empty) { Errors = [error] })]);

    /// <summary>Reads the three result files and ties each row to an input row; rows in none of them are unprocessed.</summary>
    private async Task<JobOutcome> ResultsAsync(PendingJob pending, BulkJobInfo job, CancellationToken cancellationToken)
    {
        var rows = pending.Rows;
        var heads = new Dictionary<ulong, int>(rows.Count);
        var next = new int[rows.Count];
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            next[i] = heads.TryGetValue(rows[i].Hash, out var head) ? head : -1;
            heads[rows[i].Hash] = i;
        }

        var taken = new bool[rows.Count];
        var successful = new List<BulkRecordResult<TItem>>();
        var failed = new List<BulkRecordResult<TItem>>();
        var unprocessed = new List<BulkRecordResult<TItem>>();
        var unmatched = new List<(List<BulkRecordResult<TItem>> Into, Func<int, BulkRecordResult<TItem>> Make)>();
        var columns = pending.Layout.Columns;

        async Task ReadAsync(string resource, int prefix, List<BulkRecordResult<TItem>> into, Func<CsvReader, int, BulkRecordResult<TItem>> make)
        {
            var (response, body, _) = await api.OpenResultAsync(await api.JobUriAsync(false, job.Id, "/" + resource, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            using (response)
            using (var reader = new CsvReader(body, options.Delimiter))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var map = ColumnMap(reader, prefix, columns);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var hash = map is null ? 0UL : HashRow(reader, map);
                    var found = map is not null && heads.TryGetValue(hash, out var i) ? i : -1;
                    if (found >= 0)
                    {
                        if (next[found] >= 0)
                        {
                            heads[hash] = next[found];
                        }
                        else
                        {
                            heads.Remove(hash);
                        }

                        taken[found] = true;
                        into.Add(make(reader, found));
                    }
                    else
                    {
                        // Values changed on the way (should not happen): tie it to the first row left, below.
                        var copy = make(reader, 0);
                        unmatched.Add((into, i => copy with { Index = rows[i].Index, Item = rows[i].Item }));
                    }
                }
            }
        }

        await ReadAsync("successfulResults/", 2, successful, (r, i) =>
        {
            SalesforceId? id = SalesforceId.TryParse(r.GetSpan(0), null, out var parsed) ? parsed : null;
            shape.Succeeded(rows[i].Item, id);
            return new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Id = id, Created = r.GetSpan(1).Equals("true", StringComparison.OrdinalIgnoreCase) };
        }).ConfigureAwait(false);
        await ReadAsync("failedResults/", 2, failed, (r, i) => new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = ParseErrors(r.GetString(1)) }).ConfigureAwait(false);
        var reason = job.State == BulkJobState.JobComplete ? null : new SalesforceError(job.State == BulkJobState.Aborted ? "JOB_ABORTED" : "JOB_FAILED", job.ErrorMessage ?? $"The job ended {job.State}.", []);
        await ReadAsync("unprocessedrecords/", 0, unprocessed, (r, i) => new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = reason is null ? [] : [reason] }).ConfigureAwait(false);

        var left = Enumerable.Range(0, rows.Count).Where(i => !taken[i]).GetEnumerator();
        foreach (var (into, make) in unmatched)
        {
            if (left.MoveNext())
            {
                into.Add(make(left.Current));
            }
        }

        var missing = new SalesforceError("NOT_IN_RESULTS", $"The row is in none of job {job.Id}'s result files (the job ended {job.State}).", []);
        while (left.MoveNext())
        {
            unprocessed.Add(new BulkRecordResult<TItem>(rows[left.Current].Index, rows[left.Current].Item, job.Id) { Errors = reason is null ? [missing] : [reason] });
        }

        return new JobOutcome(job, successful, failed, unprocessed);
    }

    /// <summary>For each uploaded column, its position in a result file; null when a column is missing.</summary>
    private static int[]? ColumnMap(CsvReader header, int prefix, IReadOnlyList<string> columns)
    {
        var map = new int[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            map[c] = -1;
            for (var f = prefix; f < header.FieldCount; f++)
            {
                if (header.GetSpan(f).Equals(columns[c], StringComparison.OrdinalIgnoreCase))
                {
                    map[c] = f;
                    break;
                }
            }

            if (map[c] < 0)
            {
                return null;
            }
        }

        return map;
    }

    private static ulong HashRow(CsvReader reader, int[] map)
    {
        HashCode a = default, b = default;
        foreach (var f in map)
        {
            RowHasher.Add(ref a, ref b, f < reader.FieldCount ? reader.GetSpan(f) : []);
        }

        return RowHasher.Finish(ref a, ref b);
    }

    /// <summary>Parses <c>sf__Error</c>: <c>CODE:message:fields --</c>, possibly several.</summary>
    internal static IReadOnlyList<SalesforceError> ParseErrors(string text)
    {
        var errors = new List<SalesforceError>();
        foreach (var piece in text.Split(" --", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var part = piece.TrimEnd('-').TrimEnd();
            if (part.Length == 0)
            {
                continue;
            }

            var first = part.IndexOf(':', StringComparison.Ordinal);
            if (first < 0)
            {
                errors.Add(new SalesforceError(part, part, []));
                continue;
            }

            var code = part[..first];
            var rest = part[(first + 1)..];
            var last = rest.LastIndexOf(':');
            var message = last < 0 ? rest : rest[..last];
            var fields = last < 0 ? [] : rest[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            errors.Add(new SalesforceError(code, message, fields));
        }

        return errors.Count > 0 ? errors : [new SalesforceError("UNKNOWN_ERROR", text, [])];
    }
}
