namespace Sdk.Emulator.Rest;

/// <summary>A Bulk API 1.0 job of the local org.</summary>
internal sealed class V1Job
{
    public required string Id { get; init; }

    public required string Operation { get; init; }

    public required string Object { get; init; }

    public required string ContentType { get; init; }

    public required string ApiVersion { get; init; }

    public bool Serial { get; init; }

    public string? ExternalIdFieldName { get; init; }

    public int? PkChunkSize { get; init; }

    public DateTimeOffset Created { get; init; }

    public string CreatedById { get; init; } = string.Empty;

    public string State { get; set; } = "Open";

    public DateTimeOffset Modstamp { get; set; }

    public List<V1Batch> Batches { get; } = [];

    /// <summary>Serial jobs run one batch at a time.</summary>
    public SemaphoreSlim Lane { get; } = new(1);

    public bool IsQuery => Operation is "query" or "queryAll";
}

/// <summary>A Bulk API 1.0 batch: its request, state, and results.</summary>
internal sealed class V1Batch
{
    public required string Id { get; init; }

    public required string JobId { get; init; }

    public DateTimeOffset Created { get; init; }

    public string State { get; set; } = "Queued";

    public string? StateMessage { get; set; }

    public DateTimeOffset Modstamp { get; set; }

    public long Processed { get; set; }

    public long Failed { get; set; }

    public byte[] Request { get; set; } = [];

    /// <summary>Ingest: one result per row, in row order.</summary>
    public List<CollectionsEndpoints.Result> Results { get; } = [];

    /// <summary>Query: result files (in the job's content type) by result id.</summary>
    public List<(string Id, string Body)> QueryResults { get; } = [];
}
