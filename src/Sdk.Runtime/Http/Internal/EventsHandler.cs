using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sdk.Runtime.Events;

namespace Sdk.Runtime.Http.Internal;

/// <summary>Outermost handler: numbers the request, reports the request and its success, logs the outcome.</summary>
internal sealed partial class EventsHandler(PipelineContext context) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var events = context.Events;
        if (!events.IsAnyEnabled && !context.Logger.IsEnabled(LogLevel.Warning) && !SalesforceTelemetry.IsObserved)
        {
            // Nothing observes this request: no numbering and no state machine on the hot path.
            return base.SendAsync(request, cancellationToken);
        }

        var state = new RequestState(context.NextRequestId());
        request.Options.Set(RequestKeys.State, state);
        return ObservedSendAsync(request, state, cancellationToken);
    }

    private async Task<HttpResponseMessage> ObservedSendAsync(HttpRequestMessage request, RequestState attempts, CancellationToken cancellationToken)
    {
        var id = attempts.Id;
        var events = context.Events;
        var path = RequestKeys.PathOf(request);
        var time = context.TimeProvider;
        if (events.IsEnabled<RequestEvent>())
        {
            events.Publish(new RequestEvent(id, request.Method.Method, path, time.GetUtcNow(), SnapshotHeaders(request)));
        }

        var template = SalesforceTelemetry.IsObserved ? SalesforceTelemetry.PathTemplate(path) : null;
        using var activity = template is null ? null : SalesforceTelemetry.Source.StartActivity(request.Method.Method + " " + template, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.template", template);
            activity.SetTag("server.address", request.RequestUri?.Host);
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(context.Logger, request.Method.Method, path, Math.Max(1, attempts.Attempts), ex.GetType().Name);
            var failedStatus = (ex as Errors.SalesforceException)?.StatusCode is { } s ? (int)s : (int?)null;
            Measure(request, template, failedStatus, Stopwatch.GetElapsedTime(started), activity, attempts, ex);
            throw;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var status = (int)response.StatusCode;
        if (status < 300 && events.IsEnabled<ResponseEvent>())
        {
            events.Publish(new ResponseEvent(id, request.Method.Method, path, time.GetUtcNow(), response.StatusCode, elapsed, Math.Max(1, attempts.Attempts)));
        }

        if (context.Logger.IsEnabled(LogLevel.Debug))
        {
            LogCompleted(context.Logger, request.Method.Method, path, status, elapsed.TotalMilliseconds, Math.Max(1, attempts.Attempts));
        }

        Measure(request, template, status, elapsed, activity, attempts, null);
        return response;
    }

    private static void Measure(HttpRequestMessage request, string? template, int? status, TimeSpan elapsed, Activity? activity, RequestState attempts, Exception? error)
    {
        if (template is null)
        {
            return;
        }

        var tags = new TagList
        {
            { "http.request.method", request.Method.Method },
            { "url.template", template },
        };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", code);
        }

        if (error is not null)
        {
            tags.Add("error.type", error.GetType().Name);
        }

        SalesforceTelemetry.Requests.Add(1, tags);
        SalesforceTelemetry.Duration.Record(elapsed.TotalSeconds, tags);
        if (activity is not null)
        {
            activity.SetTag("http.response.status_code", status);
            activity.SetTag("salesforce.attempts", Math.Max(1, attempts.Attempts));
            if (error is not null || status >= 400)
            {
                activity.SetStatus(ActivityStatusCode.Error, error?.GetType().Name);
            }
        }
    }

    private static KeyValuePair<string, string>[] SnapshotHeaders(HttpRequestMessage request)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            if (header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
                || header.Key.Equals(AuthHandler.SessionHeader, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            list.Add(new(header.Key, string.Join(", ", header.Value)));
        }

        if (request.Content is { } content)
        {
            foreach (var header in content.Headers)
            {
                list.Add(new(header.Key, string.Join(", ", header.Value)));
            }
        }

        return [.. list];
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status} in {ElapsedMs:0.0} ms after {Attempts} attempt(s).")]
    private static partial void LogCompleted(ILogger logger, string method, string path, int status, double elapsedMs, int attempts);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "{Method} {Path} failed after {Attempts} attempt(s) with {ExceptionType}.")]
    private static partial void LogFailed(ILogger logger, string method, string path, int attempts, string exceptionType);
}
