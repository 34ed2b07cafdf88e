using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Bulk.Internal;

namespace Sdk.Runtime.Bulk;

/// <summary>Options of a Bulk API 2.0 query.</summary>
public sealed class BulkQueryOptions
{
    /// <summary>Include deleted and archived records (<c>queryAll</c>).</summary>
    public bool IncludeDeleted { get; set; }

    /// <summary>Most rows per result page (<c>maxRecords</c>); null lets the server choose.</summary>
    public int? PageSize { get; set; }

    /// <summary>How many result pages are downloaded at once (order is kept). Above 1 uses the <c>resultPages</c> resource (API 58.0+).</summary>
    /// <value>The default value is 1.</value>
    public int ParallelPages { get; set; } = 1;

    /// <summary>
    /// How many pieces of a result page typed queries (<c>QueryAsync&lt;T&gt;</c>) parse ahead on the thread pool, records
    /// still handed over in order; 1 parses on the caller's thread. See <see cref="CsvRecordReader{T}"/>.
    /// </summary>
    /// <value>The default value is the processor count, at most 4.</value>
    public int ParseParallelism { get; set; } = Math.Min(Environment.ProcessorCount, 4);

    /// <summary>The first wait between polls.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between polls.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the job may take to complete before <see cref="BulkJobTimeoutException"/>.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Receives progress after each poll.</summary>
    public IProgress<BulkJobProgress>? Progress { get; set; }

    /// <summary>The column delimiter of the results.</summary>
    /// <value>The default value is comma.</value>
    public CsvDelimiter Delimiter { get; set; } = CsvDelimiter.Comma;

    /// <summary>
    /// Whether to delete the job once its results were read, or once the caller stopped reading them (left its
    /// <c>await foreach</c>, or took the first). A job whose results could not be read is kept, to be read again.
    /// </summary>
    /// <value>The default value is false.</value>
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

        if (ParseParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ParseParallelism), ParseParallelism, "ParseParallelism must be at least 1.");
        }

        PollSchedule.Validate(PollInterval, MaxPollInterval, Timeout);
    }
}
