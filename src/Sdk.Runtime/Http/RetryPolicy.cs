namespace Sdk.Runtime.Http;

/// <summary>
/// Which failures are retried, how often and how long to wait. Rules are walked in order on each failure: a rule that does not
/// match is skipped; the first that matches decides (raise if its own retries are used up, otherwise wait and retry); when no
/// rule matches, the failure is raised. Before the rules, the global <see cref="MaxRetries"/> and the overall
/// <see cref="Timeout"/> are checked.
/// </summary>
/// <remarks>
/// <para>Safety: a request that is not idempotent (POST, PATCH) is re-sent after an exception only when it cannot have reached the
/// server (the connection could not be made), unless <see cref="RetryNonIdempotentRequests"/> is set. After a response it may be
/// re-sent, because the server answered and Salesforce rolls back a failed request. Upsert by external id is idempotent and
/// is retried like a GET.</para>
/// <para>Defaults (<see cref="CreateDefault"/>): transport errors other than timeouts; status 500 and above;
/// <c>UNABLE_TO_LOCK_ROW</c>; 429 or <c>REQUEST_LIMIT_EXCEEDED</c>; 3 retries each.</para>
/// </remarks>
public sealed class RetryPolicy
{
    /// <summary>The response rules, in order.</summary>
    public IList<ResponseRule> ResponseRules { get; } = new List<ResponseRule>();

    /// <summary>The exception rules, in order.</summary>
    public IList<ExceptionRule> ExceptionRules { get; } = new List<ExceptionRule>();

    /// <summary>The most retries of one request, whatever the rules allow.</summary>
    /// <value>The default value is 10.</value>
    public int MaxRetries { get; set; } = 10;

    /// <summary>The longest one request may take, retries and waits included. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</summary>
    /// <value>The default value is 2 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The first backoff delay; each further retry doubles it, up to <see cref="MaxDelay"/>.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay (a <c>Retry-After</c> from the server is honoured even when longer).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether backoff delays are randomized (between half and all of the computed delay) so clients do not retry in step.</summary>
    /// <value>The default value is true.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Whether POST and PATCH requests may be re-sent after an exception that may have happened after the server received them
    /// (a lost response). Off by default, because such a re-send can create a record twice.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool RetryNonIdempotentRequests { get; set; }

    /// <summary>The default policy: transport errors (not timeouts), status ≥ 500, <c>UNABLE_TO_LOCK_ROW</c>, 429 or <c>REQUEST_LIMIT_EXCEEDED</c>; 3 retries each.</summary>
    public static RetryPolicy CreateDefault()
    {
        var policy = new RetryPolicy();
        policy.ExceptionRules.Add(ExceptionRule.TransportErrors());
        policy.ResponseRules.Add(ResponseRule.ServerErrors());
        policy.ResponseRules.Add(ResponseRule.ForErrorCodes("lock-contention", "UNABLE_TO_LOCK_ROW"));
        policy.ResponseRules.Add(ResponseRule.RequestLimits());
        return policy;
    }

    /// <summary>A policy that never retries.</summary>
    public static RetryPolicy None() => new() { MaxRetries = 0 };

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal void Validate()
    {
        if (MaxRetries < 0)
        {
            throw new ArgumentException($"RetryPolicy.MaxRetries must be 0 or more; it is {MaxRetries}.");
        }

        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan && (Timeout < TimeSpan.FromMilliseconds(10) || Timeout > TimeSpan.FromDays(1)))
        {
            throw new ArgumentException($"RetryPolicy.Timeout must be between 10 ms and 1 day, or infinite; it is {Timeout}.");
        }

        if (BaseDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero || MaxDelay > TimeSpan.FromDays(1))
        {
            throw new ArgumentException("RetryPolicy.BaseDelay and MaxDelay must be between zero and one day.");
        }

        if (ResponseRules.Any(r => r is null) || ExceptionRules.Any(r => r is null))
        {
            throw new ArgumentException("RetryPolicy rules may not be null.");
        }
    }
}
