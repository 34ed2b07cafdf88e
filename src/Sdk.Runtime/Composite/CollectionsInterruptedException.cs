namespace Sdk.Runtime.Composite;

/// <summary>
/// A collections write that took several calls stopped partway: one call threw (a lost connection, a limit reached, an
/// answer that could not be read). The calls already under way ran to their end, and no further call was sent.
/// <see cref="Results"/> still has one result per input record, in input order: the records of the calls that were answered
/// have theirs (successful typed records got their ids and had their changes accepted, as usual); the records of the call
/// that threw fail with its error code, or with <c>OUTCOME_UNKNOWN</c> when that call may have been processed (check before
/// sending them again); the records never sent fail with <c>NOT_PROCESSED</c>. The call's error is the
/// <see cref="Exception.InnerException"/>. A write that fits in one call throws that call's error itself.
/// </summary>
public sealed class CollectionsInterruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CollectionsInterruptedException()
        : this("A collections write stopped partway.", null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CollectionsInterruptedException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CollectionsInterruptedException(string message, Exception? innerException)
        : this(message, [], innerException)
    {
    }

    internal CollectionsInterruptedException(string message, IReadOnlyList<SaveResult> results, Exception? innerException)
        : base(message, innerException)
    {
        Results = results;
    }

    /// <summary>One result per input record, in input order.</summary>
    public IReadOnlyList<SaveResult> Results { get; }
}
