using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Events;

namespace Sdk.Runtime.Http.Internal;

/// <summary>
/// Applies the <see cref="RetryPolicy"/>. The overall timeout is a linked cancellation token covering every attempt and wait.
/// The first attempt is sent directly; when the policy's rules decide to retry its outcome, the request continues in a Polly v8
/// retry pipeline whose decision walks the same rules, so the common case (success at once) pays for no resilience layers.
/// </summary>
internal sealed partial class RetryHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<AttemptState> StateKey = new("Sdk.RetryState");
    private readonly PipelineContext _context;
    private readonly RetryPolicy _policy;
    private readonly ResiliencePipeline<HttpResponseMessage> _retryPipeline;
    private readonly bool _hasTimeout;
    private readonly System.Collections.Concurrent.ConcurrentBag<CancellationTokenSource> _timeoutPool = [];

    public RetryHandler(PipelineContext context)
    {
        _context = context;
        _policy = context.RetryPolicy;
        _hasTimeout = _policy.Timeout != Timeout.InfiniteTimeSpan;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = context.TimeProvider };
        if (_policy.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Sdk.Retry",
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.Zero,
                UseJitter = false,
                ShouldHandle = args => DecideAsync(args.Context.Properties.GetValue(StateKey, null!), args.Outcome, args.Context.CancellationToken),
                DelayGenerator = static args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(StateKey, null!).NextDelay),
                OnRetry = OnRetryAsync,
            });
        }

        _retryPipeline = builder.Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && !IsResendable(content))
        {
            // Make the body re-sendable (a retry or a token refresh sends it again).
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var requestState = RequestKeys.StateOf(request);
        if (requestState is null)
        {
            requestState = new RequestState(0);
            request.Options.Set(RequestKeys.State, requestState);
        }
        CancellationTokenSource? timeout = null, clock = null;
        var pooled = false;
        var token = cancellationToken;
        if (_hasTimeout)
        {
            if (ReferenceEquals(_context.TimeProvider, TimeProvider.System))
            {
                if (!cancellationToken.CanBeCanceled && _timeoutPool.TryTake(out var reused))
                {
                    timeout = reused;
                    pooled = true;
                }
                else
                {
                    timeout = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : new CancellationTokenSource();
                    pooled = !cancellationToken.CanBeCanceled;
                }

                timeout.CancelAfter(_policy.Timeout);
            }
            else
            {
                // A custom clock drives the timeout (tests, simulations).
                clock = new CancellationTokenSource(_policy.Timeout, _context.TimeProvider);
                timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, clock.Token);
            }

            token = timeout.Token;
        }

        try
        {
            requestState.Attempts++;
            Outcome<HttpResponseMessage> first;
            try
            {
                first = Outcome.FromResult(await base.SendAsync(request, token).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                first = Outcome.FromException<HttpResponseMessage>(ex);
            }

            if (_policy.MaxRetries > 0 && !token.IsCancellationRequested)
            {
                var state = new AttemptState(this, request, requestState, _context.TimeProvider.GetTimestamp());
                if (await DecideAsync(state, first, token).ConfigureAwait(false))
                {
                    state.Pending = first;
                    first = await RetryAsync(state, token).ConfigureAwait(false);
                }
            }

            if (first.Exception is OperationCanceledException && timeout is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(request, requestState, first.Exception);
            }

            first.ThrowIfException();
            return first.Result!;
        }
        catch (OperationCanceledException ex) when (timeout is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(request, requestState, ex);
        }
        finally
        {
            // An unlinked, uncancelled source is reset and reused by the next request.
            if (pooled && _timeoutPool.Count < 256 && timeout!.TryReset())
            {
                _timeoutPool.Add(timeout);
            }
            else
            {
                timeout?.Dispose();
            }

            clock?.Dispose();
        }
    }

    private RequestTimeoutException TimedOut(HttpRequestMessage request, RequestState state, Exception inner)
    {
        var path = RequestKeys.PathOf(request);
        return new RequestTimeoutException(
            $"{request.Method.Method} {path} did not complete within the overall timeout of {_policy.Timeout.TotalSeconds:0.###} s ({state.Attempts} attempt(s)).", inner)
        {
            RequestMethod = request.Method.Method,
            RequestPath = path,
            Timeout = _policy.Timeout,
        };
    }

    private async Task<Outcome<HttpResponseMessage>> RetryAsync(AttemptState state, CancellationToken cancellationToken)
    {
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        resilience.Properties.Set(StateKey, state);
        try
        {
            return await _retryPipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    if (s.Pending is { } pending)
                    {
                        // The first attempt's outcome, already judged retryable: Polly sees it, waits, and sends again.
                        s.Pending = null;
                        return pending;
                    }

                    s.Attempts.Attempts++;
                    try
                    {
                        return Outcome.FromResult(await s.Handler.SendCoreAsync(s.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                resilience,
                state).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private static bool IsResendable(HttpContent content) => content is ByteArrayContent or ReadOnlyMemoryContent or IResendableContent;

    /// <summary>The decision on one failure. Judges each outcome once: asked again about the same outcome, it repeats its answer.</summary>
    private async ValueTask<bool> DecideAsync(AttemptState state, Outcome<HttpResponseMessage> outcome, CancellationToken ct)
    {
        var subject = (object?)outcome.Exception ?? outcome.Result;
        if (subject is not null && ReferenceEquals(subject, state.Judged))
        {
            return state.LastDecision;
        }

        state.Judged = subject;
        state.LastDecision = await JudgeAsync(state, outcome, ct).ConfigureAwait(false);
        return state.LastDecision;
    }

    private async ValueTask<bool> JudgeAsync(AttemptState state, Outcome<HttpResponseMessage> outcome, CancellationToken ct)
    {
        if (ct.IsCancellationRequested || state.Retries >= _policy.MaxRetries)
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            if (exception is OperationCanceledException)
            {
                return false;
            }

            for (var i = 0; i < _policy.ExceptionRules.Count; i++)
            {
                var rule = _policy.ExceptionRules[i];
                if (!rule.Matches(exception))
                {
                    continue;
                }

                if (state.ExceptionCount(i) >= rule.MaxRetries || !IsSafeToResend(state.Request, exception))
                {
                    return false;
                }

                return Accept(state, isException: true, i, rule.Name, retryAfter: null, statusCode: null, errorCode: null);
            }

            return false;
        }

        var response = outcome.Result!;
        for (var i = 0; i < _policy.ResponseRules.Count; i++)
        {
            var rule = _policy.ResponseRules[i];
            if (!await rule.MatchesAsync(response, ct).ConfigureAwait(false))
            {
                continue;
            }

            if (state.ResponseCount(i) >= rule.MaxRetries)
            {
                return false;
            }

            string? code = null;
            if ((int)response.StatusCode >= 300)
            {
                var codes = await ResponseInspector.GetErrorCodesAsync(response, ct).ConfigureAwait(false);
                code = codes.Count > 0 ? codes[0] : null;
            }

            return Accept(state, isException: false, i, rule.Name, RetryAfterOf(response), response.StatusCode, code);
        }

        return false;
    }

    private bool Accept(AttemptState state, bool isException, int ruleIndex, string rule, TimeSpan? retryAfter, HttpStatusCode? statusCode, string? errorCode)
    {
        var delay = retryAfter ?? Backoff(state.Retries);
        if (_hasTimeout && _context.TimeProvider.GetElapsedTime(state.Started) + delay >= _policy.Timeout)
        {
            // The next attempt could not finish in time: raise the failure now instead of waiting for the timeout.
            return false;
        }

        state.Count(isException, ruleIndex, _policy);
        state.Retries++;
        state.NextDelay = delay;
        state.Rule = rule;
        state.StatusCode = statusCode;
        state.ErrorCode = errorCode;
        return true;
    }

    private bool IsSafeToResend(HttpRequestMessage request, Exception exception)
    {
        if (RequestKeys.IsIdempotent(request) || _policy.RetryNonIdempotentRequests)
        {
            return true;
        }

        // POST/PATCH: only when the request cannot have reached the server.
        return exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError };
    }

    private TimeSpan Backoff(int retriesSoFar)
    {
        var baseTicks = _policy.BaseDelay.Ticks;
        if (baseTicks == 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(retriesSoFar, 30);
        var ticks = Math.Min((double)baseTicks * Math.Pow(2, exponent), _policy.MaxDelay.Ticks);
        if (_policy.UseJitter)
        {
            ticks = ticks / 2 + Random.Shared.NextDouble() * ticks / 2;
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - _context.TimeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private ValueTask OnRetryAsync(OnRetryArguments<HttpResponseMessage> args)
    {
        var state = args.Context.Properties.GetValue(StateKey, null!);
        var request = state.Request;
        var path = RequestKeys.PathOf(request);
        LogRetrying(_context.Logger, request.Method.Method, path, state.Retries, state.Rule ?? "?", (int?)state.StatusCode,
            state.ErrorCode ?? args.Outcome.Exception?.GetType().Name, args.RetryDelay.TotalMilliseconds);
        if (SalesforceTelemetry.Retries.Enabled)
        {
            SalesforceTelemetry.Retries.Add(1, new TagList { { "http.request.method", request.Method.Method }, { "url.template", SalesforceTelemetry.PathTemplate(path) }, { "salesforce.retry_rule", state.Rule ?? "?" } });
        }

        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { { "salesforce.retry", state.Retries }, { "salesforce.retry_rule", state.Rule ?? "?" } }));
        if (_context.Events.IsEnabled<RetryEvent>())
        {
            _context.Events.Publish(new RetryEvent(state.Attempts.Id, request.Method.Method, path, _context.TimeProvider.GetUtcNow(), state.Retries,
                state.Rule ?? "?", state.StatusCode, state.ErrorCode, args.Outcome.Exception, args.RetryDelay));
        }

        args.Outcome.Result?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "{Method} {Path}: retry {Retry} by rule '{Rule}' after status {Status} / {Error}, waiting {DelayMs:0} ms.")]
    private static partial void LogRetrying(ILogger logger, string method, string path, int retry, string rule, int? status, string? error, double delayMs);

    private sealed class AttemptState(RetryHandler handler, HttpRequestMessage request, RequestState attempts, long started)
    {
        private int[]? _responseCounts;
        private int[]? _exceptionCounts;

        public RetryHandler Handler { get; } = handler;

        public HttpRequestMessage Request { get; } = request;

        public RequestState Attempts { get; } = attempts;

        public long Started { get; } = started;

        public Outcome<HttpResponseMessage>? Pending { get; set; }

        public object? Judged { get; set; }

        public bool LastDecision { get; set; }

        public int Retries { get; set; }

        public TimeSpan NextDelay { get; set; }

        public string? Rule { get; set; }

        public HttpStatusCode? StatusCode { get; set; }

        public string? ErrorCode { get; set; }

        public int ResponseCount(int rule) => _responseCounts?[rule] ?? 0;

        public int ExceptionCount(int rule) => _exceptionCounts?[rule] ?? 0;

        public void Count(bool isException, int rule, RetryPolicy policy)
        {
            if (isException)
            {
                (_exceptionCounts ??= new int[policy.ExceptionRules.Count])[rule]++;
            }
            else
            {
                (_responseCounts ??= new int[policy.ResponseRules.Count])[rule]++;
            }
        }
    }
}

/// <summary>Marks request content that can be sent more than once without buffering (it re-creates its bytes).</summary>
internal interface IResendableContent;
