using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sdk.Emulator.Tests.TestSupport;
using Sdk.Runtime.Auth;

namespace Sdk.Emulator.Tests.Auth;

/// <summary>The token endpoint's grants, SOAP login, and how the data API treats tokens.</summary>
public sealed class LoginTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private readonly RSA _key = RSA.Create(2048);
    private LocalOrg _org = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        _org = await LocalOrg.StartAsync(new LocalOrgOptions { TimeProvider = _clock, JwtPublicKey = publicKey, TokenLifetime = TimeSpan.FromMinutes(30) });
        _http = new HttpClient { BaseAddress = _org.InstanceUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _key.Dispose();
        await _org.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> TokenAsync(params (string, string)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
        using var response = await _http.PostAsync("/services/oauth2/token", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private async Task<HttpStatusCode> CallAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v66.0/limits");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    private (string, string) ClientId => ("client_id", _org.Credentials.ClientId);

    private (string, string) ClientSecret => ("client_secret", _org.Credentials.ClientSecret);

    [Fact]
    public async Task PasswordGrant_GivesATokenThatWorks()
    {
        var (status, json) = await TokenAsync(("grant_type", "password"), ClientId, ClientSecret, ("username", "ADMIN@local.org"), ("password", _org.Credentials.Password + _org.Credentials.SecurityToken));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["access_token", "instance_url", "id", "token_type", "issued_at", "signature"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(_org.InstanceUrl.GetLeftPart(UriPartial.Authority), json.GetProperty("instance_url").GetString());
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(HttpStatusCode.OK, await CallAsync(json.GetProperty("access_token").GetString()!));
    }

    [Theory]
    [InlineData("wrong-secret", "local-password", "invalid_client_id", "client identifier invalid")]
    [InlineData("local-client-secret", "wrong", "invalid_grant", "authentication failure")]
    public async Task PasswordGrant_RejectsBadCredentials(string secret, string password, string error, string description)
    {
        var (status, json) = await TokenAsync(("grant_type", "password"), ClientId, ("client_secret", secret), ("username", "admin@local.org"), ("password", password));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((error, description), (json.GetProperty("error").GetString(), json.GetProperty("error_description").GetString()));
    }

    [Fact]
    public async Task ClientCredentials_Grant()
    {
        var (status, json) = await TokenAsync(("grant_type", "client_credentials"), ClientId, ClientSecret);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(json.GetProperty("access_token").GetString()!));
        var (bad, error) = await TokenAsync(("grant_type", "client_credentials"), ClientId, ("client_secret", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad);
        Assert.Equal("invalid_client", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task JwtBearer_VerifiesTheSignatureAndClaims()
    {
        using var auth = new JwtBearerAuthenticator(_org.Credentials.ClientId, _org.Credentials.Username, _key, _org.LoginUrl, timeProvider: _clock);
        var (status, json) = await TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", auth.CreateAssertion()));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(json.GetProperty("access_token").GetString()!));

        using var otherKey = RSA.Create(2048);
        using var forged = new JwtBearerAuthenticator(_org.Credentials.ClientId, _org.Credentials.Username, otherKey, _org.LoginUrl, timeProvider: _clock);
        var (badStatus, bad) = await TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", forged.CreateAssertion()));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("signature", bad.GetProperty("error_description").GetString());

        using var stranger = new JwtBearerAuthenticator(_org.Credentials.ClientId, "someone@else.org", _key, _org.LoginUrl, timeProvider: _clock);
        Assert.Equal("user hasn't approved this consumer",
            (await TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", stranger.CreateAssertion()))).Json.GetProperty("error_description").GetString());

        var expired = auth.CreateAssertion();
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("expired authorization code",
            (await TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", expired))).Json.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task RefreshToken_Grant()
    {
        var refresh = _org.CreateRefreshToken();
        var (status, json) = await TokenAsync(("grant_type", "refresh_token"), ClientId, ClientSecret, ("refresh_token", refresh));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(json.GetProperty("access_token").GetString()!));
        var (badStatus, bad) = await TokenAsync(("grant_type", "refresh_token"), ClientId, ("refresh_token", "5Aep-not-issued"));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("invalid_grant", bad.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UnknownGrant_IsRefused()
        => Assert.Equal("unsupported_grant_type", (await TokenAsync(("grant_type", "magic"))).Json.GetProperty("error").GetString());

    [Fact]
    public async Task Tokens_ExpireAfterTheirLifetime_WithInvalidSessionId()
    {
        var token = _org.CreateAccessToken();
        Assert.Equal(HttpStatusCode.OK, await CallAsync(token));
        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(token));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v66.0/sobjects/");
        request.Headers.Authorization = new("Bearer", "not-a-token");
        using var response = await _http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("INVALID_SESSION_ID", body[0].GetProperty("errorCode").GetString());
        Assert.Equal("Session expired or invalid", body[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task ExpireSessions_EndsCurrentTokens()
    {
        var token = _org.CreateAccessToken();
        _org.ExpireSessions();
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(token));
    }

    [Fact]
    public async Task SoapLogin_ReturnsSessionAndServerUrl_OrAFault()
    {
        static string Envelope(string user, string password) =>
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Body>"
            + $"<n1:login xmlns:n1=\"urn:partner.soap.sforce.com\"><n1:username>{user}</n1:username><n1:password>{password}</n1:password></n1:login></env:Body></env:Envelope>";

        using var ok = await _http.PostAsync("/services/Soap/u/66.0", new StringContent(Envelope("admin@local.org", "local-passwordLOCALTOKEN"), Encoding.UTF8, "text/xml"));
        var xml = System.Xml.Linq.XDocument.Parse(await ok.Content.ReadAsStringAsync());
        System.Xml.Linq.XNamespace partner = "urn:partner.soap.sforce.com";
        var result = xml.Descendants(partner + "result").Single();
        var session = result.Element(partner + "sessionId")!.Value;
        Assert.StartsWith(_org.InstanceUrl.GetLeftPart(UriPartial.Authority) + "/services/Soap/u/66.0/", result.Element(partner + "serverUrl")!.Value);
        Assert.Equal("1800", result.Element(partner + "userInfo")!.Element(partner + "sessionSecondsValid")!.Value);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(session));

        using var fault = await _http.PostAsync("/services/Soap/u/66.0", new StringContent(Envelope("admin@local.org", "wrong"), Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.InternalServerError, fault.StatusCode);
        Assert.Contains("<sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode>", await fault.Content.ReadAsStringAsync());
    }
}
