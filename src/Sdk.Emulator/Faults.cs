using System.Collections.Concurrent;

namespace Sdk.Emulator;

/// <summary>What a fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>500 <c>UNKNOWN_EXCEPTION</c>, before the request is processed.</summary>
    ServerError,

    /// <summary>503 <c>SERVER_UNAVAILABLE</c>, before the request is processed.</summary>
    ServiceUnavailable,

    /// <summary>400 <c>UNABLE_TO_LOCK_ROW</c>, before the request is processed.</summary>
    UnableToLockRow,

    /// <summary>429 with a <c>Retry-After</c> header, before the request is processed.</summary>
    TooManyRequests,

    /// <summary>403 <c>REQUEST_LIMIT_EXCEEDED</c>, before the request is processed.</summary>
    RequestLimitExceeded,

    /// <summary>An added delay (<see cref="FaultRule.Delay"/>); the request is then processed normally.</summary>
    Latency,

    /// <summary>The connection is dropped before the request is processed: nothing happened.</summary>
    DropBeforeProcessing,

    /// <summary>The request is processed (a create creates), then the connection is dropped: the answer is lost.</summary>
    DropAfterProcessing,

    /// <summary>Every session expires, and this request answers 401 <c>INVALID_SESSION_ID</c>.</summary>
    ExpireSession,

    /// <summary>
    /// Bulk ingest only: an internal batch (200 rows) that draws it fails as a whole, each of its rows reporting
    /// <c>UNABLE_TO_LOCK_ROW</c> in the job's failed results; the rest of the job goes on. Not applied to requests.
    /// </summary>
    BulkBatchFailure,
}

/// <summary>
/// One kind of fault, injected into matching API requests with a probability, drawn from the org's seeded random sequence so
/// a run can be repeated exactly.
/// </summary>
/// <param name="Kind">What the fault does.</param>
/// <param name="Probability">The chance, 0 to 1, that a matching request gets it.</param>
public sealed record FaultRule(FaultKind Kind, double Probability)
{
    /// <summary>Only requests with this method (any when null).</summary>
    public string? Method { get; init; }

    /// <summary>Only requests whose path contains this text, case-insensitively (any when null), e.g. <c>/composite</c>.</summary>
    public string? PathContains { get; init; }

    /// <summary>The most times this rule fires (unlimited when null).</summary>
    public int? MaxCount { get; init; }

    /// <summary>The <c>Retry-After</c> of <see cref="FaultKind.TooManyRequests"/>.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The delay of <see cref="FaultKind.Latency"/>.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>Fault injection for a local org: the rules, the seed, and what was injected.</summary>
public sealed class FaultInjection
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<FaultRule, int> _fired = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<FaultKind, int> _counts = new();
    private Random? _random;

    /// <summary>The seed of the random sequence the rules draw from.</summary>
    /// <value>The default value is 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>The rules, checked in order; the first that fires applies (a latency rule delays and lets the next rules draw too).</summary>
    public IList<FaultRule> Rules { get; } = [];

    /// <summary>Whether injection is on (it is when there are rules).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many faults of each kind were injected so far.</summary>
    public IReadOnlyDictionary<FaultKind, int> Injected => _counts;

    /// <summary>The faults that apply to one request, in order (latencies first, then at most one other).</summary>
    internal IReadOnlyList<FaultRule> Draw(string method, string path, bool bulkBatch = false)
    {
        if (!Enabled || Rules.Count == 0)
        {
            return []; // no allocation on the common path
        }

        var chosen = new List<FaultRule>(1);
        lock (_gate)
        {
            _random ??= new Random(Seed);
            foreach (var rule in Rules)
            {
                if ((rule.Kind == FaultKind.BulkBatchFailure) != bulkBatch
                    || (rule.Method is not null && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                    || (rule.PathContains is not null && !path.Contains(rule.PathContains, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var roll = _random.NextDouble();
                if (roll >= rule.Probability || (rule.MaxCount is { } max && _fired.GetValueOrDefault(rule) >= max))
                {
                    continue;
                }

                _fired.AddOrUpdate(rule, 1, (_, n) => n + 1);
                _counts.AddOrUpdate(rule.Kind, 1, (_, n) => n + 1);
                chosen.Add(rule);
                if (rule.Kind != FaultKind.Latency)
                {
                    break;
                }
            }
        }

        return chosen;
    }
}
