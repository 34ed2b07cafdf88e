using RichardSzalay.MockHttp;
using Sdk.Linq.Tests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Query.Internal;

namespace Sdk.Linq.Tests;

/// <summary>
/// Translations are cached per query shape: the same query with other values reuses the translation (and the compiled
/// projection); values that change the SOQL's structure (an empty list, a captured flag) select their own translation.
/// Tests here run one after another (a collection), since they read process-wide counters.
/// </summary>
[Collection(nameof(TranslationCacheTests))]
public class TranslationCacheTests
{
    private static string Find(SalesforceClient client, string name, int minimum)
        => client.Query<Account>().Where(a => a.Name == name && a.NumberOfEmployees >= minimum).OrderBy(a => a.Name).Take(minimum).Select(a => new { a.Name, a.Id }).ToSoql();

    [Fact]
    public void SameShape_OtherValues_TranslatesOnce()
    {
        using var client = TestClient.Create();
        Find(client, "warm", 1);
        var before = QueryPlanCache.Translations;
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"SELECT Name, Id FROM Account WHERE Name = 'n{i}' AND NumberOfEmployees >= {i} ORDER BY Name LIMIT {i}", Find(client, "n" + i, i));
        }

        Assert.Equal(before, QueryPlanCache.Translations);
    }

    [Fact]
    public void StructuralValues_SelectTheirOwnTranslation()
    {
        using var client = TestClient.Create();
        string Query(string[] names, bool all) => client.Query<Account>().Where(a => all || names.Contains(a.Name)).Select(a => a.Id).ToSoql();

        Assert.Equal("SELECT Id FROM Account WHERE Name IN ('a')", Query(["a"], false));
        Assert.Equal("SELECT Id FROM Account WHERE Id = null", Query([], false));
        Assert.Equal("SELECT Id FROM Account", Query(["a"], true));
        var before = QueryPlanCache.Translations;
        Assert.Equal("SELECT Id FROM Account WHERE Name IN ('b', 'c')", Query(["b", "c"], false));
        Assert.Equal("SELECT Id FROM Account WHERE Id = null", Query([], false));
        Assert.Equal("SELECT Id FROM Account", Query([], true));
        Assert.Equal(before, QueryPlanCache.Translations);
    }

    [Fact]
    public void DifferentShapes_DoNotShareATranslation()
    {
        using var client = TestClient.Create();
        var a = client.Query<Account>().Where(x => x.Name == "v").Select(x => x.Id).ToSoql();
        var b = client.Query<Account>().Where(x => x.Site == "v").Select(x => x.Id).ToSoql();
        var c = client.Query<Contact>().Where(x => x.LastName == "v").Select(x => x.Id).ToSoql();
        var d = client.Query<Account>().Where(x => x.Name != "v").Select(x => x.Id).ToSoql();
        Assert.Equal(["SELECT Id FROM Account WHERE Name = 'v'", "SELECT Id FROM Account WHERE Site = 'v'", "SELECT Id FROM Contact WHERE LastName = 'v'", "SELECT Id FROM Account WHERE Name != 'v'"],
            [a, b, c, d]);
    }

    [Fact]
    public void CapturedSubqueries_ArePartOfTheShape()
    {
        using var client = TestClient.Create();
        string Query(Sdk.Runtime.Query.ISoqlQueryable<Sdk.Runtime.Records.SalesforceId?> sub) => client.Query<Account>().Where(a => sub.Contains(a.Id)).Select(a => a.Name).ToSoql();
        Assert.Equal("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)", Query(client.Query<Contact>().Select(c => c.AccountId)));
        Assert.Equal("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsWon = true)",
            Query(client.Query<Opportunity>().Where(o => o.IsWon == true).Select(o => o.AccountId)));
    }

    [Fact]
    public void ValuesComputedByMethods_AreEvaluatedAtEachExecution()
    {
        using var client = TestClient.Create();
        var results = new List<string>();
        for (var days = 1; days <= 3; days++)
        {
            var now = new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero);
            results.Add(client.Query<Account>().Where(a => a.CreatedDate > now.AddDays(-days)).Select(a => a.Id).ToSoql());
        }

        Assert.Equal(["SELECT Id FROM Account WHERE CreatedDate > 2024-01-09T00:00:00Z", "SELECT Id FROM Account WHERE CreatedDate > 2024-01-08T00:00:00Z",
            "SELECT Id FROM Account WHERE CreatedDate > 2024-01-07T00:00:00Z"], results);
    }

    [Fact]
    public async Task Projections_UseCurrentCapturedValues()
    {
        const string body = """{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/a"},"Name":"A"}]}""";
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, TestClient.Data + "/query/").Respond("application/json", body);
        using var client = TestClient.Create(mock);
        var tags = new List<string>();
        foreach (var tag in new[] { "one", "two" })
        {
            var row = (await client.Query<Account>().Select(a => new { a.Name, Tag = tag }).ToListAsync()).Single();
            tags.Add(row.Tag);
        }

        Assert.Equal(["one", "two"], tags);
    }
}

/// <summary>Runs the cache tests alone, after the parallel ones, so the process-wide counters are theirs.</summary>
[CollectionDefinition(nameof(TranslationCacheTests), DisableParallelization = true)]
public sealed class TranslationCacheCollection;

/// <summary>A query object remembers its shape; what it remembers must never go stale.</summary>
public class QueryObjectMemoTests
{
    [Fact]
    public void SameQueryObject_ReadsCapturedValuesAgain()
    {
        using var client = TestClient.Create();
        var name = "first";
        var query = client.Query<Account>().Where(a => a.Name == name).Select(a => a.Id);
        Assert.Equal("SELECT Id FROM Account WHERE Name = 'first'", query.ToSoql());
        name = "second";
        Assert.Equal("SELECT Id FROM Account WHERE Name = 'second'", query.ToSoql());
        name = null;
        Assert.Equal("SELECT Id FROM Account WHERE Name = null", query.ToSoql());
    }

    [Fact]
    public void SameQueryObject_StructuralValuesStillSelectTheirTranslation()
    {
        using var client = TestClient.Create();
        string[] names = ["a"];
        var query = client.Query<Account>().Where(a => names.Contains(a.Name)).Select(a => a.Id);
        Assert.Equal("SELECT Id FROM Account WHERE Name IN ('a')", query.ToSoql());
        names = [];
        Assert.Equal("SELECT Id FROM Account WHERE Id = null", query.ToSoql());
        names = ["b", "c"];
        Assert.Equal("SELECT Id FROM Account WHERE Name IN ('b', 'c')", query.ToSoql());
    }

    [Fact]
    public void SameQueryObject_CapturedSubquerySwapped_IsTranslatedAgain()
    {
        using var client = TestClient.Create();
        var sub = client.Query<Contact>().Select(c => c.AccountId);
        var query = client.Query<Account>().Where(a => sub.Contains(a.Id)).Select(a => a.Name);
        Assert.Equal("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)", query.ToSoql());
        sub = client.Query<Opportunity>().Select(o => o.AccountId);
        Assert.Equal("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity)", query.ToSoql());
    }
}
