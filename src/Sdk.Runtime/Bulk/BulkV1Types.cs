using System.Globalization;

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

    /// <summary>The content type.</summary>
    /// <value>The default value is CSV.</value>
    public BulkV1ContentType ContentType { get; init; } = BulkV1ContentType.Csv;

    /// <summary>Parallel or serial.</summary>
    /// <value>The default value is parallel.</value>
    public BulkConcurrencyMode ConcurrencyMode { get; init; } = BulkConcurrencyMode.Parallel;

    /// <summary>The external id field of an upsert.</summary>
    public string? ExternalIdFieldName { get; init; }

    /// <summary>PK chunking, for query jobs.</summary>
    public BulkPkChunking? PkChunking { get; init; }
}
