using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk;

/// <summary>The content type of a Bulk API 1.0 job: how its batches and results are written.</summary>
public enum BulkV1ContentType
{
    /// <summary>CSV batches and results.</summary>
    Csv,

    /// <summary>JSON batches (arrays of records) and results.</summary>
    Json,

    /// <summary>XML batches (<c>sObjects</c>) and results.</summary>
    Xml,
}

/// <summary>How Salesforce runs a Bulk API 1.0 job's batches.</summary>
public enum BulkConcurrencyMode
{
    /// <summary>Batches run at the same time (the default; may contend for locks).</summary>
    Parallel,

    /// <summary>Batches run one after another (no lock contention between them).</summary>
    Serial,
}

/// <summary>The state of a Bulk API 1.0 batch.</summary>
public enum BulkBatchState
{
    /// <summary>A state this SDK does not know.</summary>
    Unknown,

    /// <summary>Waiting to run.</summary>
    Queued,

    /// <summary>Running.</summary>
    InProgress,

    /// <summary>Done; results can be read (some rows may have failed).</summary>
    Completed,

    /// <summary>The batch failed as a whole; see <see cref="BulkV1BatchInfo.StateMessage"/>.</summary>
    Failed,

    /// <summary>Not processed: the original batch of a PK-chunked query, or a batch of an aborted job.</summary>
    NotProcessed,
}

/// <summary>PK chunking of a Bulk API 1.0 query (<c>Sforce-Enable-PKChunking</c>): the query is split into batches by id range.</summary>
/// <param name="ChunkSize">Records per chunk (Salesforce's default is 100,000; at most 250,000).</param>
/// <param name="Parent">For sharing objects, the parent object (for example <c>Account</c> for <c>AccountShare</c>).</param>
public sealed record BulkPkChunking(int ChunkSize = 100_000, string? Parent = null)
{
    internal string HeaderValue => "chunkSize=" + ChunkSize.ToString(CultureInfo.InvariantCulture) + (Parent is null ? string.Empty : "; parent=" + Parent);
}

/// <summary>What a Bulk API 1.0 job is created with.</summary>
public sealed record BulkV1JobRequest
{
    /// <summary>The operation: <c>insert</c>, <c>update</c>, <c>upsert</c>, <c>delete</c>, <c>hardDelete</c>, <c>query</c> or <c>queryAll</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The object's API name.</summary>
    public required string Object { get; init; }

    /// <summary>The content type. Default CSV.</summary>
    public BulkV1ContentType ContentType { get; init; } = BulkV1ContentType.Csv;

    /// <summary>Parallel or serial. Default parallel.</summary>
    public BulkConcurrencyMode ConcurrencyMode { get; init; } = BulkConcurrencyMode.Parallel;

    /// <summary>The external id field of an upsert.</summary>
    public string? ExternalIdFieldName { get; init; }

    /// <summary>PK chunking, for query jobs.</summary>
    public BulkPkChunking? PkChunking { get; init; }
}

/// <summary>A Bulk API 1.0 job as the server describes it (from its XML or JSON job info).</summary>
public sealed record BulkV1JobInfo
{
    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary>The operation.</summary>
    public string Operation { get; init; } = string.Empty;

    /// <summary>The object.</summary>
    public string Object { get; init; } = string.Empty;

    /// <summary><see cref="BulkJobState.Open"/>, <see cref="BulkJobState.Closed"/>, <see cref="BulkJobState.Aborted"/> or <see cref="BulkJobState.Failed"/>.</summary>
    public BulkJobState State { get; init; }

    /// <summary>The concurrency mode.</summary>
    public BulkConcurrencyMode ConcurrencyMode { get; init; }

    /// <summary>The content type (<c>CSV</c>, <c>JSON</c>, <c>XML</c>).</summary>
    public string ContentType { get; init; } = string.Empty;

    /// <summary>The external id field of an upsert.</summary>
    public string? ExternalIdFieldName { get; init; }

    /// <summary>The API version.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>When the job was created.</summary>
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>Batches waiting.</summary>
    public int NumberBatchesQueued { get; init; }

    /// <summary>Batches running.</summary>
    public int NumberBatchesInProgress { get; init; }

    /// <summary>Batches done.</summary>
    public int NumberBatchesCompleted { get; init; }

    /// <summary>Batches failed.</summary>
    public int NumberBatchesFailed { get; init; }

    /// <summary>All batches.</summary>
    public int NumberBatchesTotal { get; init; }

    /// <summary>Rows processed.</summary>
    public long NumberRecordsProcessed { get; init; }

    /// <summary>Rows failed.</summary>
    public long NumberRecordsFailed { get; init; }

    internal static BulkV1JobInfo Parse(BulkV1Info info) => new()
    {
        Id = info.Text("id") is { } id && SalesforceId.TryParse(id, out _) ? id : throw new FormatException("The job info has no valid id."),
        Operation = info.Text("operation") ?? string.Empty,
        Object = info.Text("object") ?? string.Empty,
        State = BulkJobInfo.ParseState(info.Text("state")),
        ConcurrencyMode = info.Text("concurrencyMode") == "Serial" ? BulkConcurrencyMode.Serial : BulkConcurrencyMode.Parallel,
        ContentType = info.Text("contentType") ?? string.Empty,
        ExternalIdFieldName = info.Text("externalIdFieldName"),
        ApiVersion = info.Text("apiVersion"),
        CreatedDate = info.Date("createdDate"),
        NumberBatchesQueued = (int)info.Number("numberBatchesQueued"),
        NumberBatchesInProgress = (int)info.Number("numberBatchesInProgress"),
        NumberBatchesCompleted = (int)info.Number("numberBatchesCompleted"),
        NumberBatchesFailed = (int)info.Number("numberBatchesFailed"),
        NumberBatchesTotal = (int)info.Number("numberBatchesTotal"),
        NumberRecordsProcessed = info.Number("numberRecordsProcessed"),
        NumberRecordsFailed = info.Number("numberRecordsFailed"),
    };
}

