using System.Globalization;
using System.Text.Json;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk;

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
