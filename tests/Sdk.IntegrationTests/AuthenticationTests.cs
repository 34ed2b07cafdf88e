using System.Net;
using System.Security.Cryptography;
using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Errors;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>Every login flow of the runtime against the local org's token and SOAP endpoints.</summary>
public class AuthenticationTests
{
    private static async Task AssertConnected(LocalOrg org, SalesforceAuthenticator authenticator)
    {
        await using var client = OrgClient.Connect(org, authenticator);
        var accounts = await client.Query<Account>().OrderBy(a => a.Name).Select(a => a.Name).ToListAsync();
        Assert.Equal(12, accounts.Count);
        Assert.Equal(accounts.Order(StringComparer.Ordinal), accounts);
        Assert.NotNull(client.LastApiUsage);
    }

    [Fact]
    public async Task Password()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1 });
        var c = org.Credentials;
        await AssertConnected(org, new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, c.Password + c.SecurityToken, org.LoginUrl));
    }

    [Fact]
    public async Task ClientCredentials()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1 });
        var c = org.Credentials;
        await AssertConnected(org, new ClientCredentialsAuthenticator(org.InstanceUrl, c.ClientId, c.ClientSecret));
    }

    [Fact]
    public async Task JwtBearer_SignatureVerifiedAgainstTheConfiguredKey()
    {
        using var key = RSA.Create(2048);
        using var publicKey = RSA.Create();
        publicKey.ImportRSAPublicKey(key.ExportRSAPublicKey(), out _);
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1, JwtPublicKey = publicKey });
        var c = org.Credentials;
        await AssertConnected(org, new JwtBearerAuthenticator(c.ClientId, c.Username, key, org.LoginUrl) { Audience = org.LoginUrl.GetLeftPart(UriPartial.Authority) });

        // A key the org does not know is refused.
        using var other = RSA.Create(2048);
        await using var client = OrgClient.Connect(org, new JwtBearerAuthenticator(c.ClientId, c.Username, other, org.LoginUrl) { Audience = org.LoginUrl.GetLeftPart(UriPartial.Authority) });
        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => client.GetLimitsAsync());
        Assert.Equal("invalid_grant", error.ErrorCode);
    }

    [Fact]
    public async Task RefreshToken()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1 });
        var c = org.Credentials;
        await AssertConnected(org, new RefreshTokenAuthenticator(c.ClientId, org.CreateRefreshToken(), c.ClientSecret, org.LoginUrl));
    }

    [Fact]
    public async Task SoapLogin()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1 });
        var c = org.Credentials;
        await AssertConnected(org, new SoapLoginAuthenticator(c.Username, c.Password, c.SecurityToken, org.LoginUrl));
    }

    [Fact]
    public async Task WrongPassword_IsATypedError_WithoutThePassword()
    {
        await using var org = await LocalOrg.StartAsync();
        var c = org.Credentials;
        await using var client = OrgClient.Connect(org, new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, "not-the-password-1234", org.LoginUrl));
        var error = await Assert.ThrowsAsync<SalesforceAuthenticationException>(() => client.GetLimitsAsync());
        Assert.Equal("invalid_grant", error.ErrorCode);
        Assert.DoesNotContain("not-the-password-1234", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredSession_MidQuery_IsRenewed_AndThePagingGoesOn()
    {
        await using var org = await LocalOrg.StartAsync();
        await org.GenerateAsync("Account", 10_000);
        var statuses = new List<HttpStatusCode>();
        await using var client = OrgClient.Connect(org);
        using var subscription = client.Events.Subscribe<Sdk.Runtime.Events.ResponseEvent>(e => { lock (statuses) { statuses.Add(e.StatusCode); } });
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pages = 0;
        await foreach (var page in client.QueryRawAsync<Account>("SELECT Id, Name FROM Account").AsPages())
        {
            if (pages++ == 1)
            {
                // Every session of the org ends between two pages (as a session timeout or a password change would).
                org.ExpireSessions();
            }

            foreach (var account in page.Records)
            {
                Assert.True(seen.Add(account.Id!.Value.ToString()), "a record was returned twice");
            }
        }

        Assert.Equal(10_000, seen.Count);
        Assert.Equal(5, pages);
        await client.FlushEventsAsync();
        // Five pages, each answered 200 in the end: the 401 of the expired session was absorbed by a new login and one repeat.
        Assert.Equal(5, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task ShortTokenLifetime_IsRenewedBeforeItRunsOut()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 1, TokenLifetime = TimeSpan.FromMilliseconds(300) });
        await using var client = OrgClient.Connect(org);
        Assert.Equal(12, await client.Query<Account>().CountAsync());
        await Task.Delay(400);
        // The old token is dead on the server; the client gets a 401, logs in again and repeats the request once.
        Assert.Equal(12, await client.Query<Account>().CountAsync());
    }
}
