using System.Net;
using RichardSzalay.MockHttp;
using Sdk.Linq.Tests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Query;
using Sdk.Runtime.Records;

namespace Sdk.Linq.Tests;

/// <summary>Queries run against MockHttp: the SOQL sent, paging, projections with parents and children, aggregates, terminal operators.</summary>
public class ExecutionTests
{
    private readonly MockHttpMessageHandler _mock = new();
    private readonly List<Uri> _requests = [];

    private SalesforceClient Serve(string path, params string[] pages)
    {
        var index = 0;
        _mock.When(HttpMethod.Get, TestClient.Data + path).Respond(request =>
        {
            _requests.Add(request.RequestUri!);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(pages[Math.Min(index++, pages.Length - 1)], System.Text.Encoding.UTF8, "application/json") };
        });
        return TestClient.Create(_mock);
    }

    private string SentSoql(int i = 0)
        => Uri.UnescapeDataString(_requests[i].Query.TrimStart('?').Split('&').Single(p => p.StartsWith("q=", StringComparison.Ordinal))[2..]);

    [Fact]
    public async Task RealFixture_ProjectsTheRecords()
    {
        using var client = Serve("/query/", TestClient.Fixture("query/builds_a_number_of_associated_records_from_the_data_in_Salesforce__01_GET_query_200.json"));
        var parent = SalesforceId.Parse("a001a000002zhZjAAI");
        var rows = await client.Query<CustomObjectDetail>()
            .Where(d => d.CustomObject == parent)
            .Select(d => new { d.Id, d.Name, Parent = d.CustomObject, Modified = d.SystemModstamp })
            .ToListAsync();

        Assert.Equal("SELECT Id, Name, CustomObject__c, SystemModstamp FROM CustomObjectDetail__c WHERE CustomObject__c = 'a001a000002zhZjAAI'", SentSoql());
        Assert.Equal(["Second Detail", "Third Detail", "First Detail"], rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal(parent, r.Parent));
        Assert.Equal(new DateTimeOffset(2015, 6, 25, 21, 54, 52, TimeSpan.Zero), rows[0].Modified);
        Assert.Equal(SalesforceId.Parse("a011a000001Gx2YAAS"), rows[0].Id);
    }

    [Fact]
    public async Task WholeRecords_FollowPages()
    {
        const string page1 = """
            {"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01gD0000002HU6KIAW-2000","records":[
              {"attributes":{"type":"CustomObject__c","url":"/x"},"Id":"a001a000002zhZjAAI","Name":"One","Visible__c":true},
              {"attributes":{"type":"CustomObject__c","url":"/x"},"Id":"a001a000002zhZkAAI","Name":"Two","Visible__c":false}]}
            """;
        const string page2 = """
            {"totalSize":3,"done":true,"records":[{"attributes":{"type":"CustomObject__c","url":"/x"},"Id":"a001a000002zhZlAAI","Name":"Three","Visible__c":null}]}
            """;
        using var client = Serve("/query/*", page1, page2);
        var names = new List<string?>();
        await foreach (var record in client.Query<CustomObject>().Where(o => o.Visible != null || o.Name != null))
        {
            names.Add(record.Name);
            Assert.IsType<CustomObject>(record);
        }

        Assert.Equal(["One", "Two", "Three"], names);
        Assert.Equal(2, _requests.Count);
        Assert.EndsWith("/query/01gD0000002HU6KIAW-2000", _requests[1].AbsolutePath);
        Assert.StartsWith("SELECT Id, ", SentSoql());
        Assert.EndsWith(" FROM CustomObject__c WHERE Visible__c != null OR Name != null", SentSoql());
        foreach (var field in CustomObject.Metadata.Fields)
        {
            Assert.Contains(field.ApiName, SentSoql());
        }
    }

    [Fact]
    public async Task ProjectionWithParentsAndChildren_ReadsNestedRecords()
    {
        const string body = """
            {"totalSize":2,"done":true,"records":[
              {"attributes":{"type":"Account","url":"/a/1"},"Name":"Acme","Owner":{"attributes":{"type":"User","url":"/u/1"},"Name":"Ann","Manager":null},
               "Contacts":{"totalSize":2,"done":true,"records":[
                 {"attributes":{"type":"Contact","url":"/c/1"},"LastName":"Lee","Email":"lee@acme.test"},
                 {"attributes":{"type":"Contact","url":"/c/2"},"LastName":"Kim","Email":null}]}},
              {"attributes":{"type":"Account","url":"/a/2"},"Name":"Solo","Owner":null,"Contacts":null}]}
            """;
        using var client = Serve("/query/", body);
        var rows = await client.Query<Account>()
            .OrderBy(a => a.Name)
            .Select(a => new
            {
                a.Name,
                OwnerName = a.Owner!.Name,
                ManagerName = a.Owner.Manager!.Name,
                People = a.Contacts!.OrderBy(c => c.LastName).Select(c => new { c.LastName, HasEmail = c.Email != null }).ToList(),
            })
            .ToListAsync();

        Assert.Equal("SELECT Name, Owner.Name, Owner.Manager.Name, (SELECT LastName, Email FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name", SentSoql());
        Assert.Equal("Ann", rows[0].OwnerName);
        Assert.Null(rows[0].ManagerName);
        Assert.Equal(["Lee", "Kim"], rows[0].People.Select(p => p.LastName));
        Assert.Equal([true, false], rows[0].People.Select(p => p.HasEmail));
        Assert.Null(rows[1].OwnerName);
        Assert.Empty(rows[1].People);
    }

    [Fact]
    public async Task TypeOf_ReadsEachTypeThroughItsCast()
    {
        const string body = """
            {"totalSize":2,"done":true,"records":[
              {"attributes":{"type":"Event","url":"/e/1"},"Subject":"Call","What":{"attributes":{"type":"Account","url":"/a/1"},"Name":"Acme"}},
              {"attributes":{"type":"Event","url":"/e/2"},"Subject":"Meet","What":{"attributes":{"type":"Opportunity","url":"/o/1"},"Amount":250.5}}]}
            """;
        using var client = Serve("/query/", body);
        var rows = await client.Query<Event>()
            .Select(e => new { e.Subject, AccountName = (e.What as Account)!.Name, Amount = ((Opportunity)e.What!).Amount, Type = e.What!.SObjectType })
            .ToListAsync();

        Assert.Equal("SELECT Subject, TYPEOF What WHEN Account THEN Name, Id WHEN Opportunity THEN Amount, Id ELSE Id END FROM Event", SentSoql());
        Assert.Equal(("Acme", (decimal?)null, "Account"), (rows[0].AccountName, rows[0].Amount, rows[0].Type));
        Assert.Equal(((string?)null, (decimal?)250.5m, "Opportunity"), (rows[1].AccountName, rows[1].Amount, rows[1].Type));
    }

    [Fact]
    public async Task Aggregates_ReadTypedColumns()
    {
        const string body = """
            {"totalSize":2,"done":true,"records":[
              {"attributes":{"type":"AggregateResult"},"a0":"Prospecting","a1":3,"a2":1500.5,"a3":"2024-02-01"},
              {"attributes":{"type":"AggregateResult"},"a0":"Closed Won","a1":1,"a2":null,"a3":null}]}
            """;
        using var client = Serve("/query/", body);
        var rows = await client.Query<Opportunity>()
            .GroupBy(o => o.StageName)
            .Select(g => new { Stage = g.Key, Count = g.Count(), Total = g.Sum(o => o.Amount), First = g.Min(o => o.CloseDate) })
            .OrderByDescending(x => x.Count)
            .ToListAsync();

        Assert.Equal("SELECT StageName a0, COUNT(Id) a1, SUM(Amount) a2, MIN(CloseDate) a3 FROM Opportunity GROUP BY StageName ORDER BY COUNT(Id) DESC", SentSoql());
        Assert.Equal(OpportunityStageName.Prospecting, rows[0].Stage);
        Assert.Equal(3, rows[0].Count);
        Assert.Equal(1500.5m, rows[0].Total);
        Assert.Equal(new DateOnly(2024, 2, 1), rows[0].First);
        Assert.Equal(OpportunityStageName.ClosedWon, rows[1].Stage);
        Assert.Null(rows[1].Total);
    }

    [Fact]
    public async Task ServerFunctions_AreReadFromTheirAliases()
    {
        const string body = """
            {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Opportunity","url":"/o/1"},"Name":"Big","Amount":1000,"a0":"$1,000.00","a1":"Closed Won (label)"}]}
            """;
        using var client = Serve("/query/", body);
        var row = await client.Query<Opportunity>()
            .Select(o => new { o.Name, o.Amount, Shown = Soql.Format(o.Amount), Label = Soql.ToLabel(o.StageName) })
            .FirstAsync();

        Assert.Equal("SELECT Name, Amount, FORMAT(Amount) a0, toLabel(StageName) a1 FROM Opportunity LIMIT 1", SentSoql());
        Assert.Equal(("Big", (decimal?)1000m, "$1,000.00", "Closed Won (label)"), (row.Name, row.Amount, row.Shown, row.Label));
    }

    private const string TwoAccounts = """
        {"totalSize":2,"done":true,"records":[
          {"attributes":{"type":"Account","url":"/a/1"},"Id":"001000000000001AAA","Name":"A"},
          {"attributes":{"type":"Account","url":"/a/2"},"Id":"001000000000002AAA","Name":"B"}]}
        """;

    private const string OneAccount = """
        {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/a/1"},"Id":"001000000000001AAA","Name":"A"}]}
        """;

    private const string NoRecords = """{"totalSize":0,"done":true,"records":[]}""";

    [Fact]
    public async Task First_SendsLimit1()
    {
        using var client = Serve("/query/", OneAccount);
        var name = await client.Query<Account>().OrderBy(a => a.Name).Select(a => a.Name).FirstAsync();
        Assert.Equal("A", name);
        Assert.Equal("SELECT Name FROM Account ORDER BY Name LIMIT 1", SentSoql());
    }

    [Fact]
    public async Task FirstWithPredicate_FiltersAndLimits()
    {
        using var client = Serve("/query/", OneAccount);
        var account = await client.Query<Account>().FirstAsync(a => a.Name == "A");
        Assert.Equal("A", account.Name);
        Assert.Matches("^SELECT Id, .* FROM Account WHERE Name = 'A' LIMIT 1$", SentSoql());
    }

    [Fact]
    public async Task First_OnNothing_Throws_FirstOrDefault_ReturnsNull()
    {
        using var client = Serve("/query/", NoRecords);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.Query<Account>().Select(a => a.Name).FirstAsync());
        Assert.Contains("no elements", ex.Message);
        Assert.Null(await client.Query<Account>().Select(a => a.Name).FirstOrDefaultAsync());
    }

    [Fact]
    public async Task Single_SendsLimit2_AndRejectsASecond()
    {
        using var client = Serve("/query/", TwoAccounts);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.Query<Account>().Select(a => a.Name).SingleAsync());
        Assert.Contains("more than one", ex.Message);
        Assert.Equal("SELECT Name FROM Account LIMIT 2", SentSoql());
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Query<Account>().Select(a => a.Name).SingleOrDefaultAsync(a => a != null));
    }

    [Fact]
    public async Task Single_ReturnsTheOnlyOne()
    {
        using var client = Serve("/query/", OneAccount);
        Assert.Equal("A", await client.Query<Account>().Where(a => a.Name == "A").Select(a => a.Name).SingleAsync());
        Assert.Equal("SELECT Name FROM Account WHERE Name = 'A' LIMIT 2", SentSoql());
    }

    [Fact]
    public async Task SingleOrDefault_OnNothing_ReturnsDefault()
    {
        using var client = Serve("/query/", NoRecords);
        Assert.Null(await client.Query<Account>().SingleOrDefaultAsync(a => a.Name == "none"));
    }

    [Fact]
    public async Task Count_UsesCountAndTotalSize()
    {
        using var client = Serve("/query/", """{"totalSize":42,"done":true,"records":[]}""");
        Assert.Equal(42, await client.Query<Account>().CountAsync(a => a.Industry == AccountIndustry.Banking));
        Assert.Equal("SELECT COUNT() FROM Account WHERE Industry = 'Banking'", SentSoql());
        Assert.Equal(42L, await client.Query<Account>().LongCountAsync());
        Assert.Equal("SELECT COUNT() FROM Account", SentSoql(1));
    }

    [Fact]
    public async Task Any_SelectsOneId()
    {
        using var client = Serve("/query/", OneAccount, NoRecords);
        Assert.True(await client.Query<Account>().AnyAsync(a => a.Name!.StartsWith("A")));
        Assert.Equal("SELECT Id FROM Account WHERE Name LIKE 'A%' LIMIT 1", SentSoql());
        Assert.False(await client.Query<Account>().AnyAsync());
    }

    [Fact]
    public async Task IncludeDeleted_UsesQueryAll_AndBatchSizeSetsTheHeader()
    {
        HttpRequestMessage? seen = null;
        _mock.When(HttpMethod.Get, TestClient.Data + "/queryAll/").Respond(request =>
        {
            seen = request;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(OneAccount, System.Text.Encoding.UTF8, "application/json") };
        });
        using var client = TestClient.Create(_mock);
        var names = await client.Query<Account>().IncludeDeleted().WithBatchSize(500).Where(a => a.IsDeleted == true).Select(a => a.Name).ToListAsync();

        Assert.Equal(["A"], names);
        Assert.NotNull(seen);
        Assert.Equal("batchSize=500", seen!.Headers.GetValues("Sforce-Query-Options").Single());
    }

    [Fact]
    public async Task CapturedValues_AreReadAtEachExecution()
    {
        using var client = Serve("/query/", NoRecords);
        foreach (var name in new[] { "first", "it's second" })
        {
            await client.Query<Account>().Where(a => a.Name == name).Select(a => a.Id).ToListAsync();
        }

        Assert.Equal("SELECT Id FROM Account WHERE Name = 'first'", SentSoql(0));
        Assert.Equal(@"SELECT Id FROM Account WHERE Name = 'it\'s second'", SentSoql(1));
    }

    [Fact]
    public async Task Cancellation_StopsTheQuery()
    {
        using var client = Serve("/query/", TwoAccounts);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Query<Account>().Select(a => a.Name).ToListAsync(cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Query<Account>().CountAsync(cts.Token));
    }

    [Fact]
    public async Task ArrayAndEnumerable_Results()
    {
        using var client = Serve("/query/", TwoAccounts);
        var ids = await client.Query<Account>().Select(a => a.Id).ToArrayAsync();
        Assert.Equal([SalesforceId.Parse("001000000000001AAA"), SalesforceId.Parse("001000000000002AAA")], ids);
    }
}
