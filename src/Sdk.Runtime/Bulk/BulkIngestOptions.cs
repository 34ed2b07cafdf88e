using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Bulk.Internal;

namespace Sdk.Runtime.Bulk;

/// <summary>Options of a Bulk API 2.0 ingest.</summary>
public sealed class BulkIngestOptions
{
    /// <summary>Bulk API 2.0's upload limit: 150 MB after base64 encoding, which Salesforce advises to keep at 100 MB of CSV.</summary>
    public const long MaxUploadBytesLimit = 100_000_000;

    /// <summary>Most CSV bytes per job (one upload each), at most 100 MB. Larger input is split into several jobs.</summary>
    /// <value>The default value is 100 MB.</value>
    public long MaxUploadBytes { get; set; } = MaxUploadBytesLimit;

    /// <summary>Most rows per job (null: only the size limit applies).</summary>
    public int? MaxRecordsPerJob { get; set; }

    /// <summary>How many jobs are uploaded and processed at once.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>The first wait between polls.</summary>
    /// <value>The default value is 1 second; each wait grows by half up to <see cref="MaxPollInterval"/>.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between polls.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long one job may take from upload to an end state. A job that takes longer keeps running on the server; its rows
    /// are reported with <c>OUTCOME_UNKNOWN</c>, and the run, once the other jobs end, throws
    /// <see cref="BulkIngestInterruptedException{T}"/> with the <see cref="BulkJobTimeoutException"/> inside.
    /// </summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Receives progress after each poll.</summary>
    public IProgress<BulkJobProgress>? Progress { get; set; }

    /// <summary>The column delimiter of the uploads.</summary>
    /// <value>The default value is comma.</value>
    public CsvDelimiter Delimiter { get; set; } = CsvDelimiter.Comma;

    /// <summary>The line ending of the uploads.</summary>
    /// <value>The default value is LF.</value>
    public CsvLineEnding LineEnding { get; set; } = CsvLineEnding.Lf;

    /// <summary>The assignment rule to apply (cases and leads).</summary>
    public string? AssignmentRuleId { get; set; }

    /// <summary>Whether to delete each job from the org once its results are read (a job that cannot be deleted is left, and the results stand).</summary>
    /// <value>The default value is false.</value>
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

        PollSchedule.Validate(PollInterval, MaxPollInterval, Timeout);
    }
}
