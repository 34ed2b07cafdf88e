using Sdk.Linq.Tests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Query;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;
using static Sdk.Linq.Tests.LinqTable;

namespace Sdk.Linq.Tests;

public sealed record ContactRow(SalesforceId? Id, string? LastName);

public sealed class ContactDto
{
    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Company { get; set; }
}

public partial class LinqToSoqlTable
{
    public static TheoryData<LinqCase> Paths() => Table(
        Row("parent field", q => q.Query<Contact>().Where(c => c.Account!.Name == "Acme").Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE Account.Name = 'Acme'"),
        Row("two levels", q => q.Query<Contact>().Where(c => c.Account!.Owner!.Name == "Ann").Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE Account.Owner.Name = 'Ann'"),
        Row("three levels", q => q.Query<Contact>().Where(c => c.Account!.Owner!.Manager!.Email != null).Select(c => c.Id).ToSoql(),
            "SELECT Id FROM Contact WHERE Account.Owner.Manager.Email != null"),
        Row("four levels", q => q.Query<Contact>().Where(c => c.Account!.Parent!.Owner!.Manager!.IsActive == true).Select(c => c.Id).ToSoql(),
            "SELECT Id FROM Contact WHERE Account.Parent.Owner.Manager.IsActive = true"),
        Row("five levels", q => q.Query<Contact>().Where(c => c.Account!.Parent!.Parent!.Parent!.Parent!.Name == "Root").Select(c => c.Id).ToSoql(),
            "SELECT Id FROM Contact WHERE Account.Parent.Parent.Parent.Parent.Name = 'Root'"),
        Row("custom relationship", q => q.Query<Survey>().Where(s => s.Contact_r!.LastName == "Lee").Select(s => s.Id).ToSoql(), "SELECT Id FROM Survey__c WHERE Contact__r.LastName = 'Lee'"),
        Row("custom lookup field", q => q.Query<CustomObjectDetail>().Where(d => d.CustomObject_r!.Name == "X").Select(d => d.Name).ToSoql(),
            "SELECT Name FROM CustomObjectDetail__c WHERE CustomObject__r.Name = 'X'"),
        Row("polymorphic Type", q => q.Query<Event>().Where(e => e.What!.SObjectType == "Account").Select(e => e.Id).ToSoql(), "SELECT Id FROM Event WHERE What.Type = 'Account'"),
        Row("is on a polymorphic relationship", q => q.Query<Event>().Where(e => e.What is Opportunity).Select(e => e.Id).ToSoql(), "SELECT Id FROM Event WHERE What.Type = 'Opportunity'"),
        Row("cast of a polymorphic relationship", q => q.Query<Event>().Where(e => ((Account)e.What!).Name == "Acme").Select(e => e.Id).ToSoql(),
            "SELECT Id FROM Event WHERE What.Type = 'Account' AND What.Name = 'Acme'"),
        Row("polymorphic Id", q => q.Query<Case>().Where(c => c.Owner!.Id != null).Select(c => c.Id).ToSoql(), "SELECT Id FROM Case WHERE Owner.Id != null"),
        Row("Soql.Field on a polymorphic parent", q => q.Query<Case>().Where(c => Soql.Field<string>(c.Owner, "Name") == "Queue A").Select(c => c.Id).ToSoql(),
            "SELECT Id FROM Case WHERE Owner.Name = 'Queue A'"),
        Row("Soql.Field on the record", q => q.Query<Account>().Where(a => Soql.Field<string>(a, "Custom_Flag__c") == "Y").Select(a => a.Id).ToSoql(),
            "SELECT Id FROM Account WHERE Custom_Flag__c = 'Y'"));

    public static TheoryData<LinqCase> Joins() => Table(
        Row("semi-join", q => q.Query<Account>().Where(a => q.Query<Contact>().Select(c => c.AccountId).Contains(a.Id)).Select(a => a.Name).ToSoql(),
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)"),
        Row("semi-join with a filter", q => q.Query<Account>().Where(a => q.Query<Opportunity>().Where(o => o.IsWon == true).Select(o => o.AccountId).Contains(a.Id)).Select(a => a.Name).ToSoql(),
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsWon = true)"),
        Row("anti-join", q => q.Query<Account>().Where(a => !q.Query<Contact>().Select(c => c.AccountId).Contains(a.Id)).Select(a => a.Name).ToSoql(),
            "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)"),
        Row("captured subquery", q =>
        {
            var won = q.Query<Opportunity>().Where(o => o.StageName == OpportunityStageName.ClosedWon).Select(o => o.AccountId);
            return q.Query<Account>().Where(a => won.Contains(a.Id) && a.Industry != null).Select(a => a.Name).ToSoql();
        }, "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Won') AND Industry != null"),
        Row("semi-join on a lookup", q => q.Query<Contact>().Where(c => q.Query<Account>().Where(a => a.Industry == AccountIndustry.Banking).Select(a => a.Id).Contains(c.AccountId)).Select(c => c.Id).ToSoql(),
            "SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Industry = 'Banking')"),
        Row("child Any", q => q.Query<Account>().Where(a => a.Contacts!.Any()).Select(a => a.Name).ToSoql(), "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)"),
        Row("child Any with a predicate", q => q.Query<Account>().Where(a => a.Opportunities!.Any(o => o.Amount > 1000)).Select(a => a.Name).ToSoql(),
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE Amount > 1000)"),
        Row("child !Any", q => q.Query<Account>().Where(a => !a.Cases!.Any(c => c.IsEscalated == true)).Select(a => a.Name).ToSoql(),
            "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Case WHERE IsEscalated = true)"));

    public static TheoryData<LinqCase> Projections()
    {
        var tag = "t";
        return Table(
            Row("anonymous type", q => q.Query<Account>().Select(a => new { a.Name, a.Industry }).ToSoql(), "SELECT Name, Industry FROM Account"),
            Row("parent fields", q => q.Query<Contact>().Select(c => new { c.LastName, Company = c.Account!.Name, OwnerName = c.Account.Owner!.Name }).ToSoql(),
                "SELECT LastName, Account.Name, Account.Owner.Name FROM Contact"),
            Row("record constructor", q => q.Query<Contact>().Select(c => new ContactRow(c.Id, c.LastName)).ToSoql(), "SELECT Id, LastName FROM Contact"),
            Row("member init", q => q.Query<Contact>().Select(c => new ContactDto { Name = c.LastName, Email = c.Email, Company = c.Account!.Name }).ToSoql(),
                "SELECT LastName, Email, Account.Name FROM Contact"),
            Row("scalar", q => q.Query<Account>().Select(a => a.Name).ToSoql(), "SELECT Name FROM Account"),
            Row("computed on the client from a field", q => q.Query<Account>().Select(a => a.Name + "!").ToSoql(), "SELECT Name FROM Account"),
            Row("captured value in the projection", q => q.Query<Account>().Select(a => new { a.Name, Tag = tag }).ToSoql(), "SELECT Name FROM Account"),
            Row("no field", q => q.Query<Account>().Select(a => 1).ToSoql(), "SELECT Id FROM Account"),
            Row("field used twice", q => q.Query<Account>().Select(a => new { a.Name, Upper = a.Name!.ToUpperInvariant() }).ToSoql(), "SELECT Name FROM Account"),
            Row("picklist label on the client", q => q.Query<Account>().Select(a => a.Industry!.Value.Label).ToSoql(), "SELECT Industry FROM Account"),
            Row("null test on a parent", q => q.Query<Contact>().Select(c => c.Account == null ? "none" : c.Account.Name).ToSoql(), "SELECT Account.Id, Account.Name FROM Contact"),
            Row("child subquery", q => q.Query<Account>().Select(a => new
            {
                a.Name,
                Contacts = a.Contacts!.Where(c => c.Email != null).OrderBy(c => c.LastName).Take(5).Select(c => new { c.LastName, c.Email }),
            }).ToSoql(), "SELECT Name, (SELECT LastName, Email FROM Contacts WHERE Email != null ORDER BY LastName LIMIT 5) FROM Account"),
            Row("child subquery ToList", q => q.Query<Account>().Select(a => new { a.Name, Deals = a.Opportunities!.Select(o => o.Name).ToList() }).ToSoql(),
                "SELECT Name, (SELECT Name FROM Opportunities) FROM Account"),
            Row("child subquery with a parent path", q => q.Query<Account>().Select(a => new { Owners = a.Opportunities!.Select(o => o.Owner!.Name) }).ToSoql(),
                "SELECT (SELECT Owner.Name FROM Opportunities) FROM Account"),
            Row("two child subqueries", q => q.Query<Account>().Select(a => new { C = a.Contacts!.Select(c => c.LastName), O = a.Opportunities!.OrderByDescending(o => o.Amount).Select(o => o.Amount) }).ToSoql(),
                "SELECT (SELECT LastName FROM Contacts), (SELECT Amount FROM Opportunities ORDER BY Amount DESC) FROM Account"),
            Row("child subquery Skip", q => q.Query<Account>().Select(a => a.Contacts!.Skip(2).Take(3).Select(c => c.LastName)).ToSoql(),
                "SELECT (SELECT LastName FROM Contacts LIMIT 3 OFFSET 2) FROM Account"),
            Row("TYPEOF", q => q.Query<Event>().Select(e => new { e.Subject, WhatName = (e.What as Account)!.Name, Amount = ((Opportunity)e.What!).Amount }).ToSoql(),
                "SELECT Subject, TYPEOF What WHEN Account THEN Name WHEN Opportunity THEN Amount END FROM Event"),
            Row("TYPEOF with an uncast field", q => q.Query<Event>().Select(e => new { WhatId = e.What!.Id, Name = (e.What as Account)!.Name }).ToSoql(),
                "SELECT TYPEOF What WHEN Account THEN Name, Id ELSE Id END FROM Event"),
            Row("toLabel", q => q.Query<Account>().Select(a => new { a.Name, Industry = Soql.ToLabel(a.Industry) }).ToSoql(), "SELECT Name, toLabel(Industry) a0 FROM Account"),
            Row("FORMAT and convertCurrency", q => q.Query<Opportunity>().Select(o => new { Shown = Soql.Format(o.Amount), Mine = Soql.ConvertCurrency(o.Amount) }).ToSoql(),
                "SELECT FORMAT(Amount) a0, convertCurrency(Amount) a1 FROM Opportunity"),
            Row("SelectFields", q => q.Query<Account>().SelectFields(a => new { a.Name, a.Industry }).ToSoql(), "SELECT Id, Name, Industry FROM Account"),
            Row("SelectFields with a parent", q => q.Query<Contact>().SelectFields(c => new { c.LastName, c.Account!.Name }).Where(c => c.Email != null).ToSoql(),
                "SELECT Id, LastName, Account.Name FROM Contact WHERE Email != null"),
            Row("SelectFields one field", q => q.Query<Account>().SelectFields(a => a.Name).ToSoql(), "SELECT Id, Name FROM Account"),
            Row("Select then Where on a projected member", q => q.Query<Account>().Select(a => new { a.Name, Size = a.NumberOfEmployees }).Where(x => x.Size > 10).ToSoql(),
                "SELECT Name, NumberOfEmployees FROM Account WHERE NumberOfEmployees > 10"),
            Row("Select DTO then Where", q => q.Query<Contact>().Select(c => new ContactDto { Name = c.LastName }).Where(d => d.Name == "x").ToSoql(),
                "SELECT LastName FROM Contact WHERE LastName = 'x'"),
            Row("Select then Select", q => q.Query<Contact>().Select(c => new { c.LastName, c.Account }).Select(x => x.Account!.Name).ToSoql(), "SELECT Account.Name FROM Contact"),
            Row("whole record: every generated field", q => q.Query<User>().ToSoql(),
                "SELECT Id, Username, LastName, FirstName, Name, Email, IsActive, ManagerId, AboutMe FROM User"),
            Row("whole record with a filter", q => q.Query<User>().Where(u => u.IsActive == true).OrderBy(u => u.Name).ToSoql(),
                "SELECT Id, Username, LastName, FirstName, Name, Email, IsActive, ManagerId, AboutMe FROM User WHERE IsActive = true ORDER BY Name"),
            Row("whole parent record", q => q.Query<User>().Select(u => u.Manager).ToSoql(),
                "SELECT Manager.Id, Manager.Username, Manager.LastName, Manager.FirstName, Manager.Name, Manager.Email, Manager.IsActive, Manager.ManagerId, Manager.AboutMe FROM User"),
            Row("whole child records", q => q.Query<User>().Select(u => new { u.Name, u.ManagedUsers }).ToSoql(),
                "SELECT Name, (SELECT Id, Username, LastName, FirstName, Name, Email, IsActive, ManagerId, AboutMe FROM ManagedUsers) FROM User"),
            Row("whole child records filtered", q => q.Query<User>().Select(u => u.ManagedUsers!.Where(m => m.IsActive == true)).ToSoql(),
                "SELECT (SELECT Id, Username, LastName, FirstName, Name, Email, IsActive, ManagerId, AboutMe FROM ManagedUsers WHERE IsActive = true) FROM User"),
            Row("SelectFields with whole children", q => q.Query<User>().SelectFields(u => new { u.Name, u.ManagedUsers }).ToSoql(),
                "SELECT Id, Name, (SELECT Id, Username, LastName, FirstName, Name, Email, IsActive, ManagerId, AboutMe FROM ManagedUsers) FROM User"),
            Row("Select then OrderBy projected member", q => q.Query<Account>().Select(a => new { N = a.Name }).OrderBy(x => x.N).ToSoql(), "SELECT Name FROM Account ORDER BY Name"));
    }

    public static TheoryData<LinqCase> Ordering()
    {
        var count = 25;
        return Table(
            Row("OrderBy", q => q.Query<Account>().OrderBy(a => a.Name).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Name"),
            Row("OrderByDescending", q => q.Query<Account>().OrderByDescending(a => a.Name).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Name DESC"),
            Row("ThenBy", q => q.Query<Account>().OrderBy(a => a.Name).ThenByDescending(a => a.CreatedDate).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account ORDER BY Name, CreatedDate DESC"),
            Row("nulls last", q => q.Query<Account>().OrderBy(a => a.Name, SoqlNulls.Last).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Name ASC NULLS LAST"),
            Row("descending nulls first", q => q.Query<Account>().OrderByDescending(a => a.AnnualRevenue, SoqlNulls.First).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account ORDER BY AnnualRevenue DESC NULLS FIRST"),
            Row("ThenBy nulls", q => q.Query<Account>().OrderBy(a => a.Name).ThenBy(a => a.Industry, SoqlNulls.Last).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account ORDER BY Name, Industry ASC NULLS LAST"),
            Row("parent field", q => q.Query<Contact>().OrderBy(c => c.Account!.Name).Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact ORDER BY Account.Name"),
            Row("a later OrderBy sorts first", q => q.Query<Account>().OrderBy(a => a.Name).OrderBy(a => a.Industry).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account ORDER BY Industry, Name"),
            Row("composite key", q => q.Query<Account>().OrderBy(a => new { a.Industry, a.Name }).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Industry, Name"),
            Row("date function", q => q.Query<Opportunity>().OrderBy(o => Soql.CalendarYear(o.CloseDate)).Select(o => o.Id).ToSoql(),
                "SELECT Id FROM Opportunity ORDER BY CALENDAR_YEAR(CloseDate)"),
            Row("Take", q => q.Query<Account>().Take(10).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account LIMIT 10"),
            Row("Take captured", q => q.Query<Account>().OrderBy(a => a.Name).Take(count).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Name LIMIT 25"),
            Row("Skip", q => q.Query<Account>().OrderBy(a => a.Name).Skip(20).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Name OFFSET 20"),
            Row("Skip then Take", q => q.Query<Account>().OrderBy(a => a.Name).Skip(20).Take(10).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Name LIMIT 10 OFFSET 20"),
            Row("Take then Skip", q => q.Query<Account>().OrderBy(a => a.Name).Take(10).Skip(4).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account ORDER BY Name LIMIT 6 OFFSET 4"),
            Row("Take then Take", q => q.Query<Account>().Take(10).Take(5).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account LIMIT 5"),
            Row("Skip then Skip", q => q.Query<Account>().Skip(5).Skip(5).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account OFFSET 10"),
            Row("Take 0", q => q.Query<Account>().Take(0).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account LIMIT 0"),
            Row("Select after Take", q => q.Query<Account>().Take(3).Select(a => a.Name).ToSoql(), "SELECT Name FROM Account LIMIT 3"));
    }

    public static TheoryData<LinqCase> Grouping() => Table(
        Row("Count per key", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => new { Stage = g.Key, Count = g.Count() }).ToSoql(),
            "SELECT StageName a0, COUNT(Id) a1 FROM Opportunity GROUP BY StageName"),
        Row("aggregates", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => new
        {
            g.Key,
            Total = g.Sum(o => o.Amount),
            Mean = g.Average(o => o.Amount),
            First = g.Min(o => o.CloseDate),
            Largest = g.Max(o => o.Amount),
        }).ToSoql(), "SELECT StageName a0, SUM(Amount) a1, AVG(Amount) a2, MIN(CloseDate) a3, MAX(Amount) a4 FROM Opportunity GROUP BY StageName"),
        Row("CountDistinct", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => new { g.Key, Accounts = g.CountDistinct(o => o.AccountId) }).ToSoql(),
            "SELECT StageName a0, COUNT_DISTINCT(AccountId) a1 FROM Opportunity GROUP BY StageName"),
        Row("composite key", q => q.Query<Opportunity>().GroupBy(o => new { o.StageName, o.Type }).Select(g => new { g.Key.StageName, g.Key.Type, N = g.Count() }).ToSoql(),
            "SELECT StageName a0, Type a1, COUNT(Id) a2 FROM Opportunity GROUP BY StageName, Type"),
        Row("whole composite key", q => q.Query<Opportunity>().GroupBy(o => new { o.StageName, o.Type }).Select(g => g.Key).ToSoql(),
            "SELECT StageName a0, Type a1 FROM Opportunity GROUP BY StageName, Type"),
        Row("date function key", q => q.Query<Opportunity>().GroupBy(o => Soql.CalendarYear(o.CloseDate)).Select(g => new { Year = g.Key, N = g.Count() }).ToSoql(),
            "SELECT CALENDAR_YEAR(CloseDate) a0, COUNT(Id) a1 FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate)"),
        Row("parent key", q => q.Query<Contact>().GroupBy(c => c.Account!.Industry).Select(g => new { g.Key, N = g.Count() }).ToSoql(),
            "SELECT Account.Industry a0, COUNT(Id) a1 FROM Contact GROUP BY Account.Industry"),
        Row("Where before GroupBy", q => q.Query<Opportunity>().Where(o => o.IsClosed == false).GroupBy(o => o.StageName).Select(g => new { g.Key, N = g.Count() }).ToSoql(),
            "SELECT StageName a0, COUNT(Id) a1 FROM Opportunity WHERE IsClosed = false GROUP BY StageName"),
        Row("HAVING", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Where(g => g.Count() > 1).Select(g => new { g.Key, N = g.Count() }).ToSoql(),
            "SELECT StageName a0, COUNT(Id) a1 FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 1"),
        Row("HAVING on the key", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Where(g => g.Key != null && g.Sum(o => o.Amount) >= 100).Select(g => g.Key).ToSoql(),
            "SELECT StageName a0 FROM Opportunity GROUP BY StageName HAVING StageName != null AND SUM(Amount) >= 100"),
        Row("order by an aggregate", q => q.Query<Opportunity>().GroupBy(o => o.StageName).OrderByDescending(g => g.Count()).Select(g => g.Key).ToSoql(),
            "SELECT StageName a0 FROM Opportunity GROUP BY StageName ORDER BY COUNT(Id) DESC"),
        Row("order by a projected aggregate", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => new { g.Key, N = g.Count() }).OrderByDescending(x => x.N).ThenBy(x => x.Key).ToSoql(),
            "SELECT StageName a0, COUNT(Id) a1 FROM Opportunity GROUP BY StageName ORDER BY COUNT(Id) DESC, StageName"),
        Row("Take groups", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => new { g.Key, N = g.Count() }).Take(3).ToSoql(),
            "SELECT StageName a0, COUNT(Id) a1 FROM Opportunity GROUP BY StageName LIMIT 3"),
        Row("the docs' example", q => q.Query<Opportunity>()
                .Where(o => o.IsClosed == false)
                .GroupBy(o => o.StageName)
                .Where(g => g.Count() > 1)
                .Select(g => new { Stage = g.Key, Count = g.Count(), Total = g.Sum(o => o.Amount), Accounts = g.CountDistinct(o => o.AccountId) })
                .OrderByDescending(x => x.Count)
                .ToSoql(),
            "SELECT StageName a0, COUNT(Id) a1, SUM(Amount) a2, COUNT_DISTINCT(AccountId) a3 FROM Opportunity WHERE IsClosed = false GROUP BY StageName HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC"),
        Row("same aggregate twice", q => q.Query<Opportunity>().GroupBy(o => o.StageName).Select(g => new { A = g.Count(), B = g.Count() * 2 }).ToSoql(),
            "SELECT COUNT(Id) a0 FROM Opportunity GROUP BY StageName"));

    public static TheoryData<LinqCase> Options() => Table(
        Row("WITH SECURITY_ENFORCED", q => q.Query<Account>().Where(a => a.Name != null).WithSecurityEnforced().Select(a => a.Id).ToSoql(),
            "SELECT Id FROM Account WHERE Name != null WITH SECURITY_ENFORCED"),
        Row("WITH USER_MODE", q => q.Query<Account>().WithUserMode().Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WITH USER_MODE"),
        Row("WITH SYSTEM_MODE", q => q.Query<Account>().WithSystemMode().Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WITH SYSTEM_MODE"),
        Row("FOR UPDATE", q => q.Query<Account>().Where(a => a.Name == "A").Take(1).ForUpdate().Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'A' LIMIT 1 FOR UPDATE"),
        Row("FOR VIEW", q => q.Query<Account>().ForView().Select(a => a.Id).ToSoql(), "SELECT Id FROM Account FOR VIEW"),
        Row("FOR REFERENCE", q => q.Query<Account>().ForReference().Select(a => a.Id).ToSoql(), "SELECT Id FROM Account FOR REFERENCE"),
        Row("IncludeDeleted keeps the text", q => q.Query<Account>().IncludeDeleted().Where(a => a.IsDeleted == true).Select(a => a.Id).ToSoql(),
            "SELECT Id FROM Account WHERE IsDeleted = true"),
        Row("WithBatchSize keeps the text", q => q.Query<Account>().WithBatchSize(500).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account"),
        Row("security with group", q => q.Query<Opportunity>().WithSecurityEnforced().GroupBy(o => o.StageName).Select(g => g.Key).ToSoql(),
            "SELECT StageName a0 FROM Opportunity WITH SECURITY_ENFORCED GROUP BY StageName"));
}
