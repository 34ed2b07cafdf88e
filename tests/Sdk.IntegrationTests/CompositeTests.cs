using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Composite;
using Sdk.Runtime.Errors;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>Composite batch, composite with references, graph and tree against the local org, checked by querying the org.</summary>
public class CompositeTests
{
    [Fact]
    public async Task Composite_CreatesAccountContactsAndOpportunity_ThroughReferences()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var account = new Account { Name = "Acme" };
        var ada = new Contact { LastName = "Lovelace" };
        var alan = new Contact { LastName = "Turing" };
        CompositeResult<Account> created;
        CompositeResult<Contact> first, second;
        CompositeResult<Opportunity> deal;
        CompositeResult<Contact> contacts;
        CompositeResult<Contact> reread;
        var before = org.ApiRequestCount;
        await using (var composite = client.Composite.Request(allOrNone: true))
        {
            created = composite.SObjects.Create(account);
            ada.AccountId = created.Ref.Id;
            alan.AccountId = created.Ref.Id;
            first = composite.SObjects.Create(ada);
            second = composite.SObjects.Create(alan);
            deal = composite.SObjects.Create(new Opportunity { Name = "Big deal", StageName = OpportunityStageName.Prospecting, CloseDate = new DateOnly(2026, 12, 31), AccountId = created.Ref.Id });
            contacts = composite.Query<Contact>($"SELECT Id, LastName FROM Contact WHERE AccountId = '{created.Ref.Id}' ORDER BY LastName");
            reread = composite.SObjects.Get<Contact>(contacts.Ref.Records[1].Id, ["LastName", "AccountId"]);
            Assert.Equal("@{refAccount.id}", created.Ref.Id.Value);
            Assert.Equal("@{refQuery.records[1].Id}", contacts.Ref.Records[1].Id.Value);
        }

        Assert.Equal(1, org.ApiRequestCount - before);
        Assert.True(created.IsSuccess && first.IsSuccess && second.IsSuccess && deal.IsSuccess && contacts.IsSuccess && reread.IsSuccess);
        Assert.Equal(201, created.StatusCode);
        Assert.Equal(account.Id, created.Id);
        Assert.False(account.HasChanges);
        Assert.EndsWith("/sobjects/Account/" + account.Id!.Value.Value, created.Headers["Location"]);
        Assert.Equal(["Lovelace", "Turing"], contacts.Records.Select(c => c.LastName));
        Assert.Equal("Turing", reread.Record!.LastName);
        Assert.Equal(account.Id, reread.Record.AccountId);

