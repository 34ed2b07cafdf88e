namespace Sdk.Runtime.Auth;

/// <summary>
/// A fixed access token, for example one taken from an existing session. It cannot be refreshed: when the server rejects it,
/// the call fails with <see cref="Errors.SessionExpiredException"/>.
/// </summary>
public sealed class AccessTokenAuthenticator : SalesforceAuthenticator
{
    private readonly SalesforceToken _token;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="accessToken">The access token (session id).</param>
    /// <param name="instanceUrl">The org's instance URL.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public AccessTokenAuthenticator(string accessToken, Uri instanceUrl, TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        ArgumentNullException.ThrowIfNull(instanceUrl);
        _token = new SalesforceToken(accessToken, instanceUrl, TimeProvider.GetUtcNow());
    }

    /// <inheritdoc/>
    public override bool CanRefresh => false;

    /// <inheritdoc/>
    protected override Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken) => Task.FromResult(_token);
}
