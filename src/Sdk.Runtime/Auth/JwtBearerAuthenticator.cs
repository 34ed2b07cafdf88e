using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sdk.Runtime.Auth;

/// <summary>
/// The OAuth 2.0 JWT bearer flow: a connected app signs a short-lived assertion with its private key (RS256) and exchanges it
/// for an access token. No password or secret travels.
/// </summary>
public sealed class JwtBearerAuthenticator : OAuthAuthenticator
{
    private readonly string _clientId;
    private readonly string _username;
    private readonly RSA _key;
    private readonly bool _ownsKey;

    /// <summary>Creates the flow from an RSA key the caller owns (it is not disposed).</summary>
    /// <param name="clientId">The connected app's consumer key (the <c>iss</c> claim).</param>
    /// <param name="username">The user to act as (the <c>sub</c> claim).</param>
    /// <param name="privateKey">The private key matching the certificate uploaded to the connected app.</param>
    /// <param name="loginUrl">The login host; <see cref="LoginUrls.Production"/> when null.</param>
    /// <param name="httpClient">The HttpClient for login requests; one is created when null.</param>
    /// <param name="timeProvider">The clock, also used for the assertion's expiry.</param>
    public JwtBearerAuthenticator(string clientId, string username, RSA privateKey,
        Uri? loginUrl = null, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
        : this(clientId, username, privateKey, ownsKey: false, loginUrl, httpClient, timeProvider)
    {
    }

    private JwtBearerAuthenticator(string clientId, string username, RSA privateKey, bool ownsKey,
        Uri? loginUrl, HttpClient? httpClient, TimeProvider? timeProvider)
        : base(loginUrl, httpClient, timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentNullException.ThrowIfNull(privateKey);
        _clientId = clientId;
        _username = username;
        _key = privateKey;
        _ownsKey = ownsKey;
        Audience = InstanceUrl.IsSandboxHost(LoginUrl) ? "https://test.salesforce.com" : "https://login.salesforce.com";
    }

    /// <summary>Creates the flow from a PEM-encoded private key (PKCS#1 or PKCS#8). The key is owned by the authenticator.</summary>
    /// <param name="clientId">The connected app's consumer key.</param>
    /// <param name="username">The user to act as.</param>
    /// <param name="privateKeyPem">The PEM text of the private key.</param>
    /// <param name="loginUrl">The login host; <see cref="LoginUrls.Production"/> when null.</param>
    /// <param name="httpClient">The HttpClient for login requests; one is created when null.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">The PEM text holds no RSA private key.</exception>
    public static JwtBearerAuthenticator FromPem(string clientId, string username, string privateKeyPem,
        Uri? loginUrl = null, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyPem);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(privateKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new ArgumentException("The PEM text does not hold an RSA private key (expected '-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----').", nameof(privateKeyPem));
        }

        return new JwtBearerAuthenticator(clientId, username, rsa, ownsKey: true, loginUrl, httpClient, timeProvider);
    }

    /// <summary>
    /// The <c>aud</c> claim. Chosen from the login URL: <c>https://test.salesforce.com</c> for sandbox hosts,
    /// otherwise <c>https://login.salesforce.com</c>; set it for an Experience Cloud site.
    /// </summary>
    public string Audience { get; init; }

    /// <summary>How long the signed assertion is valid.</summary>
    /// <value>The default value is 3 minutes (Salesforce allows at most 3 minutes plus clock skew).</value>
    public TimeSpan AssertionLifetime { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Builds and signs the assertion (exposed for tests and diagnostics; it holds no secret but is a credential while valid).</summary>
    public string CreateAssertion()
    {
        var exp = (TimeProvider.GetUtcNow() + AssertionLifetime).ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}"u8);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", _clientId);
            writer.WriteString("sub", _username);
            writer.WriteString("aud", Audience);
            writer.WriteNumber("exp", exp);
            writer.WriteEndObject();
        }

        var payload = Base64Url.EncodeToString(buffer.WrittenSpan);
        var signingInput = Encoding.ASCII.GetBytes(header + "." + payload);
        var signature = _key.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url.EncodeToString(signature);
    }

    /// <inheritdoc/>
    protected override Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
        => RequestOAuthTokenAsync(
            [new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), new("assertion", CreateAssertion())],
            cancellationToken);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsKey)
        {
            _key.Dispose();
        }

        base.Dispose(disposing);
    }
}
