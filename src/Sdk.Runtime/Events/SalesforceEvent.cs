using System.Net;

namespace Sdk.Runtime.Events;

/// <summary>The base of every event the client reports. Events never carry the Authorization header or a token.</summary>
public abstract class SalesforceEvent
{
    private protected SalesforceEvent(long requestId, string method, string path, DateTimeOffset timestamp)
    {
        RequestId = requestId;
        Method = method;
        Path = path;
        Timestamp = timestamp;
    }

    /// <summary>A number that identifies the logical request (the same for its retries) within this client.</summary>
    public long RequestId { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request path, without query string.</summary>
    public string Path { get; }

    /// <summary>When the event happened.</summary>
    public DateTimeOffset Timestamp { get; }
}

/// <summary>A request is about to be sent (once per logical request; retries raise <see cref="RetryEvent"/>).</summary>
public sealed class RequestEvent : SalesforceEvent
{
    internal RequestEvent(long requestId, string method, string path, DateTimeOffset timestamp, IReadOnlyList<KeyValuePair<string, string>> headers)
        : base(requestId, method, path, timestamp)
    {
        Headers = headers;
    }

    /// <summary>The request headers, without Authorization.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }
}

/// <summary>A request succeeded (status below 300).</summary>
public sealed class ResponseEvent : SalesforceEvent
{
    internal ResponseEvent(long requestId, string method, string path, DateTimeOffset timestamp, HttpStatusCode statusCode, TimeSpan elapsed, int attempts)
        : base(requestId, method, path, timestamp)
    {
        StatusCode = statusCode;
        Elapsed = elapsed;
        Attempts = attempts;
    }

    /// <summary>The status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Time from the request event to the response headers, retries included.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>How many times the request was sent (1 when it was not retried).</summary>
    public int Attempts { get; }
}

/// <summary>An attempt failed and the request will be sent again after <see cref="Delay"/>.</summary>
public sealed class RetryEvent : SalesforceEvent
{
    internal RetryEvent(long requestId, string method, string path, DateTimeOffset timestamp, int attempt, string rule,
        HttpStatusCode? statusCode, string? errorCode, Exception? exception, TimeSpan delay)
        : base(requestId, method, path, timestamp)
    {
        Attempt = attempt;
        Rule = rule;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Exception = exception;
        Delay = delay;
    }

    /// <summary>The retry number, from 1.</summary>
    public int Attempt { get; }

    /// <summary>The name of the rule that decided to retry.</summary>
    public string Rule { get; }

    /// <summary>The failed attempt's status code, when it got a response.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The failed attempt's Salesforce error code, when its body had one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The failed attempt's exception, when it got none.</summary>
    public Exception? Exception { get; }

    /// <summary>The wait before the next attempt.</summary>
    public TimeSpan Delay { get; }
}

/// <summary>A response reported REST API usage (the <c>Sforce-Limit-Info</c> header).</summary>
public sealed class RestApiCallConsumptionEvent : SalesforceEvent
{
    internal RestApiCallConsumptionEvent(long requestId, string method, string path, DateTimeOffset timestamp, ApiUsage usage)
        : base(requestId, method, path, timestamp)
    {
        Usage = usage;
    }

    /// <summary>How many API calls this response consumed.</summary>
    public int Count => 1;

    /// <summary>The usage the server reported.</summary>
    public ApiUsage Usage { get; }

    /// <summary>Org-wide calls consumed in the last 24 hours, when reported.</summary>
    public long? Consumed => Usage.Consumed;

    /// <summary>The org's 24-hour limit, when reported.</summary>
    public long? Limit => Usage.Limit;
}

/// <summary>Bulk API batches were consumed (Bulk 1.0 batches, or Bulk 2.0 internal batches).</summary>
public sealed class BulkApiBatchConsumptionEvent : SalesforceEvent
{
    internal BulkApiBatchConsumptionEvent(long requestId, string method, string path, DateTimeOffset timestamp, string jobId, int batches)
        : base(requestId, method, path, timestamp)
    {
        JobId = jobId;
        Batches = batches;
    }

    /// <summary>The job.</summary>
    public string JobId { get; }

    /// <summary>How many batches were consumed.</summary>
    public int Batches { get; }

    /// <summary>Creates the event (for the bulk clients).</summary>
    internal static BulkApiBatchConsumptionEvent Create(string path, DateTimeOffset timestamp, string jobId, int batches)
        => new(0, "POST", path, timestamp, jobId, batches);
}
