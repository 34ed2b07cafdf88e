using Microsoft.Extensions.Logging;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Events;
using Sdk.Runtime.Events.Internal;

namespace Sdk.Runtime.Http.Internal;

/// <summary>What the handlers of one client share.</summary>
internal sealed class PipelineContext
{
    private long _nextRequestId;
    private ApiUsage? _lastUsage;

    public PipelineContext(SalesforceAuthenticator authenticator, RetryPolicy retryPolicy, int maxConcurrentRequests,
        EventDispatcher events, ILogger logger, TimeProvider timeProvider)
    {
        Authenticator = authenticator;
        RetryPolicy = retryPolicy;
        MaxConcurrentRequests = maxConcurrentRequests;
        Events = events;
        Logger = logger;
        TimeProvider = timeProvider;
    }

    public SalesforceAuthenticator Authenticator { get; }

    public RetryPolicy RetryPolicy { get; }

    public int MaxConcurrentRequests { get; }

    public EventDispatcher Events { get; }

    public ILogger Logger { get; }

    public TimeProvider TimeProvider { get; }

    public ApiUsage? LastUsage => Volatile.Read(ref _lastUsage);

    public long NextRequestId() => Interlocked.Increment(ref _nextRequestId);

    /// <summary>Records the usage a response reported; an unchanged header value is not parsed again.</summary>
    public ApiUsage? ObserveUsage(string header)
    {
        var last = Volatile.Read(ref _lastUsageHeader);
        if (last is not null && string.Equals(last.Header, header, StringComparison.Ordinal))
        {
            return last.Usage;
        }

        var usage = ApiUsage.Parse(header);
        if (usage is not null)
        {
            Volatile.Write(ref _lastUsage, usage);
            SalesforceTelemetry.RecordUsage(usage);
        }

        Volatile.Write(ref _lastUsageHeader, new UsageHeader(header, usage));
        return usage;
    }

    private UsageHeader? _lastUsageHeader;

    private sealed record UsageHeader(string Header, ApiUsage? Usage);

    /// <summary>Creates the SDK's handlers, outermost first: events → concurrency → retry → auth. The caller owns them.</summary>
#pragma warning disable CA2000 // Ownership passes to the caller, which chains and disposes them.
    public DelegatingHandler[] CreateHandlers() =>
    [
        new EventsHandler(this),
        new ConcurrencyHandler(MaxConcurrentRequests),
        new RetryHandler(this),
        new AuthHandler(this),
    ];
#pragma warning restore CA2000

    /// <summary>Builds the handler chain, outermost first: events → concurrency → retry → auth → <paramref name="inner"/>.</summary>
    public HttpMessageHandler BuildChain(HttpMessageHandler inner)
    {
        var handlers = CreateHandlers();
        for (var i = 0; i < handlers.Length - 1; i++)
        {
            handlers[i].InnerHandler = handlers[i + 1];
        }

        handlers[^1].InnerHandler = inner;
        return handlers[0];
    }
}
