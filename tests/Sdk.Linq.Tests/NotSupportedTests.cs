using Sdk.Linq.Tests.Org;
using Sdk.Runtime;

namespace Sdk.Linq.Tests;

/// <summary>What SOQL cannot express is refused, naming the sub-expression and why; nothing runs on the client instead.</summary>
public class NotSupportedTests
{
    private static NotSupportedException Refused(Func<Sdk.Runtime.SalesforceClient, string> translate)
    {
        using var client = TestClient.Create();
        return Assert.Throws<NotSupportedException>(() => translate(client));
    }

    [Fact]
    public void ComparingTwoFields_IsRefused()
    {
        var ex = Refused(q => q.Query<Account>().Where(a => a.Name == a.Site).Select(a => a.Id).ToSoql());
        Assert.Contains("(a.Name == a.Site)", ex.Message);
        Assert.Contains("not with another field", ex.Message);
    }

    [Fact]
    public void ClientMethodInAFilter_IsRefusedNamingIt()
    {
        var ex = Refused(q => q.Query<Account>().Where(a => a.Name!.ToUpperInvariant() == "ACME").Select(a => a.Id).ToSoql());
        Assert.Contains("a.Name.ToUpperInvariant()", ex.Message);
    }

    [Fact]
    public void ArithmeticOnAField_IsRefused()
    {
        var ex = Refused(q => q.Query<Account>().Where(a => a.NumberOfEmployees + 1 > 10).Select(a => a.Id).ToSoql());
        Assert.Contains("(a.NumberOfEmployees + ", ex.Message);
    }

    [Fact]
    public void NotFilterableField_IsRefusedWithItsName()
    {
        var ex = Refused(q => q.Query<Account>().Where(a => a.Description == "x").Select(a => a.Id).ToSoql());
        Assert.Contains("Description is not filterable", ex.Message);
    }

    [Fact]
    public void NotSortableField_IsRefusedWithItsName()
    {
        var ex = Refused(q => q.Query<Contact>().OrderBy(c => c.Description).Select(c => c.Id).ToSoql());
        Assert.Contains("Description is not sortable", ex.Message);
    }

    [Fact]
    public void NotGroupableField_IsRefusedWithItsName()
    {
        var ex = Refused(q => q.Query<Opportunity>().GroupBy(o => o.Amount).Select(g => g.Key).ToSoql());
        Assert.Contains("Amount is not groupable", ex.Message);
    }

    [Fact]
    public void NotFilterableParentField_IsRefusedWithItsPath()
    {
        var ex = Refused(q => q.Query<Contact>().Where(c => c.Owner!.AboutMe != null).Select(c => c.Id).ToSoql());
        Assert.Contains("Owner.AboutMe is not filterable", ex.Message);
    }

    [Fact]
    public void SixParentLevels_AreRefused()
    {
        var ex = Refused(q => q.Query<Contact>().Where(c => c.Account!.Parent!.Parent!.Parent!.Parent!.Parent!.Name == "x").Select(c => c.Id).ToSoql());
        Assert.Contains("at most 5 parent relationships", ex.Message);
    }

    [Fact]
    public void WhereAfterTake_IsRefused()
    {
        var ex = Refused(q => q.Query<Account>().Take(5).Where(a => a.Name == "x").Select(a => a.Id).ToSoql());
        Assert.Contains("cannot follow Take or Skip", ex.Message);
    }

    [Fact]
    public void OrderByAfterTake_IsRefused()
        => Assert.Contains("cannot follow Take or Skip", Refused(q => q.Query<Account>().Take(5).OrderBy(a => a.Name).Select(a => a.Id).ToSoql()).Message);

    [Fact]
    public void CaseSensitiveStartsWith_IsRefused()
    {
        var ex = Refused(q => q.Query<Account>().Where(a => a.Name!.StartsWith("A", StringComparison.Ordinal)).Select(a => a.Id).ToSoql());
        Assert.Contains("case-insensitively", ex.Message);
    }

