using System.Net;
using Microsoft.Extensions.Logging;
using Sdk.Runtime.Events;

namespace Sdk.Runtime.Http.Internal;

/// <summary>
/// Innermost handler: adds the bearer token; on 401 <c>INVALID_SESSION_ID</c> (or Bulk API 1.0's 400 <c>InvalidSessionId</c>)
/// refreshes once (shared with concurrent callers) and re-sends once. Also reads <c>Sforce-Limit-Info</c> from every
/// response it sees.
/// </summary>
internal sealed partial class AuthHandler(PipelineContext context) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var auth = context.Authenticator;
        var token = await auth.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        SetBearer(request, token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Observe(request, response);
        var bulkV1 = IsBulkV1(request);
        if (!auth.CanRefresh || (response.StatusCode != HttpStatusCode.Unauthorized && !(bulkV1 && response.StatusCode == HttpStatusCode.BadRequest)))
        {
            return response;
        }

        var codes = await ResponseInspector.GetErrorCodesAsync(response, cancellationToken).ConfigureAwait(false);
        var expired = response.StatusCode == HttpStatusCode.Unauthorized
            ? codes.Count == 0 || codes.Contains("INVALID_SESSION_ID", StringComparer.Ordinal)
            : codes.Contains("InvalidSessionId", StringComparer.Ordinal); // Bulk API 1.0 answers an expired session with 400
        if (!expired)
        {
            return response;
        }

        LogRefreshing(context.Logger, request.Method.Method, RequestKeys.PathOf(request));
        response.Dispose();
        token = await auth.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
        SetBearer(request, token);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Observe(request, response);
        return response;
    }

    private static void SetBearer(HttpRequestMessage request, Auth.SalesforceToken token)
    {
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", token.BearerHeaderValue);
        if (IsBulkV1(request))
        {
            // Bulk API 1.0 reads the session from its own header.
            request.Headers.Remove(SessionHeader);
            request.Headers.TryAddWithoutValidation(SessionHeader, token.AccessToken);
        }
    }

    private static bool IsBulkV1(HttpRequestMessage request) => request.RequestUri?.AbsolutePath.StartsWith("/services/async/", StringComparison.Ordinal) == true;

    /// <summary>Bulk API 1.0's session header (never logged: see EventsHandler).</summary>
    internal const string SessionHeader = "X-SFDC-Session";

    private void Observe(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Sforce-Limit-Info", out var values))
        {
            return;
        }

        var usage = context.ObserveUsage(values.Count == 1 ? values.ToString() : string.Join(";", values));
        if (usage is null)
        {
            return;
        }

        if (context.Events.IsEnabled<RestApiCallConsumptionEvent>())
        {
            var id = RequestKeys.StateOf(request)?.Id ?? 0;
            context.Events.Publish(new RestApiCallConsumptionEvent(id, request.Method.Method, RequestKeys.PathOf(request), context.TimeProvider.GetUtcNow(), usage));
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Method} {Path}: session expired or invalid; renewing the token and sending once more.")]
    private static partial void LogRefreshing(ILogger logger, string method, string path);
}
