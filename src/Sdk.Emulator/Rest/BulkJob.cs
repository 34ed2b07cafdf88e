using System.Text;

namespace Sdk.Emulator.Rest;

/// <summary>One Bulk API job of the local org (2.0 ingest or query), with its state machine and result CSVs.</summary>
internal sealed class BulkJob
{
    public required string Id { get; init; }

    public required string Operation { get; init; }

    public required string Object { get; init; }

    public required string JobType { get; init; }

    public required string ApiVersion { get; init; }

    public string? ExternalIdFieldName { get; init; }

    public string ColumnDelimiter { get; init; } = "COMMA";

    public string LineEnding { get; init; } = "LF";

    public DateTimeOffset Created { get; init; }

    public string CreatedById { get; init; } = string.Empty;

    public string State { get; set; } = "Open";

    public DateTimeOffset Modstamp { get; set; }

    public long Processed { get; set; }

    public long Failed { get; set; }

    public string? ErrorMessage { get; set; }

    public MemoryStream? Upload { get; set; }

    public StringBuilder Successful { get; } = new();

    public StringBuilder FailedRows { get; } = new();

    public StringBuilder Unprocessed { get; } = new();

    /// <summary>Query results: the header line and one CSV line per row.</summary>
    public string QueryHeader { get; set; } = string.Empty;

    public List<string> QueryRows { get; } = [];

    public bool IsQuery => JobType == "V2Query";

    public bool IsFinished => State is "JobComplete" or "Failed" or "Aborted";
}
