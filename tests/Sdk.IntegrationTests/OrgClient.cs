using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Http;
using Task = System.Threading.Tasks.Task;

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

    /// <summary>Contacts setting different fields: the first <paramref name="phonesFirst"/> a phone, then a phone and an email in turn.</summary>
    public static List<Contact> PhoneOrEmailContacts(int count, int phonesFirst = 0) => Enumerable.Range(0, count)
        .Select(i => i < phonesFirst || i % 2 == 0 ? new Contact { LastName = "W" + i, Phone = "555-" + i } : new Contact { LastName = "W" + i, Email = $"w{i}@example.org" })
        .ToList();

    /// <summary>Asserts that each successful row's contact is stored under its id with the name, phone and email sent.</summary>
    public static async Task AssertStoredAsSentAsync(SalesforceClient client, IReadOnlyList<Contact> sent, IEnumerable<Sdk.Runtime.Bulk.BulkRecordResult<Contact>> successful)
    {
        var stored = await ContactsByIdAsync(client);
        Assert.All(successful, s =>
        {
            var (put, got) = (sent[s.Index], stored[s.Id!.Value.Value]);
            Assert.Equal((put.LastName, put.Phone, put.Email), (got.LastName, got.Phone, got.Email));
        });
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
