using Sdk.Runtime.Auth.Internal;

namespace Sdk.Runtime.Auth;

/// <summary>
/// The OAuth 2.0 refresh token flow (<c>grant_type=refresh_token</c>). When the org rotates the refresh token, the new one
/// is used from then on and handed to <see cref="RefreshTokenRotated"/> so the caller can store it.
/// </summary>
public sealed class RefreshTokenAuthenticator : OAuthAuthenticator
{
    private readonly string _clientId;
    private readonly string? _clientSecret;
    private string _refreshToken;

    /// <summary>Creates the flow.</summary>
    /// <param name="clientId">The connected app's consumer key.</param>
    /// <param name="refreshToken">The refresh token.</param>
    /// <param name="clientSecret">The consumer secret, when the app requires it.</param>
    /// <param name="loginUrl">The login host; <see cref="LoginUrls.Production"/> when null.</param>
    /// <param name="httpClient">The HttpClient for login requests; one is created when null.</param>
    /// <param name="timeProvider">The clock.</param>
    public RefreshTokenAuthenticator(string clientId, string refreshToken, string? clientSecret = null,
        Uri? loginUrl = null, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
        : base(loginUrl, httpClient, timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        _clientId = clientId;
        _clientSecret = clientSecret;
        _refreshToken = refreshToken;
    }

    /// <summary>
    /// Called with the new refresh token when the org rotates it. The callback runs before the new access token is used;
    /// an exception from it fails the token request.
    /// </summary>
    /// <value>The default value is null.</value>
    public Func<string, CancellationToken, ValueTask>? RefreshTokenRotated { get; init; }

    /// <inheritdoc/>
    protected override async Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("client_id", _clientId),
            new("refresh_token", Volatile.Read(ref _refreshToken)),
        };
        if (!string.IsNullOrEmpty(_clientSecret))
        {
            form.Add(new("client_secret", _clientSecret));
        }

        _rotated = null;
        var token = await RequestOAuthTokenAsync(form, cancellationToken).ConfigureAwait(false);
        if (_rotated is { } rotated && RefreshTokenRotated is { } callback)
        {
            await callback(rotated, cancellationToken).ConfigureAwait(false);
        }

        return token;
    }

    private string? _rotated;

    private protected override void OnTokenResponse(OAuthTokenResponse response)
    {
        if (!string.IsNullOrEmpty(response.RefreshToken) && !string.Equals(response.RefreshToken, _refreshToken, StringComparison.Ordinal))
        {
            Volatile.Write(ref _refreshToken, response.RefreshToken);
            _rotated = response.RefreshToken;
        }
    }
}
