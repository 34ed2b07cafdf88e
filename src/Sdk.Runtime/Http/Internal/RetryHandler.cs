using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Events;

namespace Sdk.Runtime.Http.Internal;

/// <summary>
/// Applies the <see cref="RetryPolicy"/> with a Polly v8 pipeline: an overall timeout around a retry strategy whose decision
/// walks the policy's rules in order.
/// </summary>
internal sealed partial class RetryHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<AttemptState> StateKey = new("Sdk.RetryState");
    private readonly PipelineContext _context;
    private readonly RetryPolicy _policy;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RetryHandler(PipelineContext context)
    {
        _context = context;
        _policy = context.RetryPolicy;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = context.TimeProvider };
        if (_policy.Timeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = _policy.Timeout, Name = "Sdk.OverallTimeout" });
        }

        if (_policy.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Sdk.Retry",
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.Zero,
                UseJitter = false,
                ShouldHandle = ShouldRetryAsync,
                DelayGenerator = static args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(StateKey, null!).NextDelay),
                OnRetry = OnRetryAsync,
            });
        }

        _pipeline = builder.Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && !IsResendable(content))
        {
            // Make the body re-sendable (a retry or a token refresh sends it again).
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var attempts = request.Options.TryGetValue(RequestKeys.Attempts, out var box) ? box : new StrongBox<int>(0);
        var state = new AttemptState(this, request, attempts, _policy.ResponseRules.Count, _policy.ExceptionRules.Count, Stopwatch.GetTimestamp());
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        resilience.Properties.Set(StateKey, state);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    s.Attempts.Value++;
                    try
                    {
                        var response = await s.Handler.SendCoreAsync(s.Request, ctx.CancellationToken).ConfigureAwait(false);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                resilience,
                state).ConfigureAwait(false);

            if (outcome.Exception is TimeoutRejectedException timeout)
            {
                throw new RequestTimeoutException(
                    $"{request.Method.Method} {RequestKeys.PathOf(request)} did not complete within the overall timeout of {_policy.Timeout.TotalSeconds:0.###} s ({attempts.Value} attempt(s)).",
                    timeout)
                {
                    RequestMethod = request.Method.Method,
                    RequestPath = RequestKeys.PathOf(request),
                    Timeout = _policy.Timeout,
                };
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

    private static bool IsResendable(HttpContent content) => content is ByteArrayContent or ReadOnlyMemoryContent or IResendableContent;

    private async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var state = args.Context.Properties.GetValue(StateKey, null!);
        var ct = args.Context.CancellationToken;
        if (ct.IsCancellationRequested || state.Retries >= _policy.MaxRetries)
        {
            return false;
        }

        var outcome = args.Outcome;
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

                if (state.ExceptionCounts[i] >= rule.MaxRetries || !IsSafeToResend(state.Request, exception))
                {
                    return false;
                }

                return Accept(state, ref state.ExceptionCounts[i], rule.Name, retryAfter: null, statusCode: null, errorCode: null);
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

            if (state.ResponseCounts[i] >= rule.MaxRetries)
            {
                return false;
            }

            string? code = null;
            if ((int)response.StatusCode >= 300)
            {
                var codes = await ResponseInspector.GetErrorCodesAsync(response, ct).ConfigureAwait(false);
                code = codes.Count > 0 ? codes[0] : null;
            }

            return Accept(state, ref state.ResponseCounts[i], rule.Name, RetryAfterOf(response), response.StatusCode, code);
        }

        return false;
    }

    private bool Accept(AttemptState state, ref int ruleCount, string rule, TimeSpan? retryAfter, HttpStatusCode? statusCode, string? errorCode)
    {
        var delay = retryAfter ?? Backoff(state.Retries);
        if (_policy.Timeout != Timeout.InfiniteTimeSpan && Stopwatch.GetElapsedTime(state.Started) + delay >= _policy.Timeout)
        {
            // The next attempt could not finish in time: raise the failure now instead of waiting for the timeout.
            return false;
        }

        ruleCount++;
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
        if (_context.Events.IsEnabled<RetryEvent>())
        {
            var id = request.Options.TryGetValue(RequestKeys.RequestId, out var rid) ? rid : 0;
            _context.Events.Publish(new RetryEvent(id, request.Method.Method, path, _context.TimeProvider.GetUtcNow(), state.Retries,
                state.Rule ?? "?", state.StatusCode, state.ErrorCode, args.Outcome.Exception, args.RetryDelay));
        }

        args.Outcome.Result?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "{Method} {Path}: retry {Retry} by rule '{Rule}' after status {Status} / {Error}, waiting {DelayMs:0} ms.")]
    private static partial void LogRetrying(ILogger logger, string method, string path, int retry, string rule, int? status, string? error, double delayMs);

    private sealed class AttemptState(RetryHandler handler, HttpRequestMessage request, StrongBox<int> attempts, int responseRules, int exceptionRules, long started)
    {
        public RetryHandler Handler { get; } = handler;

        public HttpRequestMessage Request { get; } = request;

        public StrongBox<int> Attempts { get; } = attempts;

        public long Started { get; } = started;

        public int[] ResponseCounts { get; } = new int[responseRules];

        public int[] ExceptionCounts { get; } = new int[exceptionRules];

        public int Retries { get; set; }

        public TimeSpan NextDelay { get; set; }

        public string? Rule { get; set; }

        public HttpStatusCode? StatusCode { get; set; }

        public string? ErrorCode { get; set; }
    }
}

/// <summary>Marks request content that can be sent more than once without buffering (it re-creates its bytes).</summary>
internal interface IResendableContent;
