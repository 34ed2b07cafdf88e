using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Http;

namespace Sdk.IntegrationTests;

/// <summary>A running local org and SDK clients connected to it over real HTTP on loopback.</summary>
public static class OrgClient
{
    /// <summary>A client that logs in with the OAuth password grant, as an application would.</summary>
    public static SalesforceClient Connect(LocalOrg org, SalesforceAuthenticator? authenticator = null, Action<SalesforceClientOptions>? configure = null)
    {
        var credentials = org.Credentials;
        var retry = RetryPolicy.CreateDefault();
        retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        var options = new SalesforceClientOptions
        {
            Authenticator = authenticator ?? new PasswordAuthenticator(credentials.ClientId, credentials.ClientSecret, credentials.Username, credentials.Password, org.LoginUrl),
            RetryPolicy = retry,
        };
        configure?.Invoke(options);
        return new SalesforceClient(options);
    }
}
