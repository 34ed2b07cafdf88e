using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Sdk.Runtime.Events;

namespace Sdk.Runtime.Http.Internal;

/// <summary>
/// Innermost handler: adds the bearer token; on 401 <c>INVALID_SESSION_ID</c> refreshes once (shared with concurrent callers)
/// and re-sends once. Also reads <c>Sforce-Limit-Info</c> from every response it sees.
/// </summary>
internal sealed partial class AuthHandler(PipelineContext context) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var auth = context.Authenticator;
        var token = await auth.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Observe(request, response);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !auth.CanRefresh)
        {
            return response;
        }

        var codes = await ResponseInspector.GetErrorCodesAsync(response, cancellationToken).ConfigureAwait(false);
        if (codes.Count > 0 && !codes.Contains("INVALID_SESSION_ID", StringComparer.Ordinal))
        {
            return response;
        }

        LogRefreshing(context.Logger, request.Method.Method, RequestKeys.PathOf(request));
        response.Dispose();
        token = await auth.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Observe(request, response);
        return response;
    }

    private void Observe(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Sforce-Limit-Info", out var values))
        {
            return;
        }

        var usage = ApiUsage.Parse(string.Join(";", values));
        if (usage is null)
        {
            return;
        }

        context.ObserveUsage(usage);
        if (context.Events.IsEnabled<RestApiCallConsumptionEvent>())
        {
            var id = request.Options.TryGetValue(RequestKeys.RequestId, out var rid) ? rid : 0;
            context.Events.Publish(new RestApiCallConsumptionEvent(id, request.Method.Method, RequestKeys.PathOf(request), context.TimeProvider.GetUtcNow(), usage));
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Method} {Path}: session expired or invalid; renewing the token and sending once more.")]
    private static partial void LogRefreshing(ILogger logger, string method, string path);
}
