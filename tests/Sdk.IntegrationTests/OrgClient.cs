using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
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

    /// <summary>Every contact the org holds, by id, read back with a bulk query (which fails on an id seen twice).</summary>
    public static async Task<Dictionary<string, Contact>> ContactsByIdAsync(SalesforceClient client)
    {
        var stored = new Dictionary<string, Contact>();
        await foreach (var contact in client.Query<Contact>().AsBulk(new Sdk.Runtime.Bulk.BulkQueryOptions { PollInterval = TimeSpan.FromMilliseconds(20) }))
        {
            stored.Add(contact.Id!.Value.Value, contact);
        }

        return stored;
    }
}