/// <summary>A Bulk API 1.0 batch as the server describes it.</summary>
public sealed record BulkV1BatchInfo
{
    /// <summary>The batch id.</summary>
    public required string Id { get; init; }

    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The state.</summary>
    public BulkBatchState State { get; init; }

    /// <summary>Why the batch failed or was not processed.</summary>
    public string? StateMessage { get; init; }

    /// <summary>When the batch was created.</summary>
    public DateTimeOffset? CreatedDate { get; init; }

    /// <summary>Rows processed.</summary>
    public long NumberRecordsProcessed { get; init; }

    /// <summary>Rows failed.</summary>
    public long NumberRecordsFailed { get; init; }

    /// <summary>Whether the batch reached an end state.</summary>
    public bool IsFinished => State is BulkBatchState.Completed or BulkBatchState.Failed or BulkBatchState.NotProcessed;

    internal static BulkV1BatchInfo Parse(BulkV1Info info) => new()
    {
        Id = info.Text("id") is { } id && SalesforceId.TryParse(id, out _) ? id : throw new FormatException("The batch info has no valid id."),
        JobId = info.Text("jobId") ?? string.Empty,
        State = info.Text("state") switch
        {
            "Queued" => BulkBatchState.Queued,
            "InProgress" => BulkBatchState.InProgress,
            "Completed" => BulkBatchState.Completed,
            "Failed" => BulkBatchState.Failed,
            "Not Processed" or "NotProcessed" => BulkBatchState.NotProcessed,
            _ => BulkBatchState.Unknown,
        },
        StateMessage = info.Text("stateMessage"),
        CreatedDate = info.Date("createdDate"),
        NumberRecordsProcessed = info.Number("numberRecordsProcessed"),
        NumberRecordsFailed = info.Number("numberRecordsFailed"),
    };
}

/// <summary>One row's outcome in a Bulk API 1.0 batch result.</summary>
/// <param name="Id">The record id (empty when the row failed before getting one).</param>
/// <param name="Success">Whether the row succeeded.</param>
/// <param name="Created">Whether it created a record.</param>
/// <param name="Error">The error text when it failed.</param>
public sealed record BulkV1RowResult(string? Id, bool Success, bool Created, string? Error);

/// <summary>Options of the Bulk API 1.0 typed operations.</summary>
public sealed class BulkV1Options
{
    /// <summary>Bulk API 1.0's limit of records per batch.</summary>
    public const int MaxBatchRecords = 10_000;

    /// <summary>Bulk API 1.0's limit of bytes per batch.</summary>
    public const int MaxBatchBytesLimit = 10_000_000;

    /// <summary>Records per batch. Default and maximum 10,000.</summary>
    public int BatchSize { get; set; } = MaxBatchRecords;

    /// <summary>Bytes per batch. Default and maximum 10 MB.</summary>
    public int MaxBatchBytes { get; set; } = MaxBatchBytesLimit;

    /// <summary>Parallel (default) or serial batches.</summary>
    public BulkConcurrencyMode ConcurrencyMode { get; set; }

    /// <summary>Include deleted and archived records in queries (<c>queryAll</c>).</summary>
    public bool IncludeDeleted { get; set; }

    /// <summary>PK chunking for queries.</summary>
    public BulkPkChunking? PkChunking { get; set; }

    /// <summary>The first wait between status checks. Default 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between status checks. Default 15 seconds.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long all batches may take before <see cref="BulkJobTimeoutException"/>. Default 1 hour.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    internal void Validate()
    {
        if (BatchSize is < 1 or > MaxBatchRecords)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be between 1 and {MaxBatchRecords:N0} (Bulk API 1.0's limit).");
        }

        if (MaxBatchBytes is < 1024 or > MaxBatchBytesLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchBytes), MaxBatchBytes, $"MaxBatchBytes must be between 1 KB and {MaxBatchBytesLimit:N0} (Bulk API 1.0's limit).");
        }

        if (PkChunking is { ChunkSize: < 1 or > 250_000 })
        {
            throw new ArgumentOutOfRangeException(nameof(PkChunking), PkChunking.ChunkSize, "The PK chunk size must be between 1 and 250,000.");
        }

        BulkQueryOptions.ValidatePolling(PollInterval, MaxPollInterval, Timeout);
    }
}

/// <summary>A job or batch info read from XML or JSON, by element name.</summary>
internal sealed class BulkV1Info
{
    private readonly Func<string, string?> _text;

    private BulkV1Info(Func<string, string?> text) => _text = text;

    public string? Text(string name) => _text(name);

    public long Number(string name) => long.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public DateTimeOffset? Date(string name) => SalesforceFormats.TryParseDateTime(Text(name), out var d) ? d : null;

    public static BulkV1Info FromXml(XElement element)
    {
        var ns = element.Name.Namespace;
        return new BulkV1Info(name => element.Element(ns + name)?.Value);
    }

    public static BulkV1Info FromJson(JsonElement element)
        => new(name => element.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : null);
}
