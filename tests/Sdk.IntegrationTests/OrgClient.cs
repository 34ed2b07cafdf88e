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

    /// <summary>
    /// Three managers, created, and <paramref name="count"/> contacts naming theirs in turn by its id (<c>ReportsToId</c>)
    /// and by its email (<c>ReportsTo.Email</c>, an external id), every tenth with a phone.
    /// </summary>
    public static async Task<(List<Contact> Managers, List<Contact> Contacts)> ContactsNamingTheirManagerInTurnAsync(SalesforceClient client, int count)
    {
        var managers = Enumerable.Range(0, 3).Select(m => new Contact { LastName = "Manager " + m, Email = $"m{m}@example.org" }).ToList();
        await client.Collections.CreateAsync(managers);
        var contacts = Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? new Contact { LastName = "C" + i, ReportsToId = managers[i % 3].Id }
            : new Contact { LastName = "C" + i, Phone = i % 5 == 0 ? "555-" + i : null, ReportsTo = new Contact { Email = managers[i % 3].Email } }).ToList();
        return (managers, contacts);
    }

    /// <summary>Asserts that each successful row's contact (of <see cref="ContactsNamingTheirManagerInTurnAsync"/>) is stored with its name, phone and manager.</summary>
    public static async Task AssertStoredWithTheirManagerAsync(SalesforceClient client, List<Contact> managers, List<Contact> sent, IEnumerable<Sdk.Runtime.Bulk.BulkRecordResult<Contact>> successful)
    {
        var stored = await ContactsByIdAsync(client);
        Assert.All(successful, s =>
        {
            var got = stored[s.Id!.Value.Value];
            Assert.Equal(("C" + s.Index, sent[s.Index].Phone, managers[s.Index % 3].Id), (got.LastName, got.Phone, got.ReportsToId));
        });
    }

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
