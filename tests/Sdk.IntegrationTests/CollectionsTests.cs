using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Composite;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>sObject Collections against the local org: splitting, concurrency, order, allOrNone, typed records updated.</summary>
public class CollectionsTests
{
    [Fact]
    public async Task Create_OneCallsAnswerLost_TheOtherCallsKept_ItsRecordsOutcomeUnknown_NoneLaterSent()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        org.Faults.Rules.Add(new FaultRule(FaultKind.DropAfterProcessing, 1) { Method = "POST", PathContains = "/composite/sobjects", MaxCount = 1 });
        var accounts = Enumerable.Range(0, 1_000).Select(i => new Account { Name = $"Lost answer {i:D4}" }).ToList();

        var ex = await Assert.ThrowsAsync<CollectionsInterruptedException>(() => client.Collections.CreateAsync(accounts, new CollectionOptions { MaxConcurrency = 2 }));

        Assert.IsType<HttpRequestException>(ex.InnerException, exactMatch: false);
        var results = ex.Results;
        Assert.Equal(1_000, results.Count);
        var unknown = Enumerable.Range(0, 1_000).Where(i => results[i].Errors is [{ ErrorCode: "OUTCOME_UNKNOWN" }]).ToList();
        Assert.Equal(200, unknown.Count); // the call whose answer was lost
        Assert.All(unknown, i => Assert.Null(accounts[i].Id));
        Assert.All(Enumerable.Range(0, 1_000).Where(i => results[i].Success), i => Assert.Equal(results[i].Id, accounts[i].Id));
        Assert.All(results, r => Assert.True(r.Success || r.Errors is [{ ErrorCode: "OUTCOME_UNKNOWN" or "NOT_PROCESSED" }])); // NOT_PROCESSED: not sent

