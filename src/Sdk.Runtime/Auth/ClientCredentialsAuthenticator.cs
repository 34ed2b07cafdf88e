namespace Sdk.Runtime.Auth;

/// <summary>
/// The OAuth 2.0 client credentials flow (<c>grant_type=client_credentials</c>): the connected app runs as its configured
/// integration user. Salesforce serves this flow only on the org's My Domain URL.
/// </summary>
public sealed class ClientCredentialsAuthenticator : OAuthAuthenticator
{
    private readonly string _clientId;
    private readonly string _clientSecret;

    /// <summary>Creates the flow.</summary>
    /// <param name="myDomainUrl">The org's My Domain URL, for example <c>https://acme.my.salesforce.com</c>.</param>
    /// <param name="clientId">The connected app's consumer key.</param>
    /// <param name="clientSecret">The connected app's consumer secret.</param>
    /// <param name="httpClient">The HttpClient for login requests; one is created when null.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">The URL is login.salesforce.com or test.salesforce.com, which do not serve this flow.</exception>
    public ClientCredentialsAuthenticator(Uri myDomainUrl, string clientId, string clientSecret,
        HttpClient? httpClient = null, TimeProvider? timeProvider = null)
        : base(RequireMyDomain(myDomainUrl), httpClient, timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        _clientId = clientId;
        _clientSecret = clientSecret;
    }

    private static Uri RequireMyDomain(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.Host;
        if (host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase) || host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The client credentials flow is served only on the org's My Domain URL (https://<domain>.my.salesforce.com), not on {host}.", nameof(url));
        }

        return url;
    }

    /// <inheritdoc/>
    protected override Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
        => RequestOAuthTokenAsync(
            [new("grant_type", "client_credentials"), new("client_id", _clientId), new("client_secret", _clientSecret)],
            cancellationToken);
}