        // What the org holds: both contacts and the opportunity point at the new account.
        var stored = await client.Query<Contact>().Where(c => c.AccountId == account.Id).Select(c => c.Id).ToListAsync();
        Assert.Equal(new[] { ada.Id, alan.Id }.OrderBy(i => i!.Value.Value), stored.OrderBy(i => i!.Value.Value));
        var opportunity = await client.SObjects.GetAsync<Opportunity>(deal.Id!.Value);
        Assert.Equal(account.Id, opportunity.AccountId);
    }

    [Fact]
    public async Task Composite_AllOrNone_OneFailure_RollsBackEverything_HaltedLinkedToCause()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var composite = client.Composite.Request(allOrNone: true);
        var account = composite.SObjects.Create(new Account { Name = "Rolled back" });
        var good = composite.SObjects.Create(new Contact { LastName = "Fine", AccountId = account.Ref.Id });
        var bad = composite.SObjects.Create(new Contact { FirstName = "No last name", AccountId = account.Ref.Id });
        var after = composite.SObjects.Create(new Account { Name = "Never run" });
        await composite.ExecuteAsync();

        Assert.Equal(0, await client.Query<Account>().CountAsync());
        Assert.Equal(0, await client.Query<Contact>().CountAsync());
        Assert.False(bad.IsSuccess);
        Assert.False(bad.IsHalted);
        Assert.Equal("REQUIRED_FIELD_MISSING", bad.Errors[0].ErrorCode);
        foreach (var halted in new CompositeResult[] { account, good, after })
        {
            Assert.True(halted.IsHalted);
            Assert.Equal("PROCESSING_HALTED", halted.Errors[0].ErrorCode);
            Assert.Same(bad, halted.CausedBy);
            var ex = Assert.Throws<SalesforceException>(halted.ThrowIfFailed);
            Assert.Contains("'refContact2'", ex.Message);
            Assert.Equal("REQUIRED_FIELD_MISSING", Assert.IsAssignableFrom<SalesforceException>(ex.InnerException).ErrorCode);
        }

        Assert.Null(account.Id);
    }

    [Fact]
    public async Task Composite_WithoutAllOrNone_ReferenceToFailedSubrequest_IsHaltedAndNamesIt_OthersCommitted()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var composite = client.Composite.Request(errors: CompositeErrorHandling.AutoThrow);
        var badAccount = composite.SObjects.Create(new Account { Description = "no name" });
        var orphan = composite.SObjects.Create(new Contact { LastName = "Orphan", AccountId = badAccount.Ref.Id });
        var independent = composite.SObjects.Create(new Account { Name = "Independent" });

        var thrown = await Assert.ThrowsAsync<SalesforceException>(() => composite.ExecuteAsync());
        Assert.Equal("REQUIRED_FIELD_MISSING", thrown.ErrorCode);
        Assert.True(orphan.IsHalted);
        Assert.Same(badAccount, orphan.CausedBy);
        Assert.Contains("refAccount", orphan.Errors[0].Message);
        Assert.True(independent.IsSuccess);
        Assert.Equal(["Independent"], (await client.Query<Account>().Select(a => a.Name).ToListAsync()));
        Assert.Equal(0, await client.Query<Contact>().CountAsync());
    }

    [Fact]
    public async Task Batch_HaltOnError_GroupErrors_TypedHandles()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var existing = new Account { Name = "Existing", Industry = AccountIndustry.Banking };
        await client.SObjects.CreateAsync(existing);
        var missing = Sdk.Runtime.Records.SalesforceId.Parse("001000000000000AAA");

        var batch = client.Composite.Batch(haltOnError: true, errors: CompositeErrorHandling.GroupErrors);
        var read = batch.SObjects.Get<Account>(existing.Id!.Value);
        var query = batch.Query(client.Query<Account>().Where(a => a.Industry == AccountIndustry.Banking));
        var notFound = batch.SObjects.Get<Account>(missing);
        var skipped = batch.SObjects.Create(new Account { Name = "Not created" });
        Assert.Throws<InvalidOperationException>(() => read.Ref);

        var grouped = await Assert.ThrowsAsync<AggregateException>(() => batch.ExecuteAsync());
        Assert.Equal(2, grouped.InnerExceptions.Count);
        Assert.IsType<RecordNotFoundException>(grouped.InnerExceptions[0]);
        Assert.Equal("Existing", read.Record!.Name);
        Assert.Equal(existing.Id, read.Id);
        Assert.Equal([existing.Id], query.Records.Select(a => a.Id));
        Assert.Equal(404, notFound.StatusCode);
        Assert.Equal(412, skipped.StatusCode);
        Assert.True(skipped.IsHalted);
        Assert.Same(notFound, skipped.CausedBy);
        Assert.Equal(1, await client.Query<Account>().CountAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => batch.ExecuteAsync());
    }

    [Fact]
    public async Task Batch_AutoChunk_RunsSixtySubrequestsAsThreeCalls_InOrder()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var accounts = Enumerable.Range(0, 60).Select(i => new Account { Name = $"A{i:D2}" }).ToList();
        await client.Collections.CreateAsync(accounts);

        var limited = client.Composite.Batch();
        for (var i = 0; i < CompositeBatch.MaxSubrequests; i++)
        {
            limited.SObjects.Get<Account>(accounts[i].Id!.Value);
        }

        var tooMany = Assert.Throws<InvalidOperationException>(() => limited.SObjects.Get<Account>(accounts[25].Id!.Value));
        Assert.Contains("at most 25", tooMany.Message);

        var before = org.ApiRequestCount;
        var handles = new List<CompositeResult<Account>>();
        await using (var batch = client.Composite.Batch(autoChunk: true))
        {
            handles.AddRange(accounts.Select(a => batch.SObjects.Get<Account>(a.Id!.Value, ["Name"])));
        }

        Assert.Equal(3, org.ApiRequestCount - before);
        Assert.Equal(accounts.Select(a => a.Name), handles.Select(h => h.Record!.Name));
    }

    [Fact]
    public async Task Graph_OneFailingGraph_OneSucceeding_EachAllOrNothing()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var call = client.Composite.Graph();
        var good = call.AddGraph("good");
        var goodAccount = good.SObjects.Create(new Account { Name = "Graph account" });
        var goodContacts = Enumerable.Range(0, 3).Select(i => good.SObjects.Create(new Contact { LastName = $"G{i}", AccountId = goodAccount.Ref.Id })).ToList();
        var bad = call.AddGraph("bad");
        var badAccount = bad.SObjects.Create(new Account { Name = "Never kept" });
        var badContact = bad.SObjects.Create(new Contact { FirstName = "No last name", AccountId = badAccount.Ref.Id });
        await call.ExecuteAsync();

        Assert.True(good.IsSuccessful);
        Assert.False(bad.IsSuccessful);
        Assert.All(goodContacts, c => Assert.True(c.IsSuccess));
        Assert.Equal("REQUIRED_FIELD_MISSING", badContact.Errors[0].ErrorCode);
        Assert.True(badAccount.IsHalted);
        Assert.Same(badContact, badAccount.CausedBy);
        Assert.Equal(["Graph account"], await client.Query<Account>().Select(a => a.Name).ToListAsync());
        Assert.Equal(3, await client.Query<Contact>().Where(c => c.AccountId == goodAccount.Id).CountAsync());
    }

    [Fact]
    public async Task Graph_LimitsCheckedWhenAdding()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var call = client.Composite.Graph();
        var graph = call.AddGraph();
        for (var i = 0; i < CompositeGraphRequest.MaxNodesPerGraph; i++)
        {
            graph.SObjects.Create(new Account { Name = $"N{i}" });
        }

        var second = call.AddGraph();
        var full = Assert.Throws<InvalidOperationException>(() => second.SObjects.Create(new Account { Name = "501" }));
        Assert.Contains("at most 500 nodes", full.Message);
        var before = org.ApiRequestCount;
        var empty = await Assert.ThrowsAsync<InvalidOperationException>(() => call.ExecuteAsync());
        Assert.Contains("'graph2' has no subrequests", empty.Message);
        Assert.Equal(before, org.ApiRequestCount);

        var other = client.Composite.Graph().AddGraph();
        other.SObjects.Create(new Account { Name = "one" }, referenceId: "acct");
        Assert.Throws<ArgumentException>(() => other.SObjects.Create(new Account { Name = "dup" }, referenceId: "acct"));
        Assert.Throws<ArgumentException>(() => other.SObjects.Create(new Account { Name = "bad" }, referenceId: "1st"));
        Assert.Equal(1, other.Count);
    }

    [Fact]
    public async Task Tree_CreatesParentsWithChildren_IdsMappedBack_FailureCreatesNothing()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        var roots = Enumerable.Range(0, 3).Select(i => new Account
        {
            Name = $"Parent {i}",
            Contacts = new([new Contact { LastName = $"Child {i}a" }, new Contact { LastName = $"Child {i}b" }]),
        }).ToList();

        var result = await client.Composite.CreateTreeAsync(roots);
        result.ThrowIfFailed();
        Assert.Equal(9, result.Results.Count);
        Assert.Equal(["ref1", "ref2", "ref3"], result.Results.Take(3).Select(r => r.ReferenceId));
        foreach (var root in roots)
        {
            Assert.NotNull(root.Id);
            Assert.False(root.HasChanges);
            var children = await client.Query<Contact>().Where(c => c.AccountId == root.Id).OrderBy(c => c.LastName).Select(c => c.Id).ToListAsync();
            Assert.Equal(root.Contacts!.Select(c => c.Id), children);
        }

        var failing = new Account { Name = "Bad tree", Contacts = new([new Contact { LastName = "Ok" }, new Contact { FirstName = "No last name" }]) };
        var failed = await client.Composite.CreateTreeAsync([failing]);
        Assert.True(failed.HasErrors);
        Assert.Equal("REQUIRED_FIELD_MISSING", failed.Results[2].Errors[0].ErrorCode);
        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", failed.Results[0].Errors[0].ErrorCode);
        Assert.Null(failing.Id);
        Assert.Equal(3, await client.Query<Account>().CountAsync());
        Assert.Equal(6, await client.Query<Contact>().CountAsync());
        var ex = Assert.Throws<SalesforceException>(failed.ThrowIfFailed);
        Assert.Contains("ref3", ex.Message);

        var tooMany = new Account { Name = "Big", Contacts = new(Enumerable.Range(0, 200).Select(i => new Contact { LastName = $"C{i}" })) };
        await Assert.ThrowsAsync<ArgumentException>(() => client.Composite.CreateTreeAsync([tooMany]));
    }
}
