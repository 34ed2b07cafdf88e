using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Bulk;

/// <summary>A bulk ingest had rows that failed or were not processed (from <see cref="BulkIngestResult{T}.ThrowIfFailed"/>).</summary>
public sealed class BulkIngestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BulkIngestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkIngestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkIngestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal BulkIngestException(string message, int failed, int unprocessed)
        : base(message)
    {
        FailedCount = failed;
        UnprocessedCount = unprocessed;
    }

    /// <summary>Rows that failed.</summary>
    public int FailedCount { get; }

    /// <summary>Rows that were not processed.</summary>
    public int UnprocessedCount { get; }
}

/// <summary>
/// An ingest ended before every row's outcome was known, and <see cref="Result"/> still accounts for every row taken. Either
/// taking the records stopped with an error (the records' source threw, or a record was refused: null, or too large for an
/// upload), and the rows taken but not sent are unprocessed with <c>NOT_SENT</c>; or a job or batch took its rows but its
/// outcome could not be read (it did not finish within the timeout, polling it failed, or its results were unreadable), and
/// its rows are unprocessed with <c>OUTCOME_UNKNOWN</c>: they may have been processed, or still be, so check the job (its id
/// is on each row) before sending them again. The jobs and batches not concerned ran to their end and are reported as usual.
/// The error is the <see cref="Exception.InnerException"/> (an <see cref="AggregateException"/> when several jobs had one).
/// </summary>
/// <typeparam name="T">The records' type.</typeparam>
public sealed class BulkIngestInterruptedException<T> : Exception
{
    /// <summary>Creates the exception.</summary>
    public BulkIngestInterruptedException()
        : this("The ingest stopped.", null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkIngestInterruptedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkIngestInterruptedException(string message, Exception? innerException)
        : this(message, new BulkIngestResult<T>(0, [], [], [], []), innerException)
    {
    }

    internal BulkIngestInterruptedException(string message, BulkIngestResult<T> result, Exception? innerException)
        : base(message, innerException)
    {
        Result = result;
    }

    /// <summary>The exception for a run that <paramref name="error"/> stopped, with what it did.</summary>
    internal static BulkIngestInterruptedException<T> After(BulkIngestResult<T> result, Exception error)
        => new($"Taking the records to ingest stopped after {result.InputCount:N0} records with an error ({error.Message}); {result.Successful.Count:N0} succeeded, " +
            $"{result.Failed.Count:N0} failed, {result.Unprocessed.Count:N0} unprocessed (Result has each row).", result, error);

    /// <summary>The exception for a run whose <paramref name="faults"/> kept the outcome of some of its <paramref name="total"/> jobs or batches (<paramref name="unit"/>) from being read.</summary>
    internal static BulkIngestInterruptedException<T> Unread(BulkIngestResult<T> result, string unit, int total, IReadOnlyList<Exception> faults)
        => new($"The outcome of part of the {total:N0} {unit} could not be read ({faults[0].Message}{(faults.Count > 1 ? $"; and {faults.Count - 1} more errors" : string.Empty)}); " +
            $"{result.Successful.Count:N0} rows succeeded, " +
            $"{result.Failed.Count:N0} failed, {result.Unprocessed.Count:N0} unprocessed, of which {result.Unprocessed.Count(r => r.Errors is [{ ErrorCode: "OUTCOME_UNKNOWN" }]):N0} " +
            "with an unknown outcome (OUTCOME_UNKNOWN: check their job before sending them again; Result has each row).", result,
            faults.Count == 1 ? faults[0] : new AggregateException(faults));

    /// <summary>The error of rows taken but not sent when <paramref name="error"/> stopped the run.</summary>
    internal static SalesforceError NotSent(Exception error) => new("NOT_SENT", $"Not sent: taking the records stopped with an error ({error.Message}).", []);

    /// <summary>What happened to each row taken before the error.</summary>
    public BulkIngestResult<T> Result { get; }
}

/// <summary>A bulk job did not reach an end state in time. The job keeps running on the server; its id lets you check on it.</summary>
public sealed class BulkJobTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The job.</summary>
    public string? JobId { get; init; }

    /// <summary>Its state when the time ran out.</summary>
    public BulkJobState LastState { get; init; }
}

/// <summary>A bulk query job failed or was aborted on the server.</summary>
public sealed class BulkJobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BulkJobFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BulkJobFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The job as last seen.</summary>
    public BulkJobInfo? Job { get; init; }
}
