using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Auth;

/// <summary>
/// The base of every login flow. It caches the current token, refreshes it before a known expiry, and makes concurrent
/// callers share one token request (single flight), for the first login and for every refresh. One instance may be
/// shared by many clients.
/// </summary>
public abstract class SalesforceAuthenticator : IDisposable
{
    private readonly Lock _gate = new();
    private SalesforceToken? _current;
    private Task<SalesforceToken>? _pending;
    private long _tokenRequests;
    private bool _disposed;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="timeProvider">The clock used for expiry; <see cref="TimeProvider.System"/> when null.</param>
    protected SalesforceAuthenticator(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock used for issue and expiry times.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>
    /// How long before a known expiry the token is renewed.
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether this flow can get a new token after the server rejected one. A fixed access token cannot.</summary>
    public virtual bool CanRefresh => true;

    /// <summary>How many token requests this instance has made (for diagnostics and tests).</summary>
    public long TokenRequestCount => Interlocked.Read(ref _tokenRequests);

    /// <summary>
    /// Returns the current token, logging in first when there is none or it is about to expire.
    /// Concurrent callers share one request.
    /// </summary>
    /// <param name="cancellationToken">Cancels this caller's wait; the shared request goes on for the others.</param>
    public ValueTask<SalesforceToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var current = Volatile.Read(ref _current);
        if (current is not null && !IsDue(current))
        {
            return ValueTask.FromResult(current);
        }

        return new ValueTask<SalesforceToken>(StartOrJoin(rejected: null).WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Called when the server rejected <paramref name="rejected"/> (401 <c>INVALID_SESSION_ID</c>): gets a new token, unless
    /// another caller already replaced it, in which case the newer token is returned at once.
    /// </summary>
    /// <param name="rejected">The token the server rejected.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    /// <exception cref="SessionExpiredException">The flow cannot refresh (<see cref="CanRefresh"/> is false).</exception>
    public ValueTask<SalesforceToken> RefreshAsync(SalesforceToken rejected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!CanRefresh)
        {
            throw new SessionExpiredException("The session expired or is invalid, and this authenticator holds a fixed access token that cannot be refreshed.");
        }

        var current = Volatile.Read(ref _current);
        if (current is not null && !ReferenceEquals(current, rejected) && !IsDue(current))
        {
            return ValueTask.FromResult(current);
        }

        return new ValueTask<SalesforceToken>(StartOrJoin(rejected).WaitAsync(cancellationToken));
    }

    /// <summary>Forgets the cached token so that the next call logs in again.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _current = null;
        }
    }

    /// <summary>Requests a new token from the server. Called by one caller at a time.</summary>
    /// <param name="cancellationToken">Cancelled only when the authenticator is disposed.</param>
    protected abstract Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken);

    private readonly CancellationTokenSource _lifetime = new();

    private Task<SalesforceToken> StartOrJoin(SalesforceToken? rejected)
    {
        lock (_gate)
        {
            if (_pending is not null)
            {
                return _pending;
            }

            var current = _current;
            if (current is not null && !ReferenceEquals(current, rejected) && !IsDue(current))
            {
                return Task.FromResult(current);
            }

            var task = RunRequestAsync();
            _pending = task;
            return task;
        }
    }

    private async Task<SalesforceToken> RunRequestAsync()
    {
        // Yield so the pending task is published before the request starts.
        await Task.Yield();
        try
        {
            Interlocked.Increment(ref _tokenRequests);
            var token = await RequestTokenAsync(_lifetime.Token).ConfigureAwait(false);
            lock (_gate)
            {
                _current = token;
            }

            return token;
        }
        finally
        {
            lock (_gate)
            {
                _pending = null;
            }
        }
    }

    private bool IsDue(SalesforceToken token)
    {
        if (token.ExpiresAt is not { } expires)
        {
            return false;
        }

        var lifetime = expires - token.IssuedAt;
        var skew = lifetime > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(RefreshBeforeExpiry.Ticks, lifetime.Ticks / 10)) : TimeSpan.Zero;
        return TimeProvider.GetUtcNow() >= expires - skew;
    }

    /// <summary>Releases resources the flow owns (its own HttpClient).</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            _lifetime.Cancel();
            _lifetime.Dispose();
        }
    }
}
