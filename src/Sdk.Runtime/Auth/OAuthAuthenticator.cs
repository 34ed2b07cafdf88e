using Sdk.Runtime.Auth.Internal;

namespace Sdk.Runtime.Auth;

/// <summary>
/// The base of the flows that log in over HTTP to a login host (OAuth 2.0 token endpoint or SOAP login).
/// </summary>
public abstract class OAuthAuthenticator : SalesforceAuthenticator
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates the flow.</summary>
    /// <param name="loginUrl">The login host: <c>https://login.salesforce.com</c>, <c>https://test.salesforce.com</c>, or the org's My Domain URL.</param>
    /// <param name="httpClient">The HttpClient for login requests; when null, the authenticator creates and owns one. A caller's client is never disposed.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    protected OAuthAuthenticator(Uri? loginUrl, HttpClient? httpClient, TimeProvider? timeProvider)
        : base(timeProvider)
    {
        LoginUrl = InstanceUrl.Normalize(loginUrl ?? LoginUrls.Production, nameof(loginUrl));
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
    }

    /// <summary>The login host (scheme, host, port).</summary>
    public Uri LoginUrl { get; }

    /// <summary>
    /// How long a session lasts in this org (Setup → Session Settings → Timeout Value). When set, tokens are renewed shortly
    /// before that; when null, a token is renewed only after the server rejects it.
    /// </summary>
    /// <value>The default value is null (unknown).</value>
    public TimeSpan? SessionLifetime { get; init; }

    /// <summary>The HTTP client used for login requests.</summary>
    protected HttpClient Http => _http;

    /// <summary>Posts an OAuth 2.0 token request and turns the answer into a token.</summary>
    /// <param name="form">The form fields; never logged.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    protected async Task<SalesforceToken> RequestOAuthTokenAsync(IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var response = await OAuthTokenClient.PostAsync(_http, LoginUrl, form, cancellationToken).ConfigureAwait(false);
        OnTokenResponse(response);
        var now = TimeProvider.GetUtcNow();
        return new SalesforceToken(response.AccessToken, response.InstanceUrl, now, SessionLifetime is { } life ? now + life : null);
    }

    /// <summary>Lets a flow read extra fields of the token response (a rotated refresh token).</summary>
    private protected virtual void OnTokenResponse(OAuthTokenResponse response)
    {
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsHttp)
        {
            _http.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Well-known login hosts.</summary>
public static class LoginUrls
{
    /// <summary><c>https://login.salesforce.com</c>: production and developer orgs.</summary>
    public static Uri Production { get; } = new("https://login.salesforce.com/");

    /// <summary><c>https://test.salesforce.com</c>: sandboxes.</summary>
    public static Uri Sandbox { get; } = new("https://test.salesforce.com/");
}
