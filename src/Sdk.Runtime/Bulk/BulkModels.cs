using System.Globalization;
using System.Text.Json;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk;

/// <summary>What a Bulk API ingest job does to each row.</summary>
public enum BulkOperation
{
    /// <summary>Creates records.</summary>
    Insert,

    /// <summary>Updates records by <c>Id</c>.</summary>
    Update,

    /// <summary>Creates or updates records by an external id field.</summary>
    Upsert,

    /// <summary>Deletes records by <c>Id</c> (to the recycle bin).</summary>
    Delete,

    /// <summary>Deletes records by <c>Id</c> permanently.</summary>
    HardDelete,
}

/// <summary>The state of a Bulk API job.</summary>
public enum BulkJobState
{
    /// <summary>A state this SDK does not know.</summary>
    Unknown,

    /// <summary>Created; data can be uploaded (ingest).</summary>
    Open,

    /// <summary>All data uploaded; queued.</summary>
    UploadComplete,

    /// <summary>Being processed.</summary>
    InProgress,

    /// <summary>Finished; results can be read.</summary>
    JobComplete,

    /// <summary>Failed; see <see cref="BulkJobInfo.ErrorMessage"/> and the failed and unprocessed results.</summary>
    Failed,

    /// <summary>Aborted by a user.</summary>
    Aborted,

    /// <summary>Closed (Bulk API 1.0).</summary>
    Closed,
}

/// <summary>A Bulk API 2.0 job as the server describes it.</summary>
public sealed record BulkJobInfo
{
    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary>The operation (<c>insert</c>, <c>upsert</c>, <c>query</c>, <c>queryAll</c>…).</summary>
    public string Operation { get; init; } = string.Empty;

    /// <summary>The object.</summary>
    public string Object { get; init; } = string.Empty;

    /// <summary>The state.</summary>
    public BulkJobState State { get; init; }

    /// <summary>The external id field of an upsert.</summary>
    public string? ExternalIdFieldName { get; init; }

    /// <summary><c>V2Ingest</c>, <c>V2Query</c> or <c>Classic</c>.</summary>
    public string? JobType { get; init; }

    /// <summary>The API version the job was created with.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The content type (<c>CSV</c>).</summary>
    public string? ContentType { get; init; }

    /// <summary>The line ending (<c>LF</c> or <c>CRLF</c>).</summary>
    public string? LineEnding { get; init; }

    /// <summary>The column delimiter (<c>COMMA</c>…).</summary>
    public string? ColumnDelimiter { get; init; }

    /// <summary>When the job was created.</summary>
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>When the job last changed.</summary>
    public DateTimeOffset? SystemModstamp { get; init; }

    /// <summary>Rows processed so far.</summary>
    public long NumberRecordsProcessed { get; init; }

    /// <summary>Rows that failed so far (ingest).</summary>
    public long NumberRecordsFailed { get; init; }

    /// <summary>How many times Salesforce retried the job's batches.</summary>
    public int Retries { get; init; }

    /// <summary>Processing time in milliseconds.</summary>
    public long TotalProcessingTime { get; init; }

    /// <summary>Why the job failed, when it did.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Whether the job reached an end state (complete, failed or aborted).</summary>
    public bool IsFinished => State is BulkJobState.JobComplete or BulkJobState.Failed or BulkJobState.Aborted;

    internal static BulkJobInfo Parse(JsonElement e)
    {
        static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        static long Num(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;
        static DateTimeOffset? Date(JsonElement e, string name) => SalesforceFormats.TryParseDateTime(Str(e, name), out var d) ? d : null;
        return new BulkJobInfo
        {
            Id = Str(e, "id") is { } id && SalesforceId.TryParse(id, out _) ? id : throw new JsonException("The job has no valid id."),
            Operation = Str(e, "operation") ?? string.Empty,
            Object = Str(e, "object") ?? string.Empty,
            State = ParseState(Str(e, "state")),
            ExternalIdFieldName = Str(e, "externalIdFieldName"),
            JobType = Str(e, "jobType"),
            ApiVersion = e.TryGetProperty("apiVersion", out var v) ? (v.ValueKind == JsonValueKind.Number ? v.GetDecimal().ToString("0.0", CultureInfo.InvariantCulture) : v.ToString()) : null,
            ContentType = Str(e, "contentType"),
            LineEnding = Str(e, "lineEnding"),
            ColumnDelimiter = Str(e, "columnDelimiter"),
            CreatedDate = Date(e, "createdDate"),
            SystemModstamp = Date(e, "systemModstamp"),
            NumberRecordsProcessed = Num(e, "numberRecordsProcessed"),
            NumberRecordsFailed = Num(e, "numberRecordsFailed"),
            Retries = (int)Num(e, "retries"),
            TotalProcessingTime = Num(e, "totalProcessingTime"),
            ErrorMessage = Str(e, "errorMessage"),
        };
    }

    internal static BulkJobState ParseState(string? state) => state?.ToUpperInvariant() switch
    {
        "OPEN" => BulkJobState.Open,
        "UPLOADCOMPLETE" => BulkJobState.UploadComplete,
        "INPROGRESS" => BulkJobState.InProgress,
        "JOBCOMPLETE" => BulkJobState.JobComplete,
        "FAILED" => BulkJobState.Failed,
        "ABORTED" => BulkJobState.Aborted,
        "CLOSED" => BulkJobState.Closed,
        _ => BulkJobState.Unknown,
    };
}

/// <summary>Progress of a bulk ingest or query, reported after each poll.</summary>
/// <param name="JobId">The job that was polled.</param>
/// <param name="State">Its state.</param>
/// <param name="RecordsSubmitted">Input rows uploaded so far, across jobs.</param>
/// <param name="RecordsProcessed">Rows processed so far, across jobs.</param>
/// <param name="RecordsFailed">Rows failed so far, across jobs.</param>
/// <param name="JobsCompleted">Jobs that reached an end state.</param>
/// <param name="JobsStarted">Jobs created so far.</param>
public readonly record struct BulkJobProgress(string JobId, BulkJobState State, long RecordsSubmitted, long RecordsProcessed, long RecordsFailed, int JobsCompleted, int JobsStarted);

/// <summary>Options of a Bulk API 2.0 ingest.</summary>
public sealed class BulkIngestOptions
{
    /// <summary>Bulk API 2.0's upload limit: 150 MB after base64 encoding, which Salesforce advises to keep at 100 MB of CSV.</summary>
    public const long MaxUploadBytesLimit = 100_000_000;

