using Sdk.Runtime.Auth;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Auth;

public class SalesforceAuthenticatorTests
{
    [Fact]
    public async Task GetTokenAsync_FiftyConcurrentCallers_OneTokenRequest()
    {
        var auth = new CountingAuthenticator(TimeSpan.FromMilliseconds(50));
        var tokens = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => auth.GetTokenAsync().AsTask()));
        Assert.Equal(1, auth.Requests);
        Assert.All(tokens, t => Assert.Same(tokens[0], t));
    }

    [Fact]
    public async Task RefreshAsync_FiftyConcurrentRejections_OneRefresh()
    {
        var auth = new CountingAuthenticator(TimeSpan.FromMilliseconds(50));
        var first = await auth.GetTokenAsync();
        var refreshed = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => auth.RefreshAsync(first).AsTask()));
        Assert.Equal(2, auth.Requests);
        Assert.All(refreshed, t => Assert.NotSame(first, t));
        Assert.All(refreshed, t => Assert.Same(refreshed[0], t));
    }

    [Fact]
    public async Task RefreshAsync_StaleRejection_ReturnsNewerTokenWithoutRequest()
    {
        var auth = new CountingAuthenticator(TimeSpan.Zero);
        var first = await auth.GetTokenAsync();
        var second = await auth.RefreshAsync(first);
        var again = await auth.RefreshAsync(first);
        Assert.Same(second, again);
        Assert.Equal(2, auth.Requests);
    }

    [Fact]
    public async Task GetTokenAsync_KnownLifetime_RenewedBeforeExpiry()
    {
        var clock = new ManualTimeProvider();
        var auth = new CountingAuthenticator(TimeSpan.Zero, clock, lifetime: TimeSpan.FromHours(2));
        var first = await auth.GetTokenAsync();
        clock.Advance(TimeSpan.FromMinutes(100));
        Assert.Same(first, await auth.GetTokenAsync());
        clock.Advance(TimeSpan.FromMinutes(16)); // 116 min: within 5 minutes of expiry
        var renewed = await auth.GetTokenAsync();
        Assert.NotSame(first, renewed);
        Assert.Equal(2, auth.Requests);
    }

    [Fact]
    public async Task GetTokenAsync_FailedRequest_NextCallTriesAgain()
    {
        var auth = new CountingAuthenticator(TimeSpan.Zero) { FailFirst = true };
        await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        var token = await auth.GetTokenAsync();
        Assert.Equal("token-2", token.AccessToken);
    }

    [Fact]
    public async Task GetTokenAsync_CallerCancels_SharedRequestContinuesForOthers()
    {
        var auth = new CountingAuthenticator(TimeSpan.FromMilliseconds(200));
        using var cts = new CancellationTokenSource();
        var cancelled = auth.GetTokenAsync(cts.Token).AsTask();
        var other = auth.GetTokenAsync().AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal("token-1", (await other).AccessToken);
        Assert.Equal(1, auth.Requests);
    }

    [Fact]
    public async Task AccessTokenAuthenticator_CannotRefresh()
    {
        var auth = new AccessTokenAuthenticator("abc", new Uri("https://acme.my.salesforce.com"));
        var token = await auth.GetTokenAsync();
        Assert.False(auth.CanRefresh);
        Assert.Throws<SessionExpiredException>(() => auth.RefreshAsync(token));
    }

    [Fact]
    public void Token_ToString_NeverShowsTheToken()
    {
        var token = new SalesforceToken("00D!SECRET", new Uri("https://acme.my.salesforce.com"), DateTimeOffset.UnixEpoch);
        Assert.DoesNotContain("SECRET", token.ToString(), StringComparison.Ordinal);
        Assert.Contains("acme.my.salesforce.com", token.ToString(), StringComparison.Ordinal);
    }

    private sealed class CountingAuthenticator(TimeSpan delay, TimeProvider? clock = null, TimeSpan? lifetime = null) : SalesforceAuthenticator(clock)
    {
        private int _requests;

        public int Requests => _requests;

        public bool FailFirst { get; init; }

        protected override async Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _requests);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            if (FailFirst && n == 1)
            {
                throw new SalesforceAuthenticationException("boom", "TEST");
            }

            var now = TimeProvider.GetUtcNow();
            return new SalesforceToken($"token-{n}", new Uri("https://acme.my.salesforce.com"), now, lifetime is { } l ? now + l : null);
        }
    }
}
