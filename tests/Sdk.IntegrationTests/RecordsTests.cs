using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Soql;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>Typed CRUD and LINQ from the generated types, end to end against the local org.</summary>
public class RecordsTests
{
    [Fact]
    public async Task Crud_WithChangeTracking()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);

        var account = new Account { Name = "Acme", Industry = AccountIndustry.Banking, AnnualRevenue = 1_500_000m };
        var id = await client.SObjects.CreateAsync(account);
        Assert.Equal(id, account.Id);
        Assert.StartsWith("001", id.ToString(), StringComparison.Ordinal);
        Assert.Equal(18, id.ToString().Length);
        Assert.False(account.HasChanges);

        var loaded = await client.SObjects.GetAsync<Account>(id);
        Assert.Equal(("Acme", AccountIndustry.Banking, 1_500_000m), (loaded.Name, loaded.Industry, loaded.AnnualRevenue));
        Assert.Equal(org.UserId, loaded.OwnerId?.ToString());
        Assert.NotNull(loaded.CreatedDate);

        loaded.Phone = "+1 555 0100";
        await client.SObjects.UpdateAsync(loaded);
        Assert.False(loaded.HasChanges);
        Assert.Equal("+1 555 0100", (await client.SObjects.GetAsync<Account>(id, ["Phone"])).Phone);

        var contact = new Contact { LastName = "Lovelace", FirstName = "Ada", AccountId = id };
        await client.SObjects.CreateAsync(contact);
        await client.SObjects.DeleteAsync(contact);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => client.SObjects.GetAsync<Contact>(contact.Id!.Value));
        Assert.Equal(0, await client.Query<Contact>().CountAsync());
        Assert.Equal(1, await client.Query<Contact>().IncludeDeleted().Where(c => c.IsDeleted == true).CountAsync());
    }

    [Fact]
    public async Task Upsert_ByExternalId_CreatesThenUpdates_AndValidationErrorsAreTyped()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var first = await client.SObjects.UpsertAsync(new Invoice { External_Id = "INV-1", Name = "One", Amount = 10 }, "External_Id__c");
        var second = await client.SObjects.UpsertAsync(new Invoice { External_Id = "INV-1", Name = "One, again", Amount = 11 }, "External_Id__c");
        Assert.True(first.Created);
        Assert.False(second.Created);
        var invoice = await client.Query<Invoice>().Where(i => i.External_Id == "INV-1").SingleAsync();
        Assert.Equal(("One, again", 11m), (invoice.Name, invoice.Amount));

        var error = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.CreateAsync(new Contact { FirstName = "No last name" }));
        Assert.Equal("REQUIRED_FIELD_MISSING", error.ErrorCode);
        Assert.Equal(["LastName"], error.Fields);
        Assert.Contains("/sobjects/Contact", error.RequestPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Linq_ParentPaths_ChildSubqueries_Aggregates()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = 4 });
        await using var client = OrgClient.Connect(org);

        var rows = await client.Query<Account>()
            .Where(a => a.Contacts!.Any())
            .OrderBy(a => a.Name)
            .Select(a => new { a.Name, Owner = a.Owner!.Name, People = a.Contacts!.OrderBy(c => c.LastName).Select(c => c.LastName).ToList() })
            .ToListAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.NotEmpty(r.People));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.Owner)));
        Assert.Equal(rows.Select(r => r.Name).Order(StringComparer.OrdinalIgnoreCase), rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal(r.People.Order(StringComparer.OrdinalIgnoreCase), r.People));

        // The same facts through a second route: the children's own query.
        var contactsOfRows = await client.Query<Contact>().Where(c => c.AccountId != null).CountAsync();
        Assert.Equal(contactsOfRows, rows.Sum(r => r.People.Count));

        var recent = await client.Query<Opportunity>()
            .Where(o => o.Account!.Name!.StartsWith("A") || o.CloseDate > SoqlDate.LastNYears(50))
            .CountAsync();
        Assert.Equal(await client.Query<Opportunity>().CountAsync(), recent);
    }

    [Fact]
    public async Task Paging_TenThousandRecords_InFivePages_OrAllAtTheChosenBatchSize()
    {
        await using var org = await LocalOrg.StartAsync();
        await org.GenerateAsync("Account", 10_000);
        await using var client = OrgClient.Connect(org);

        var before = org.ApiRequestCount;
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var account in client.Query<Account>().SelectFields(a => new { a.Name }))
        {
            names.Add(account.Id!.Value.ToString());
        }

        Assert.Equal(10_000, names.Count);
        Assert.Equal(5, org.ApiRequestCount - before);

        before = org.ApiRequestCount;
        Assert.Equal(10_000, (await client.Query<Account>().WithBatchSize(500).Select(a => a.Name).ToListAsync()).Count);
        Assert.Equal(20, org.ApiRequestCount - before);

        var pages = 0;
        await foreach (var page in client.QueryRawAsync<Account>("SELECT Id FROM Account", new Sdk.Runtime.Query.QueryOptions { BatchSize = 2000 }).AsPages())
        {
            Assert.Equal((10_000, 2_000), (page.TotalSize, page.Records.Count));
            Assert.Equal(pages++ < 4, page.NextRecordsUrl is not null);
        }

        Assert.Equal(5, pages);
    }
}
