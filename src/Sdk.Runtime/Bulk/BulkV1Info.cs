using Sdk.Runtime.Bulk.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk;

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
