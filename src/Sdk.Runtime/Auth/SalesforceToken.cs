namespace Sdk.Runtime.Auth;

/// <summary>
/// An access token and what is known about it. <see cref="ToString"/> never shows the token.
/// </summary>
public sealed class SalesforceToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="accessToken">The bearer token (session id).</param>
    /// <param name="instanceUrl">The org's instance URL the token is valid for, when the login response gave one.</param>
    /// <param name="issuedAt">When the token was issued.</param>
    /// <param name="expiresAt">When the token expires, when known.</param>
    public SalesforceToken(string accessToken, Uri? instanceUrl, DateTimeOffset issuedAt, DateTimeOffset? expiresAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        AccessToken = accessToken;
        InstanceUrl = instanceUrl is null ? null : Sdk.Runtime.InstanceUrl.Normalize(instanceUrl, nameof(instanceUrl));
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The bearer token. Treat it as a secret: never log it.</summary>
    public string AccessToken { get; }

    /// <summary>The Authorization header value, <c>Bearer &lt;token&gt;</c>, built once.</summary>
    internal string BearerHeaderValue => _bearer ??= "Bearer " + AccessToken;

    private string? _bearer;

    /// <summary>The org's instance URL (scheme, host and port), when the login response gave one.</summary>
    public Uri? InstanceUrl { get; }

    /// <summary>When the token was issued.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the token expires, when known (SOAP login, or a configured session lifetime).</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>A description without the token.</summary>
    public override string ToString()
        => $"SalesforceToken(instance: {InstanceUrl?.ToString() ?? "unknown"}, issued: {IssuedAt:O}, expires: {(ExpiresAt is { } e ? e.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "unknown")})";
}
