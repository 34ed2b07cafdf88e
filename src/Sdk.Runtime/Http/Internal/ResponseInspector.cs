using System.Runtime.CompilerServices;
using Sdk.Runtime.Errors.Internal;

namespace Sdk.Runtime.Http.Internal;

/// <summary>Reads (once) and caches the error codes of an error response, leaving the body readable for the caller.</summary>
internal static class ResponseInspector
{
    private static readonly ConditionalWeakTable<HttpResponseMessage, IReadOnlyList<string>> Cache = new();

    public static async ValueTask<IReadOnlyList<string>> GetErrorCodesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (Cache.TryGetValue(response, out var cached))
        {
            return cached;
        }

        IReadOnlyList<string> codes;
        try
        {
            var length = response.Content.Headers.ContentLength;
            if (length is > SalesforceErrorParser.MaxErrorBodyBytes)
            {
                codes = [];
            }
            else
            {
                await response.Content.LoadIntoBufferAsync(SalesforceErrorParser.MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                codes = SalesforceErrorParser.ParseErrorCodes(body);
            }
        }
        catch (HttpRequestException)
        {
            codes = [];
        }

        Cache.AddOrUpdate(response, codes);
        return codes;
    }
}
