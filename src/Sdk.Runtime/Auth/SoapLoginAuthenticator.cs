using System.Globalization;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Auth;

/// <summary>
/// The SOAP <c>login()</c> call (<c>/services/Soap/u/{version}</c>) with a user name and password plus security token.
/// The session lifetime comes from the response's <c>sessionSecondsValid</c>, so the token is renewed before it expires.
/// </summary>
public sealed class SoapLoginAuthenticator : OAuthAuthenticator
{
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";
    private static readonly XNamespace Fault = "urn:fault.partner.soap.sforce.com";

    private readonly string _username;
    private readonly string _password;

    /// <summary>Creates the flow.</summary>
    /// <param name="username">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="securityToken">The user's security token, appended to the password; null when the org trusts the caller's IP range.</param>
    /// <param name="loginUrl">The login host; <see cref="LoginUrls.Production"/> when null.</param>
    /// <param name="httpClient">The HttpClient for login requests; one is created when null.</param>
    /// <param name="timeProvider">The clock.</param>
    public SoapLoginAuthenticator(string username, string password, string? securityToken = null,
        Uri? loginUrl = null, HttpClient? httpClient = null, TimeProvider? timeProvider = null)
        : base(loginUrl, httpClient, timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        _username = username;
        _password = password + securityToken;
    }

    /// <summary>The API version in the SOAP endpoint path.</summary>
    /// <value>The default value is <see cref="ApiVersion.Default"/>.</value>
    public ApiVersion ApiVersion { get; init; } = ApiVersion.Default;

    /// <inheritdoc/>
    protected override async Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var envelope =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<env:Envelope xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<env:Body><n1:login xmlns:n1=\"urn:partner.soap.sforce.com\">"
            + "<n1:username>" + SecurityElement.Escape(_username) + "</n1:username>"
            + "<n1:password>" + SecurityElement.Escape(_password) + "</n1:password>"
            + "</n1:login></env:Body></env:Envelope>";
        var path = new Uri(LoginUrl, "services/Soap/u/" + ApiVersion.ToString());
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(envelope, Encoding.UTF8, new MediaTypeHeaderValue("text/xml") { CharSet = "UTF-8" }),
        };
        request.Headers.TryAddWithoutValidation("SOAPAction", "login");

        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        XDocument doc;
        try
        {
            doc = XDocument.Parse(body);
        }
        catch (XmlException ex)
        {
            throw new SalesforceAuthenticationException(
                $"SOAP login at {LoginUrl.Host} answered {(int)response.StatusCode} with a body that is not XML.", "INVALID_RESPONSE", ex);
        }

        var fault = doc.Descendants(Soap + "Fault").FirstOrDefault();
        if (fault is not null)
        {
            var code = (string?)fault.Element("faultcode") ?? "UNKNOWN";
            var colon = code.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                code = code[(colon + 1)..];
            }

            var exceptionCode = fault.Descendants(Fault + "exceptionCode").FirstOrDefault()?.Value;
            var message = fault.Descendants(Fault + "exceptionMessage").FirstOrDefault()?.Value ?? (string?)fault.Element("faultstring") ?? "SOAP fault";
            throw new SalesforceAuthenticationException($"SOAP login failed: {message}", exceptionCode ?? code);
        }

        var result = doc.Descendants(Partner + "loginResponse").Elements(Partner + "result").FirstOrDefault()
            ?? throw new SalesforceAuthenticationException($"SOAP login at {LoginUrl.Host} answered {(int)response.StatusCode} without a loginResponse.", "INVALID_RESPONSE");
        var sessionId = result.Element(Partner + "sessionId")?.Value;
        var serverUrl = result.Element(Partner + "serverUrl")?.Value;
        if (string.IsNullOrEmpty(sessionId) || !Uri.TryCreate(serverUrl, UriKind.Absolute, out var server))
        {
            throw new SalesforceAuthenticationException("SOAP login response lacks sessionId or serverUrl.", "INVALID_RESPONSE");
        }

        var secondsText = result.Element(Partner + "userInfo")?.Element(Partner + "sessionSecondsValid")?.Value;
        var now = TimeProvider.GetUtcNow();
        DateTimeOffset? expires = int.TryParse(secondsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? now.AddSeconds(seconds)
            : SessionLifetime is { } life ? now + life : null;
        return new SalesforceToken(sessionId, new Uri(server.GetLeftPart(UriPartial.Authority)), now, expires);
    }
}
