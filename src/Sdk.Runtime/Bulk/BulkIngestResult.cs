using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk;

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