    /// <summary>Most CSV bytes per job (one upload each). Larger input is split into several jobs. Default and maximum: 100 MB.</summary>
    public long MaxUploadBytes { get; set; } = MaxUploadBytesLimit;

    /// <summary>Most rows per job (null: only the size limit applies).</summary>
    public int? MaxRecordsPerJob { get; set; }

    /// <summary>How many jobs are uploaded and processed at once. Default 4.</summary>
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>The first wait between polls. Default 1 second; each wait grows by half up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between polls. Default 15 seconds.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one job may take from upload to an end state before <see cref="BulkJobTimeoutException"/>. Default 1 hour.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Receives progress after each poll.</summary>
    public IProgress<BulkJobProgress>? Progress { get; set; }

    /// <summary>The column delimiter of the uploads. Default comma.</summary>
    public CsvDelimiter Delimiter { get; set; } = CsvDelimiter.Comma;

    /// <summary>The line ending of the uploads. Default LF.</summary>
    public CsvLineEnding LineEnding { get; set; } = CsvLineEnding.Lf;

    /// <summary>The assignment rule to apply (cases and leads).</summary>
    public string? AssignmentRuleId { get; set; }

    /// <summary>Whether to delete each job from the org once its results are read. Default false.</summary>
    public bool DeleteJobsWhenDone { get; set; }

    internal void Validate()
    {
        if (MaxUploadBytes is <= 1024 or > MaxUploadBytesLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxUploadBytes), MaxUploadBytes, $"MaxUploadBytes must be between 1 KB and {MaxUploadBytesLimit:N0} bytes (Bulk API 2.0's upload limit).");
        }

        if (MaxRecordsPerJob is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRecordsPerJob), MaxRecordsPerJob, "MaxRecordsPerJob must be positive.");
        }

        if (MaxConcurrentJobs is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentJobs), MaxConcurrentJobs, "MaxConcurrentJobs must be between 1 and 100.");
        }

        BulkQueryOptions.ValidatePolling(PollInterval, MaxPollInterval, Timeout);
    }
}

/// <summary>Options of a Bulk API 2.0 query.</summary>
public sealed class BulkQueryOptions
{
    /// <summary>Include deleted and archived records (<c>queryAll</c>).</summary>
    public bool IncludeDeleted { get; set; }

    /// <summary>Most rows per result page (<c>maxRecords</c>); null lets the server choose.</summary>
    public int? PageSize { get; set; }

    /// <summary>How many result pages are downloaded at once (order is kept). Above 1 uses the <c>resultPages</c> resource (API 58.0+). Default 1.</summary>
    public int ParallelPages { get; set; } = 1;

    /// <summary>The first wait between polls. Default 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between polls. Default 15 seconds.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the job may take to complete before <see cref="BulkJobTimeoutException"/>. Default 1 hour.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Receives progress after each poll.</summary>
    public IProgress<BulkJobProgress>? Progress { get; set; }

    /// <summary>The column delimiter of the results. Default comma.</summary>
    public CsvDelimiter Delimiter { get; set; } = CsvDelimiter.Comma;

    /// <summary>Whether to delete the job once its results were read. Default false.</summary>
    public bool DeleteJobWhenDone { get; set; }

    internal void Validate()
    {
        if (PageSize is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, "PageSize must be positive.");
        }

        if (ParallelPages is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(ParallelPages), ParallelPages, "ParallelPages must be between 1 and 5 (the resultPages resource returns up to five pages at a time).");
        }

        ValidatePolling(PollInterval, MaxPollInterval, Timeout);
    }

    internal static void ValidatePolling(TimeSpan interval, TimeSpan max, TimeSpan timeout)
    {
        if (interval <= TimeSpan.Zero || max < interval)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), interval, "PollInterval must be positive and not above MaxPollInterval.");
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), timeout, "Timeout must be positive.");
        }
    }
}

