using Sdk.Runtime.Bulk.Internal;

namespace Sdk.Runtime.Bulk;

/// <summary>Options of the Bulk API 1.0 typed operations.</summary>
public sealed class BulkV1Options
{
    /// <summary>Bulk API 1.0's limit of records per batch.</summary>
    public const int MaxBatchRecords = 10_000;

    /// <summary>Bulk API 1.0's limit of bytes per batch.</summary>
    public const int MaxBatchBytesLimit = 10_000_000;

    /// <summary>Records per batch, at most 10,000.</summary>
    /// <value>The default value is 10,000.</value>
    public int BatchSize { get; set; } = MaxBatchRecords;

    /// <summary>Bytes per batch, at most 10 MB.</summary>
    /// <value>The default value is 10 MB.</value>
    public int MaxBatchBytes { get; set; } = MaxBatchBytesLimit;

    /// <summary>Parallel or serial batches.</summary>
    /// <value>The default value is <see cref="BulkConcurrencyMode.Parallel"/>.</value>
    public BulkConcurrencyMode ConcurrencyMode { get; set; }

    /// <summary>Include deleted and archived records in queries (<c>queryAll</c>).</summary>
    public bool IncludeDeleted { get; set; }

    /// <summary>PK chunking for queries.</summary>
    public BulkPkChunking? PkChunking { get; set; }

    /// <summary>The first wait between status checks.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between status checks.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long all batches may take. When the time is up, the batches that finished are read; the rows of the others are
    /// reported with <c>OUTCOME_UNKNOWN</c> (they keep running on the server), and the ingest throws
    /// <see cref="BulkIngestInterruptedException{T}"/> with the <see cref="BulkJobTimeoutException"/> inside.
    /// </summary>
    /// <value>The default value is 1 hour.</value>
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

        PollSchedule.Validate(PollInterval, MaxPollInterval, Timeout);
    }
}
