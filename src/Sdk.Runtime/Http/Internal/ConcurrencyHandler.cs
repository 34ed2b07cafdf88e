namespace Sdk.Runtime.Http.Internal;

/// <summary>Caps the requests in flight.</summary>
internal sealed class ConcurrencyHandler(int limit) : DelegatingHandler
{
    private readonly SemaphoreSlim _slots = new(limit, limit);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slots.Dispose();
        }

        base.Dispose(disposing);
    }
}
