using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Events;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>
/// One ingest run: streams items into jobs of at most <see cref="BulkIngestOptions.MaxUploadBytes"/> (when an item carries a
/// field the current header lacks, the header is widened; items naming a parent another way fill a job of their own
/// alongside), runs the jobs with bounded concurrency, and ties every result row
/// back to its input row by a hash of the row's values, so each input row ends up succeeded, failed or unprocessed.
/// </summary>
internal sealed partial class BulkIngest<TItem>(BulkV2Api api, BulkOperation operation, string sObject, string? externalIdField, BulkIngestOptions options, IngestShape<TItem> shape)
{
    /// <summary>The most rows written again under a wider header; a job with more is sent as it is, and a new one started.</summary>
    internal const int MaxRowsRewritten = 10_000;

    /// <summary>The most jobs filled at once: records naming a parent in different ways fill one each (see <see cref="RunAsync"/>).</summary>
    internal const int MaxJobsFilled = 4;

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

        /// <summary>The size of its largest row, in bytes.</summary>
        public int LargestRow { get; set; }
    }

    /// <summary>What one job did with its rows; <see cref="Fault"/> is the error that kept its outcome from being read.</summary>
    private sealed record JobOutcome(BulkJobInfo? Job, List<BulkRecordResult<TItem>> Successful, List<BulkRecordResult<TItem>> Failed, List<BulkRecordResult<TItem>> Unprocessed)
    {
        public Exception? Fault { get; init; }
    }

    public async Task<BulkIngestResult<TItem>> RunAsync(IAsyncEnumerable<TItem> items, CancellationToken cancellationToken)
    {
        options.Validate();
        using var slots = new SemaphoreSlim(options.MaxConcurrentJobs);
        var running = new List<(Task<JobOutcome> Outcome, PendingJob Job)>();
        // Each row is formatted alone, as UTF-8, before it is placed: its size decides whether it starts the next job, and its
        // hash ties it to its result row. The header goes through a writer of its own, so a new job never touches the row.
        using var row = CsvWriter.IntoMemory(options.Delimiter, options.LineEnding);
        row.HashRows = true;
        using var header = CsvWriter.IntoMemory(options.Delimiter, options.LineEnding);
        // The jobs being filled: usually one. Records that name a parent in different ways (its id field, an external id field),
        // which one header cannot hold, each fill a job of their own alongside (at most MaxJobsFilled), instead of sealing the
        // job at every change; together they hold at most MaxUploadBytes, the largest sealed first.
        var filling = new List<PendingJob>();
        var refused = new List<BulkRecordResult<TItem>>(); // rows not sent, as Bulk API would not store them as they are
        var index = 0;

        async Task SealAsync(PendingJob sealedJob)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _submitted, sealedJob.Rows.Count);
            running.Add((RunJobAsync(sealedJob, slots, cancellationToken), sealedJob));
        }

        PendingJob Start(IngestLayout<TItem> layout)
        {
            var started = new PendingJob(layout);
            header.WriteRow(layout.Columns);
            started.Body.Write(header.Formatted.Span);
            header.ClearFormatted();
            return started;
        }

        // Adds the row just formatted to the job filling in `lane`, first sealing that job when the row does not fit.
        async Task PlaceAsync(int lane, int at, TItem item)
        {
            var job = filling[lane];
            var rowBytes = row.Formatted.Length;
            if (job.Rows.Count > 0 && (job.Body.Length + rowBytes > options.MaxUploadBytes || job.Rows.Count >= options.MaxRecordsPerJob))
            {
                await SealAsync(job).ConfigureAwait(false);
                filling[lane] = job = Start(job.Layout);
            }

            if (job.Body.Length + rowBytes > options.MaxUploadBytes)
            {
                throw new ArgumentException($"Row {at} alone is {rowBytes:N0} bytes of CSV, more than the {options.MaxUploadBytes:N0} bytes a bulk upload may hold.", "records");
            }

            job.Body.Write(row.Formatted.Span);
            row.ClearFormatted();
            job.Rows.Add((at, item, row.LastRowHash));
            job.LargestRow = Math.Max(job.LargestRow, rowBytes);
        }

        // The job of those filling that takes the item: one whose header covers it, or one whose header can be widened to
        // (the other rows leave the new columns empty, which Bulk reads as "not set"), so that records setting different
        // fields do not each make a job: a job not too far along is written again under the wider header, a larger one is
        // sent as it is (each row grows by one delimiter per new column: a job whose largest row would then not fit is sent
        // as it is too). Else a new job, once the oldest is sealed when MaxJobsFilled are.
        async Task<int> LaneAsync(TItem item)
        {
            for (var l = 0; l < filling.Count; l++)
            {
                if (filling[l].Layout.Covers(item))
                {
                    return l;
                }
            }

            for (var l = 0; l < filling.Count; l++)
            {
                if (shape.Widen(filling[l].Layout, item) is not { } wider)
                {
                    continue;
                }

                var earlier = filling[l];
                filling[l] = Start(wider);
                var added = wider.Columns.Count - earlier.Layout.Columns.Count;
                if (earlier.Rows.Count > MaxRowsRewritten || filling[l].Body.Length + earlier.LargestRow + added > options.MaxUploadBytes)
                {
                    await SealAsync(earlier).ConfigureAwait(false);
                }
                else
                {
                    var lane = l;
                    await WidenedRows.RewriteAsync(new MemoryStream(earlier.Body.GetBuffer(), 0, (int)earlier.Body.Length, writable: false), options.Delimiter, row, added,
                        i => PlaceAsync(lane, earlier.Rows[i].Index, earlier.Rows[i].Item), cancellationToken).ConfigureAwait(false);
                }

                return l;
            }

            if (filling.Count == MaxJobsFilled)
            {
                if (filling[0].Rows.Count > 0)
                {
                    await SealAsync(filling[0]).ConfigureAwait(false);
                }

                filling.RemoveAt(0);
            }

            filling.Add(Start(shape.Layout(item)));
            return filling.Count - 1;
        }

        try
        {
            await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                ArgumentNullException.ThrowIfNull(item, "records");
                var lane = await LaneAsync(item).ConfigureAwait(false);
                filling[lane].Layout.Write(row, item);
                if (row.NullTextWritten)
                {
                    // A text value is "#N/A" itself, which Bulk API would store as null: the row is not sent.
                    row.NullTextWritten = false;
                    row.ClearFormatted();
                    refused.Add(new BulkRecordResult<TItem>(index++, item, string.Empty) { Errors = [BulkErrors.TextReadAsNull()] });
                    continue;
                }

                await PlaceAsync(lane, index, item).ConfigureAwait(false);
                index++;
                if (filling.Count > 1 && filling.Sum(j => j.Body.Length) > options.MaxUploadBytes)
                {
                    var largest = filling.IndexOf(filling.MaxBy(j => j.Body.Length)!);
                    await SealAsync(filling[largest]).ConfigureAwait(false);
                    filling.RemoveAt(largest);
                }
            }

            foreach (var job in filling.Where(j => j.Rows.Count > 0))
            {
                await SealAsync(job).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Taking the records stopped with an error (the source failed, or a record was refused). The jobs started run to
            // their end and are reported with it; the rows taken but not sent are unprocessed.
            var outcomes = new List<JobOutcome>();
            foreach (var (outcome, pending) in running)
            {
                try
                {
                    outcomes.Add(await outcome.ConfigureAwait(false));
                }
#pragma warning disable CA1031 // the error that stopped the run is the one thrown; a job's own error is reported on its rows
                catch (Exception jobError)
#pragma warning restore CA1031
                {
                    outcomes.Add(Unknown(pending, null, jobError));
                }
            }

            foreach (var job in filling.Where(j => j.Rows.Count > 0 && !running.Any(r => r.Job == j)))
            {
                outcomes.Add(AllUnprocessed(job, null, BulkIngestInterruptedException<TItem>.NotSent(ex)));
            }

            throw BulkIngestInterruptedException<TItem>.After(Result(index, [.. outcomes, new(null, [], [], refused)]), ex);
        }
        catch
        {
            // Cancelled: let the jobs already started finish (they hold uploaded data) before the cancellation surfaces.
            await Task.WhenAll(running.Select(r => r.Outcome.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }

        var done = await Task.WhenAll(running.Select(r => r.Outcome)).ConfigureAwait(false);
        var result = Result(index, [.. done, new(null, [], [], refused)]);
        var faults = done.Select(o => o.Fault).OfType<Exception>().ToList();
        return faults.Count == 0 ? result : throw BulkIngestInterruptedException<TItem>.Unread(result, "jobs", done.Length, faults);
    }

    /// <summary>The result of the jobs' outcomes for <paramref name="inputCount"/> rows taken.</summary>
    private static BulkIngestResult<TItem> Result(int inputCount, JobOutcome[] outcomes)
    {
        static List<BulkRecordResult<TItem>> Merge(IEnumerable<List<BulkRecordResult<TItem>>> lists) => [.. lists.SelectMany(l => l).OrderBy(r => r.Index)];
        return new BulkIngestResult<TItem>(inputCount, [.. outcomes.Select(o => o.Job).OfType<BulkJobInfo>()],
            Merge(outcomes.Select(o => o.Successful)), Merge(outcomes.Select(o => o.Failed)), Merge(outcomes.Select(o => o.Unprocessed)));
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
                try
                {
                    await UploadOnceAsync(job.Id, pending, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Cancelled before the upload was complete: nothing of the job can be processed, so it is aborted (within a
                    // few seconds, as the caller is leaving) rather than left open in the org.
                    await TryAbortAsync(job.Id, AbortOnCancelTimeout).ConfigureAwait(false);
                    throw;
                }

                job = await CompleteUploadAsync(job.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
            {
                // The upload did not complete: abort so that nothing of it is processed, and report every row as unprocessed.
                job = await TryAbortAsync(job.Id).ConfigureAwait(false) ?? job;
                Interlocked.Increment(ref _jobsCompleted);
                return AllUnprocessed(pending, job, Error(ex));
            }

            pending.Body.SetLength(0);
            pending.Body.Capacity = 0; // the upload is done: free its buffer while the job runs
            Report(job);
            try
            {
                job = await api.WaitAsync(query: false, job, options.PollInterval, options.MaxPollInterval, options.Timeout, seen =>
                {
                    job = seen; // kept as last seen, for the rows' report if the wait fails
                    Report(seen);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException or TimeoutException)
            {
                // The job has the data, but whether it ran could not be learned (it did not finish in time, or polling
                // failed): its rows may be processed, and are reported so; the other jobs still run to their end.
                return Unknown(pending, job, ex);
            }

            Interlocked.Increment(ref _jobsCompleted);
            Report(job);
            var outcome = await ResultsAsync(pending, job, cancellationToken).ConfigureAwait(false);
            api.PublishBatches(job, query: false);
            SalesforceTelemetry.RecordBulkOutcomes(job.Operation, job.Object, outcome.Successful.Count, outcome.Failed.Count, outcome.Unprocessed.Count);
            if (options.DeleteJobsWhenDone && outcome.Fault is null) // a job whose results could not all be read is kept, to be read again
            {
                try
                {
                    await api.DeleteJobAsync(query: false, job.Id, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
                {
                    // The outcome is read: a job that cannot be deleted is left for the org to remove (after seven days).
                }
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
    /// <summary>How long aborting a job whose upload a cancellation interrupted may take.</summary>
    private static readonly TimeSpan AbortOnCancelTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Aborts a job whose upload did not complete; null when that fails too (the job then stays open, and Salesforce never processes it).</summary>
    private async Task<BulkJobInfo?> TryAbortAsync(string jobId, TimeSpan? within = null)
    {
        using var timeout = within is { } limit ? new CancellationTokenSource(limit) : null;
        try
        {
            return await api.SetStateAsync(query: false, jobId, "Aborted", timeout?.Token ?? CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

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

    /// <summary>The outcome of a job that took the rows but whose outcome <paramref name="fault"/> kept from being read.</summary>
    private static JobOutcome Unknown(PendingJob pending, BulkJobInfo? job, Exception fault) => AllUnprocessed(pending, job, UnknownError(job, fault)) with { Fault = fault };

    /// <summary>The error of a row whose outcome <paramref name="fault"/> kept from being read.</summary>
    private static SalesforceError UnknownError(BulkJobInfo? job, Exception fault) => new("OUTCOME_UNKNOWN",
        (job is null ? "The job's" : $"Job {job.Id}'s ({job.State} when last seen)") + $" outcome could not be read ({fault.Message}). " +
        "The row may have been processed or may still be: check the job before sending it again.", []);

    private static JobOutcome AllUnprocessed(PendingJob pending, BulkJobInfo? job, SalesforceError error)
        => new(job, [], [], [.. pending.Rows.Select(r => new BulkRecordResult<TItem>(r.Index, r.Item, job?.Id ?? string.Empty) { Errors = [error] })]);
}
