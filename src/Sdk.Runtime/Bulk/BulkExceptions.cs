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
