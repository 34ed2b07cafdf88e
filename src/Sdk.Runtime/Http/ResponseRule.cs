using System.Net;
using Sdk.Runtime.Http.Internal;

namespace Sdk.Runtime.Http;

/// <summary>A retry rule that matches responses.</summary>
public sealed class ResponseRule
{
    private readonly Func<HttpResponseMessage, CancellationToken, ValueTask<bool>> _predicate;

    /// <summary>Creates a rule from a synchronous predicate.</summary>
    /// <param name="predicate">Whether the response should be retried.</param>
    /// <param name="maxRetries">How often this rule may retry one request.</param>
    /// <param name="name">The rule's name in events and logs.</param>
    public ResponseRule(Func<HttpResponseMessage, bool> predicate, int maxRetries = 3, string? name = null)
        : this(WrapSync(predicate), maxRetries, name)
    {
    }

    /// <summary>Creates a rule from an asynchronous predicate (for example one that reads the body).</summary>
    /// <param name="predicate">Whether the response should be retried. The body is buffered and may be read.</param>
    /// <param name="maxRetries">How often this rule may retry one request.</param>
    /// <param name="name">The rule's name in events and logs.</param>
    public ResponseRule(Func<HttpResponseMessage, CancellationToken, ValueTask<bool>> predicate, int maxRetries = 3, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        _predicate = predicate;
        MaxRetries = maxRetries;
        Name = name ?? "response";
    }

    /// <summary>How often this rule may retry one request.</summary>
    public int MaxRetries { get; }

    /// <summary>The rule's name.</summary>
    public string Name { get; }

    internal ValueTask<bool> MatchesAsync(HttpResponseMessage response, CancellationToken cancellationToken) => _predicate(response, cancellationToken);

    /// <summary>Matches responses with status 500 or above.</summary>
    public static ResponseRule ServerErrors(int maxRetries = 3)
        => new(static r => (int)r.StatusCode >= 500, maxRetries, "server-error");

    /// <summary>Matches responses with one of the given status codes.</summary>
    public static ResponseRule ForStatusCodes(int maxRetries, params HttpStatusCode[] statusCodes)
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        var set = statusCodes.ToHashSet();
        return new(r => set.Contains(r.StatusCode), maxRetries, "status:" + string.Join(",", statusCodes.Select(s => (int)s)));
    }

    /// <summary>Matches error responses whose body carries one of the given Salesforce error codes.</summary>
    /// <param name="name">The rule's name.</param>
    /// <param name="errorCodes">The error codes, for example <c>UNABLE_TO_LOCK_ROW</c>.</param>
    public static ResponseRule ForErrorCodes(string name, params string[] errorCodes) => ForErrorCodes(name, 3, errorCodes);

    /// <summary>Matches error responses whose body carries one of the given Salesforce error codes.</summary>
    public static ResponseRule ForErrorCodes(string name, int maxRetries, params string[] errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        var set = errorCodes.ToHashSet(StringComparer.Ordinal);
        return new(async (r, ct) =>
        {
            if ((int)r.StatusCode < 300)
            {
                return false;
            }

            var codes = await ResponseInspector.GetErrorCodesAsync(r, ct).ConfigureAwait(false);
            return codes.Any(set.Contains);
        }, maxRetries, name);
    }

    /// <summary>Matches 429 responses and <c>REQUEST_LIMIT_EXCEEDED</c> errors.</summary>
    public static ResponseRule RequestLimits(int maxRetries = 3)
        => new(async (r, ct) =>
        {
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return true;
            }

            if ((int)r.StatusCode < 400)
            {
                return false;
            }

            var codes = await ResponseInspector.GetErrorCodesAsync(r, ct).ConfigureAwait(false);
            return codes.Contains("REQUEST_LIMIT_EXCEEDED", StringComparer.Ordinal);
        }, maxRetries, "request-limit");

    private static Func<HttpResponseMessage, CancellationToken, ValueTask<bool>> WrapSync(Func<HttpResponseMessage, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return (r, _) => ValueTask.FromResult(predicate(r));
    }
}