/// <summary>What happened to one input row of a bulk ingest.</summary>
/// <typeparam name="T">The input item: a typed record or a <see cref="BulkCsvRow"/>.</typeparam>
/// <param name="Index">The row's position in the input (0-based).</param>
/// <param name="Item">The input item.</param>
/// <param name="JobId">The job that carried it.</param>
public sealed record BulkRecordResult<T>(int Index, T Item, string JobId)
{
    /// <summary>The record id (successful rows).</summary>
    public SalesforceId? Id { get; init; }

    /// <summary>Whether the row created a record (successful inserts and upserts).</summary>
    public bool Created { get; init; }

    /// <summary>Why the row failed (failed rows), or why it was not processed.</summary>
    public IReadOnlyList<SalesforceError> Errors { get; init; } = [];
}

/// <summary>One row of a raw CSV ingest: the header and the row's values.</summary>
/// <param name="Header">The column names.</param>
/// <param name="Values">The values, one per column.</param>
public sealed record BulkCsvRow(IReadOnlyList<string> Header, IReadOnlyList<string> Values)
{
    /// <summary>The value of a column (case-insensitive), or null.</summary>
    public string? this[string column]
    {
        get
        {
            for (var i = 0; i < Header.Count; i++)
            {
                if (string.Equals(Header[i], column, StringComparison.OrdinalIgnoreCase))
                {
                    return i < Values.Count ? Values[i] : null;
                }
            }

            return null;
        }
    }
}

/// <summary>
/// The outcome of a bulk ingest: every input row is in exactly one of <see cref="Successful"/>, <see cref="Failed"/> or
/// <see cref="Unprocessed"/>, so their counts add up to <see cref="InputCount"/>.
/// </summary>
/// <typeparam name="T">The input item type.</typeparam>
public sealed class BulkIngestResult<T>
{
    internal BulkIngestResult(int inputCount, IReadOnlyList<BulkJobInfo> jobs, IReadOnlyList<BulkRecordResult<T>> successful,
        IReadOnlyList<BulkRecordResult<T>> failed, IReadOnlyList<BulkRecordResult<T>> unprocessed)
    {
        InputCount = inputCount;
        Jobs = jobs;
        Successful = successful;
        Failed = failed;
        Unprocessed = unprocessed;
    }

    /// <summary>How many rows the input had.</summary>
    public int InputCount { get; }

    /// <summary>The jobs, in the order they were created, as last seen.</summary>
    public IReadOnlyList<BulkJobInfo> Jobs { get; }

    /// <summary>Rows that succeeded, in input order.</summary>
    public IReadOnlyList<BulkRecordResult<T>> Successful { get; }

    /// <summary>Rows that failed, with their errors, in input order.</summary>
    public IReadOnlyList<BulkRecordResult<T>> Failed { get; }

    /// <summary>Rows that were not processed (a job failed or was aborted), in input order.</summary>
    public IReadOnlyList<BulkRecordResult<T>> Unprocessed { get; }

    /// <summary>Whether every row succeeded.</summary>
    public bool IsSuccess => Failed.Count == 0 && Unprocessed.Count == 0;

    /// <summary>Throws <see cref="BulkIngestException"/> when any row failed or was not processed.</summary>
    public BulkIngestResult<T> ThrowIfFailed()
    {
        if (!IsSuccess)
        {
            var first = Failed.Concat(Unprocessed).OrderBy(r => r.Index).First();
            throw new BulkIngestException(
                $"{Failed.Count} of {InputCount} rows failed and {Unprocessed.Count} were not processed; the first, row {first.Index}: {first.Errors.FirstOrDefault()?.ToString() ?? "not processed"}.",
                Failed.Count, Unprocessed.Count);
        }

        return this;
    }
}

/// <summary>A bulk ingest had rows that failed or were not processed (from <see cref="BulkIngestResult{T}.ThrowIfFailed"/>).</summary>
public sealed class BulkIngestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BulkIngestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkIngestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkIngestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal BulkIngestException(string message, int failed, int unprocessed)
        : base(message)
    {
        FailedCount = failed;
        UnprocessedCount = unprocessed;
    }

    /// <summary>Rows that failed.</summary>
    public int FailedCount { get; }

    /// <summary>Rows that were not processed.</summary>
    public int UnprocessedCount { get; }
}

/// <summary>A bulk job did not reach an end state in time. The job keeps running on the server; its id lets you check on it.</summary>
public sealed class BulkJobTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The job.</summary>
    public string? JobId { get; init; }

    /// <summary>Its state when the time ran out.</summary>
    public BulkJobState LastState { get; init; }
}

/// <summary>A bulk query job failed or was aborted on the server.</summary>
public sealed class BulkJobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BulkJobFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The job as last seen.</summary>
    public BulkJobInfo? Job { get; init; }
}
