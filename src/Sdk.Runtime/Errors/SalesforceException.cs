using System.Net;

namespace Sdk.Runtime.Errors;

/// <summary>
/// The root of every error the SDK raises for a Salesforce answer: status, error code, message, fields, and the method and path
/// of the request (never its token, never its query string).
/// </summary>
public class SalesforceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SalesforceException()
        : this("Salesforce request failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public SalesforceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SalesforceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status of the answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The first error's code, for example <c>INVALID_FIELD</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The fields named by the errors.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>Every error entry of the body.</summary>
    public IReadOnlyList<SalesforceError> Errors { get; init; } = [];

    /// <summary>The request's HTTP method.</summary>
    public string? RequestMethod { get; init; }

    /// <summary>The request's path, without query string.</summary>
    public string? RequestPath { get; init; }
}

/// <summary>The record or resource does not exist (404 <c>NOT_FOUND</c>, <c>ENTITY_IS_DELETED</c>).</summary>
public sealed class RecordNotFoundException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public RecordNotFoundException() { }

    /// <summary>Creates the exception.</summary>
    public RecordNotFoundException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RecordNotFoundException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>An external id matched more than one record (300 Multiple Choices).</summary>
public sealed class MultipleRecordsFoundException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public MultipleRecordsFoundException() { }

    /// <summary>Creates the exception.</summary>
    public MultipleRecordsFoundException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public MultipleRecordsFoundException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The URLs of the matching records, as Salesforce listed them.</summary>
    public IReadOnlyList<string> RecordUrls { get; init; } = [];
}

/// <summary>The session expired or is invalid (401 <c>INVALID_SESSION_ID</c>) and could not be renewed.</summary>
public sealed class SessionExpiredException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public SessionExpiredException() { }

    /// <summary>Creates the exception.</summary>
    public SessionExpiredException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SessionExpiredException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>An API limit was reached: 403 <c>REQUEST_LIMIT_EXCEEDED</c> (daily or concurrent limit) or 429.</summary>
public sealed class RequestLimitExceededException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public RequestLimitExceededException() { }

    /// <summary>Creates the exception.</summary>
    public RequestLimitExceededException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RequestLimitExceededException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>How long the server asked to wait (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>A duplicate rule blocked the save (<c>DUPLICATES_DETECTED</c>).</summary>
public sealed class DuplicatesDetectedException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public DuplicatesDetectedException() { }

    /// <summary>Creates the exception.</summary>
    public DuplicatesDetectedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public DuplicatesDetectedException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The ids of the existing records that matched.</summary>
    public IReadOnlyList<string> DuplicateIds { get; init; } = [];
}

/// <summary>The user may not do this (403, <c>INSUFFICIENT_ACCESS…</c>, <c>API_DISABLED_FOR_ORG</c>, …).</summary>
public sealed class InsufficientAccessException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public InsufficientAccessException() { }

    /// <summary>Creates the exception.</summary>
    public InsufficientAccessException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public InsufficientAccessException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The record is locked by another transaction (<c>UNABLE_TO_LOCK_ROW</c>); retrying later usually works.</summary>
public sealed class RecordLockedException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public RecordLockedException() { }

    /// <summary>Creates the exception.</summary>
    public RecordLockedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RecordLockedException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The server failed (status 500 or above).</summary>
public sealed class SalesforceServerException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceServerException() { }

    /// <summary>Creates the exception.</summary>
    public SalesforceServerException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SalesforceServerException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>Logging in failed: wrong credentials, a rejected grant, a SOAP login fault, or a missing CLI login.</summary>
public sealed class SalesforceAuthenticationException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException() { }

    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with an error code.</summary>
    /// <param name="message">The message.</param>
    /// <param name="errorCode">The error code (OAuth <c>error</c>, SOAP fault code).</param>
    /// <param name="innerException">The cause.</param>
    public SalesforceAuthenticationException(string message, string errorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }
}

/// <summary>The server's answer could not be read: truncated or malformed JSON, an unexpected content type or shape.</summary>
public sealed class MalformedResponseException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public MalformedResponseException() { }

    /// <summary>Creates the exception.</summary>
    public MalformedResponseException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public MalformedResponseException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>A request did not complete within the retry policy's overall timeout (retries and waits included).</summary>
public sealed class RequestTimeoutException : SalesforceException
{
    /// <summary>Creates the exception.</summary>
    public RequestTimeoutException() { }

    /// <summary>Creates the exception.</summary>
    public RequestTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RequestTimeoutException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; init; }
}
