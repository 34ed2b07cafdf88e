namespace Sdk.Runtime.Auth;

/// <summary>
/// The OAuth 2.0 username-password flow (<c>grant_type=password</c>) of a connected app.
/// </summary>
/// <remarks>Salesforce is retiring this flow for new connected apps; prefer <see cref="JwtBearerAuthenticator"/> or
/// <see cref="ClientCredentialsAuthenticator"/> for server-to-server use.</remarks>
public sealed class PasswordAuthenticator : OAuthAuthenticator
{
    private readonly string _clientId;
    private readonly string? _clientSecret;
    private readonly string _username;
    private readonly string _password;

    /// <summary>Creates the flow.</summary>
    /// <param name="clientId">The connected app's consumer key.</param>
    /// <param name="clientSecret">The connected app's consumer secret, when the app requires it.</param>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password, followed by the security token when the org requires one.</param>
    /// <param name="loginUrl">The login host; <see cref="LoginUrls.Production"/> when null.</param>
    /// <param name="httpClient">The HttpClient for login requests; one is created when null.</param>
    /// <param name="timeProvider">The clock.</param>
    public PasswordAuthenticator(string clientId, string? clientSecret, string username, string password,
        Uri? loginUrl = null, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
        : base(loginUrl, httpClient, timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        _clientId = clientId;
        _clientSecret = clientSecret;
        _username = username;
        _password = password;
    }

    /// <inheritdoc/>
    protected override Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "password"),
            new("client_id", _clientId),
            new("username", _username),
            new("password", _password),
        };
        if (!string.IsNullOrEmpty(_clientSecret))
        {
            form.Add(new("client_secret", _clientSecret));
        }

        return RequestOAuthTokenAsync(form, cancellationToken);
    }
}
