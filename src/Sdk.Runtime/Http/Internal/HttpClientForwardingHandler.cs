namespace Sdk.Runtime.Http.Internal;

/// <summary>
/// Ends the chain in a caller's HttpClient. Each attempt sends a copy of the request, because an HttpClient refuses to send
/// one message twice. The caller's client is never disposed.
/// </summary>
internal sealed class HttpClientForwardingHandler(Func<HttpClient> client) : HttpMessageHandler
{
    public HttpClientForwardingHandler(HttpClient client)
        : this(() => client)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var copy = Copy(request);
        var response = await client().SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.RequestMessage = request;
        return response;
    }

    internal static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = request.Content is null ? null : new ForwardedContent(request.Content),
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }

    /// <summary>Wraps the original content without taking ownership, so disposing the copy leaves it re-sendable.</summary>
    private sealed class ForwardedContent : HttpContent
    {
        private readonly HttpContent _inner;

        public ForwardedContent(HttpContent inner)
        {
            _inner = inner;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
            => _inner.CopyToAsync(stream, context);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
            => _inner.CopyToAsync(stream, context, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            var l = _inner.Headers.ContentLength;
            length = l ?? 0;
            return l.HasValue;
        }
    }
}