        // The org holds the records reported successful, under their ids, and those of the lost answer (which is why they are
        // not reported as safe to send again); none of those not sent.
        var stored = (await client.Query<Account>().Where(a => a.Name!.StartsWith("Lost answer")).Select(a => new { a.Id, a.Name }).ToListAsync()).ToDictionary(a => a.Name!, a => a.Id);
        Assert.Equal(results.Count(r => r.Success) + 200, stored.Count);
        Assert.All(Enumerable.Range(0, 1_000).Where(i => results[i].Success), i => Assert.Equal(accounts[i].Id, stored[accounts[i].Name!]));
        Assert.All(unknown, i => Assert.True(stored.ContainsKey(accounts[i].Name!)));
    }

    [Fact]
    public async Task Upsert_1000Records_SplitIntoFiveCalls_ResultsInInputOrder_RecordsUpdated()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var invoices = Enumerable.Range(0, 1000).Select(i => new Invoice { External_Id = $"EXT-{i:D4}", Name = $"Invoice {i}", Amount = i }).ToList();

        var before = org.ApiRequestCount;
        var results = await client.Collections.UpsertAsync(invoices, "External_Id__c", new CollectionOptions { MaxConcurrency = 3 });
        Assert.Equal(5, org.ApiRequestCount - before);
        Assert.Equal(1000, results.Count);
        Assert.All(results, r => Assert.True(r.Success && r.Created == true));
        for (var i = 0; i < invoices.Count; i++)
        {
            Assert.Equal(results[i].Id, invoices[i].Id);
            Assert.False(invoices[i].HasChanges);
        }

        // Order proven by content: each id holds the invoice of its position.
        var stored = await client.Query<Invoice>().Select(i => new { i.Id, i.External_Id }).ToListAsync();
        var byId = stored.ToDictionary(s => s.Id!.Value, s => s.External_Id);
        Assert.Equal(1000, byId.Count);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal($"EXT-{i:D4}", byId[invoices[i].Id!.Value]));

        // The same keys again: every record updated, none created.
        foreach (var invoice in invoices)
        {
            invoice.Amount += 1000;
        }

        var again = await client.Collections.UpsertAsync(invoices, "External_Id__c");
        Assert.All(again, r => Assert.True(r.Success && r.Created == false));
        Assert.Equal(1000, await client.Query<Invoice>().CountAsync());
        Assert.Equal(1000, await client.Query<Invoice>().Where(i => i.Amount >= 1000m).CountAsync());
    }

    [Fact]
    public async Task AllOrNone_OneInvalidRecord_LeavesNothingBehind()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var contacts = Enumerable.Range(0, 10).Select(i => new Contact { LastName = $"Person {i}" }).ToList();
        contacts[6] = new Contact { FirstName = "No last name" };

        var results = await client.Collections.CreateAsync(contacts, new CollectionOptions { AllOrNone = true });
        Assert.Equal(0, await client.Query<Contact>().CountAsync());
        Assert.All(results, r => Assert.False(r.Success));
        Assert.Equal("REQUIRED_FIELD_MISSING", results[6].Errors[0].ErrorCode);
        Assert.Equal(["LastName"], results[6].Errors[0].Fields);
        Assert.All(results.Where((_, i) => i != 6), r => Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", r.Errors[0].ErrorCode));
        Assert.All(contacts, c => Assert.Null(c.Id));
        Assert.True(contacts[0].HasChanges);

        // Without allOrNone the valid ones are saved, each result at its record's position.
        var partial = await client.Collections.CreateAsync(contacts);
        Assert.Equal(9, await client.Query<Contact>().CountAsync());
        Assert.False(partial[6].Success);
        Assert.All(partial.Where((_, i) => i != 6), r => Assert.True(r.Success));
        var error = Assert.Throws<Sdk.Runtime.Errors.SalesforceException>(() => partial[6].ThrowIfFailed());
        Assert.Equal("REQUIRED_FIELD_MISSING", error.ErrorCode);
    }

    [Fact]
    public async Task AllOrNone_AcrossCalls_StopsTheCallsNotStarted_AndAccountsForEveryRecord()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var accounts = Enumerable.Range(0, 450).Select(i => new Account { Name = $"A{i}" }).ToList();
        accounts[10] = new Account { Name = new string('x', 300) };
        var results = await client.Collections.CreateAsync(accounts, new CollectionOptions { AllOrNone = true, MaxConcurrency = 1 });
        Assert.Equal(450, results.Count);
        Assert.Equal("STRING_TOO_LONG", results[10].Errors[0].ErrorCode);
        Assert.All(results.Skip(200), r => Assert.Equal("NOT_PROCESSED", r.Errors[0].ErrorCode));
        Assert.Equal(0, await client.Query<Account>().CountAsync());
    }

    [Fact]
    public async Task Update_Delete_Retrieve()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var accounts = Enumerable.Range(0, 300).Select(i => new Account { Name = $"A{i:D3}" }).ToList();
        Assert.All(await client.Collections.CreateAsync(accounts), r => Assert.True(r.Success));

        foreach (var account in accounts)
        {
            account.Phone = "555-" + account.Name;
        }

        Assert.All(await client.Collections.UpdateAsync(accounts), r => Assert.True(r.Success));
        Assert.All(accounts, a => Assert.False(a.HasChanges));

        var deleted = await client.Collections.DeleteAsync([accounts[5].Id!.Value, accounts[250].Id!.Value]);
        Assert.All(deleted, r => Assert.True(r.Success));
        var twice = await client.Collections.DeleteAsync([accounts[5].Id!.Value]);
        Assert.Equal("ENTITY_IS_DELETED", twice[0].Errors[0].ErrorCode);

        var ids = accounts.Select(a => a.Id!.Value).ToList();
        var read = await client.Collections.RetrieveAsync<Account>(ids, ["Name", "Phone"], new CollectionOptions { BatchSize = 120 });
        Assert.Equal(300, read.Count);
        Assert.Null(read[5]);
        Assert.Null(read[250]);
        Assert.Equal(("A007", "555-A007"), (read[7]!.Name, read[7]!.Phone));
        Assert.Equal(ids[299], read[299]!.Id);
    }

    [Fact]
    public async Task MistakesAreCaughtBeforeAnyRequest()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var before = org.ApiRequestCount;
        await Assert.ThrowsAsync<ArgumentException>(() => client.Collections.UpdateAsync([new Account { Name = "no id" }]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Collections.UpsertAsync([new Invoice { Name = "no key" }], "External_Id__c"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Collections.UpsertAsync([new Invoice { External_Id = "1" }, new Account { Name = "x" }], "External_Id__c"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Collections.CreateAsync([new Account()], new CollectionOptions { BatchSize = 201 }));
        Assert.Equal(before, org.ApiRequestCount);
    }
}