    [Fact]
    public void SelectingTheGroups_IsRefused()
    {
        var ex = Refused(q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => new { g.Key, Items = g.ToList() }).ToSoql());
        Assert.Contains("'g.ToList()'", ex.Message);
        Assert.Contains("no SOQL equivalent", ex.Message);
    }

    [Fact]
    public void UngroupedFieldInAGroupProjection_IsRefused()
    {
        var ex = Refused(q => q.Query<Opportunity>().GroupBy(o => o.Account).Select(g => g.Key!.Name).ToSoql());
        Assert.Contains("Account.Name is neither grouped nor aggregated", ex.Message);
    }

    [Fact]
    public void GroupByWithoutSelect_IsRefused()
    {
        using var client = TestClient.Create();
        var ex = Assert.Throws<NotSupportedException>(() => client.Query<Opportunity>().GroupBy(o => o.StageName).ToSoql());
        Assert.Contains("must select from each group", ex.Message);
    }

    [Fact]
    public void CountWithPredicateOfAGroup_IsRefused()
        => Assert.Contains("filter the records with Where before GroupBy",
            Refused(q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => g.Count(o => o.IsWon == true)).ToSoql()).Message);

    [Fact]
    public void CastOfANonPolymorphicRelationship_IsRefused()
        => Assert.Contains("only a polymorphic relationship",
            Refused(q => q.Query<Contact>().Where(c => ((Account)(Sdk.Runtime.Records.SObject)c.ReportsTo!).Name == "x").Select(c => c.Id).ToSoql()).Message);

    [Fact]
    public void SameChildRelationshipTwice_IsRefused()
        => Assert.Contains("used twice",
            Refused(q => q.Query<Account>().Select(a => new { A = a.Contacts!.Select(c => c.LastName), B = a.Contacts!.Select(c => c.Email) }).ToSoql()).Message);

    [Fact]
    public void RelationshipComparedWithARecord_IsRefused()
    {
        var other = new Account();
        Assert.Contains("can only be compared with null", Refused(q => q.Query<Contact>().Where(c => c.Account == other).Select(c => c.Id).ToSoql()).Message);
    }

    [Fact]
    public void SemiJoinWithOrder_IsRefused()
        => Assert.Contains("cannot order, limit",
            Refused(q => q.Query<Account>().Where(a => q.Query<Contact>().OrderBy(c => c.LastName).Select(c => c.AccountId).Contains(a.Id)).Select(a => a.Id).ToSoql()).Message);

    [Fact]
    public void UnknownOperator_IsRefused()
    {
        using var client = TestClient.Create();
        var query = (IQueryable<Account>)client.Query<Account>();
        var distinct = Queryable.Distinct(query);
        var ex = Assert.Throws<NotSupportedException>(() => ((Sdk.Runtime.Query.ISoqlQueryable<Account>)distinct).ToSoql());
        Assert.Contains("Distinct has no SOQL equivalent", ex.Message);
    }

    [Fact]
    public void SynchronousEnumeration_SaysToUseTheAsyncForm()
    {
        using var client = TestClient.Create();
        var query = client.Query<Account>().Where(a => a.Name == "x");
        var ex = Assert.Throws<NotSupportedException>(() => query.AsEnumerable().ToList());
        Assert.Contains("await foreach", ex.Message);
        Assert.Contains("ToListAsync", ex.Message);
    }

    [Fact]
    public void SynchronousExecution_SaysToUseTheAsyncForm()
    {
        using var client = TestClient.Create();
        IQueryable<Account> query = client.Query<Account>();
        var ex = Assert.Throws<NotSupportedException>(() => Queryable.Count(query));
        Assert.Contains("CountAsync", ex.Message);
    }

    [Fact]
    public void SoqlFieldWithAnInvalidName_IsRefused()
        => Assert.Contains("constant API name",
            Refused(q => q.Query<Account>().Where(a => Sdk.Runtime.Query.Soql.Field<string>(a, "Name = 'x' OR Id") == "y").Select(a => a.Id).ToSoql()).Message);

    [Fact]
    public void ServerOnlyFunctionsThrowOutsideQueries()
    {
        Assert.Throws<NotSupportedException>(() => Sdk.Runtime.Query.Soql.ToLabel("x"));
        Assert.Throws<NotSupportedException>(() => Sdk.Runtime.Query.Soql.FiscalYear((DateOnly?)null));
        Assert.True(Sdk.Runtime.Query.Soql.Like("Acme Corp", "ac%c_rp"));
        Assert.False(Sdk.Runtime.Query.Soql.Like("Acme", "A\\%"));
        Assert.Equal(2024, Sdk.Runtime.Query.Soql.CalendarYear(new DateOnly(2024, 3, 1)));
    }
}
