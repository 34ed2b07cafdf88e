using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Errors;

namespace Sdk.Runtime.Tests.Auth;

public class OAuthFlowTests
{
    private const string TokenJson = """{"access_token":"00D!ACCESS","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1700000000000","signature":"sig"}""";

    [Fact]
    public async Task Password_PostsGrantAndReadsInstance()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://login.salesforce.com/services/oauth2/token")
            .WithFormData([new("grant_type", "password"), new("client_id", "cid"), new("client_secret", "csecret"), new("username", "u@x.com"), new("password", "pwTOKEN")])
            .Respond("application/json", TokenJson);
        using var auth = new PasswordAuthenticator("cid", "csecret", "u@x.com", "pwTOKEN", httpClient: mock.ToHttpClient());
        var token = await auth.GetTokenAsync();
        Assert.Equal("00D!ACCESS", token.AccessToken);
        Assert.Equal(new Uri("https://acme.my.salesforce.com/"), token.InstanceUrl);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Password_InvalidGrant_AuthenticationExceptionWithoutSecrets()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.BadRequest, "application/json", """{"error":"invalid_grant","error_description":"authentication failure"}""");
        using var auth = new PasswordAuthenticator("cid", "csecret", "u@x.com", "pwTOKEN", httpClient: mock.ToHttpClient());
        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        Assert.Equal("invalid_grant", ex.ErrorCode);
        Assert.Contains("authentication failure", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pwTOKEN", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("csecret", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_HtmlAnswer_ClearError()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.BadGateway, "text/html", "<html><title>Bad Gateway</title></html>");
        using var auth = new ClientCredentialsAuthenticator(new Uri("https://acme.my.salesforce.com"), "cid", "secret", mock.ToHttpClient());
        var ex = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => auth.GetTokenAsync().AsTask());
        Assert.Contains("not JSON", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
    }

    [Fact]
    public async Task ClientCredentials_PostsToMyDomain()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://acme.my.salesforce.com/services/oauth2/token")
            .WithFormData([new("grant_type", "client_credentials"), new("client_id", "cid"), new("client_secret", "secret")])
            .Respond("application/json", TokenJson);
        using var auth = new ClientCredentialsAuthenticator(new Uri("https://acme.my.salesforce.com/whatever"), "cid", "secret", mock.ToHttpClient());
        Assert.Equal("00D!ACCESS", (await auth.GetTokenAsync()).AccessToken);
        mock.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData("https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com")]
    public void ClientCredentials_GenericLoginHost_Rejected(string url)
        => Assert.Contains("My Domain", Assert.Throws<ArgumentException>(() => new ClientCredentialsAuthenticator(new Uri(url), "c", "s")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task RefreshToken_Rotation_CallbackGetsNewTokenAndNextRequestUsesIt()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, "https://login.salesforce.com/services/oauth2/token")
            .WithFormData([new("grant_type", "refresh_token"), new("client_id", "cid"), new("refresh_token", "rt-1")])
            .Respond("application/json", """{"access_token":"a1","instance_url":"https://acme.my.salesforce.com","refresh_token":"rt-2"}""");
        mock.Expect(HttpMethod.Post, "https://login.salesforce.com/services/oauth2/token")
            .WithFormData([new("grant_type", "refresh_token"), new("refresh_token", "rt-2")])
            .Respond("application/json", """{"access_token":"a2","instance_url":"https://acme.my.salesforce.com"}""");
        var rotated = new List<string>();
        using var auth = new RefreshTokenAuthenticator("cid", "rt-1", httpClient: mock.ToHttpClient())
        {
            RefreshTokenRotated = (t, _) =>
            {
                rotated.Add(t);
                return ValueTask.CompletedTask;
            },
        };
        var first = await auth.GetTokenAsync();
        var second = await auth.RefreshAsync(first);
        Assert.Equal("a2", second.AccessToken);
        Assert.Equal(["rt-2"], rotated);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task JwtBearer_AssertionSignedRs256_VerifiesWithPublicKey()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        string? assertion = null;
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, "https://login.salesforce.com/services/oauth2/token")
            .With(r =>
            {
                var form = r.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
                var pairs = form.Split('&').Select(p => p.Split('=')).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));
                assertion = pairs["assertion"];
                return pairs["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer";
            })
            .Respond("application/json", TokenJson);
        var clock = new TestSupport.ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        using var auth = JwtBearerAuthenticator.FromPem("consumer-key", "user@acme.com", pem, httpClient: mock.ToHttpClient(), timeProvider: clock);
        Assert.Equal("00D!ACCESS", (await auth.GetTokenAsync()).AccessToken);

        var parts = assertion!.Split('.');
        Assert.Equal(3, parts.Length);
        using var publicKey = RSA.Create();
        publicKey.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
        var valid = publicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(valid);
        using var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal("consumer-key", claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal("user@acme.com", claims.RootElement.GetProperty("sub").GetString());
        Assert.Equal("https://login.salesforce.com", claims.RootElement.GetProperty("aud").GetString());
        Assert.Equal(1_700_000_000 + 180, claims.RootElement.GetProperty("exp").GetInt64());

        // A signature made with another key does not verify.
        using var other = RSA.Create(2048);
        Assert.False(other.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Theory]
    [InlineData("https://test.salesforce.com", "https://test.salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com", "https://test.salesforce.com")]
    [InlineData("https://acme.my.salesforce.com", "https://login.salesforce.com")]
    [InlineData("https://login.salesforce.com", "https://login.salesforce.com")]
    public void JwtBearer_AudienceFromLoginUrl(string loginUrl, string audience)
    {
        using var rsa = RSA.Create(2048);
        using var auth = new JwtBearerAuthenticator("c", "u", rsa, new Uri(loginUrl));
        Assert.Equal(audience, auth.Audience);
    }

    [Fact]
    public void JwtBearer_AudienceOverridable_AndBadPemRejected()
    {
        using var rsa = RSA.Create(2048);
        using var auth = new JwtBearerAuthenticator("c", "u", rsa) { Audience = "https://acme.my.site.com" };
        using var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(auth.CreateAssertion().Split('.')[1]));
        Assert.Equal("https://acme.my.site.com", claims.RootElement.GetProperty("aud").GetString());
        var ex = Assert.Throws<ArgumentException>(() => JwtBearerAuthenticator.FromPem("c", "u", "-----BEGIN NOTHING-----"));
        Assert.Contains("RSA private key", ex.Message, StringComparison.Ordinal);
    }
}
