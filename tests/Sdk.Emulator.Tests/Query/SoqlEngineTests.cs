using System.Net;
using System.Text.Json;
using Sdk.Emulator.Tests.TestSupport;

namespace Sdk.Emulator.Tests.Query;

/// <summary>The SOQL engine over a known data set: every construct of the issue, checked by its results.</summary>
public class SoqlEngineTests(SampleOrg sample) : IClassFixture<SampleOrg>
{
    private OrgHttp Http => sample.Http;

    private string Id(string name) => sample.Ids[name];

    private async Task<List<string?>> Column(string soql, string field = "Name")
        => [.. (await Http.RecordsAsync(soql)).Select(r => r.GetProperty(field).ValueKind == JsonValueKind.Null ? null : r.GetProperty(field).ToString())];

    [Fact]
    public async Task FieldList_ReturnsSelectedFieldsInOrder_WithAttributes_AndNulls()
    {
        var records = await Http.RecordsAsync("select name, industry, annualrevenue, Description from account where Name = 'Initech'");
        var record = Assert.Single(records);
        Assert.Equal(["attributes", "Name", "Industry", "AnnualRevenue", "Description"], record.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Account", record.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal($"/services/data/v66.0/sobjects/Account/{Id("Initech")}", record.GetProperty("attributes").GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("Industry").ValueKind);
    }

    [Fact]
    public async Task Values_UseSalesforceWireFormats()
    {
        var lee = Assert.Single(await Http.RecordsAsync($"SELECT Birthdate, CreatedDate, IsDeleted, Account.NumberOfEmployees FROM Contact WHERE Id = '{Id("Lee")}'"));
        Assert.Equal("1990-05-01", lee.GetProperty("Birthdate").GetString());
        Assert.Equal("2024-06-15T12:00:00.000+0000", lee.GetProperty("CreatedDate").GetString());
        Assert.Equal(JsonValueKind.False, lee.GetProperty("IsDeleted").ValueKind);
        Assert.Equal("100", lee.GetProperty("Account").GetProperty("NumberOfEmployees").GetRawText());
    }

    [Fact]
    public async Task ParentPaths_NestRecords_ThroughSeveralLevels()
    {
        var lee = Assert.Single(await Http.RecordsAsync($"SELECT LastName, Account.Name, Account.Owner.Name, Account.Owner.Manager.Name FROM Contact WHERE Id = '{Id("Lee")}'"));
        var account = lee.GetProperty("Account");
        Assert.Equal("Account", account.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("Acme", account.GetProperty("Name").GetString());
        Assert.Equal("Sam Staff", account.GetProperty("Owner").GetProperty("Name").GetString());
        Assert.Equal("Mia Manager", account.GetProperty("Owner").GetProperty("Manager").GetProperty("Name").GetString());
    }

    [Fact]
    public async Task MissingParent_IsNull()
    {
        var orphan = Assert.Single(await Http.RecordsAsync($"SELECT LastName, Account.Name, Account.Owner.Name FROM Contact WHERE Id = '{Id("Orphan")}'"));
        Assert.Equal(JsonValueKind.Null, orphan.GetProperty("Account").ValueKind);
    }

    [Fact]
    public async Task PolymorphicParents_ResolveByTheReferencedType()
    {
        var tasks = await Http.RecordsAsync("SELECT Subject, What.Name, What.Type, Who.Name FROM Task WHERE What.Type != null ORDER BY Subject");
        Assert.Equal(2, tasks.Length);
        Assert.Equal(("Acme", "Account"), (tasks[0].GetProperty("What").GetProperty("Name").GetString(), tasks[0].GetProperty("What").GetProperty("Type").GetString()));
        Assert.Equal("Ada Lee", tasks[0].GetProperty("Who").GetProperty("Name").GetString());
        Assert.Equal(("O1", "Opportunity"), (tasks[1].GetProperty("What").GetProperty("Name").GetString(), tasks[1].GetProperty("What").GetProperty("Type").GetString()));
        Assert.Equal(JsonValueKind.Null, tasks[1].GetProperty("Who").ValueKind);
    }

    [Fact]
    public async Task TypeOf_PicksTheBranchOfTheActualType()
    {
        var tasks = await Http.RecordsAsync("SELECT Subject, TYPEOF What WHEN Account THEN Name, Industry WHEN Opportunity THEN Amount, StageName ELSE Id END FROM Task ORDER BY Subject, CreatedDate");
        var account = tasks.Single(t => t.GetProperty("What").ValueKind == JsonValueKind.Object && t.GetProperty("What").GetProperty("attributes").GetProperty("type").GetString() == "Account").GetProperty("What");
        Assert.Equal(["attributes", "Name", "Industry"], account.EnumerateObject().Select(p => p.Name));
        var opportunity = tasks.Single(t => t.GetProperty("What").ValueKind == JsonValueKind.Object && t.GetProperty("What").GetProperty("attributes").GetProperty("type").GetString() == "Opportunity").GetProperty("What");
        Assert.Equal(["attributes", "Amount", "StageName"], opportunity.EnumerateObject().Select(p => p.Name));
        Assert.Contains(tasks, t => t.GetProperty("What").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task ChildSubquery_ReturnsAQueryResult_OrNullWithoutChildren()
    {
        var accounts = await Http.RecordsAsync("SELECT Name, (SELECT LastName FROM Contacts WHERE Email != null ORDER BY LastName DESC LIMIT 5) FROM Account WHERE Name IN ('Acme', 'Initech') ORDER BY Name");
        var contacts = accounts[0].GetProperty("Contacts");
        Assert.Equal(1, contacts.GetProperty("totalSize").GetInt32());
        Assert.True(contacts.GetProperty("done").GetBoolean());
        Assert.Equal("Lee", contacts.GetProperty("records")[0].GetProperty("LastName").GetString());
        Assert.Equal(JsonValueKind.Null, accounts[1].GetProperty("Contacts").ValueKind);
    }

    [Fact]
    public async Task ChildSubquery_OfADerivedRelationship()
    {
        var acme = Assert.Single(await Http.RecordsAsync("SELECT Name, (SELECT Name, Amount__c FROM Invoices__r) FROM Account WHERE Name = 'Acme'"));
        Assert.Equal("I1", acme.GetProperty("Invoices__r").GetProperty("records")[0].GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData("SELECT Name FROM Account WHERE Name = 'acme'", "Acme")]
    [InlineData("SELECT Name FROM Account WHERE Name != 'Acme' AND Name != 'Globex' ORDER BY Name", "ACME Labs 50%_off,Initech")]
    [InlineData("SELECT Name FROM Account WHERE AnnualRevenue > 600000", "Acme")]
    [InlineData("SELECT Name FROM Account WHERE AnnualRevenue >= 500000 ORDER BY Name", "Acme,Globex")]
    [InlineData("SELECT Name FROM Account WHERE NumberOfEmployees < 50", "ACME Labs 50%_off")]
    [InlineData("SELECT Name FROM Account WHERE NumberOfEmployees <= 50 ORDER BY Name", "ACME Labs 50%_off,Globex")]
    [InlineData("SELECT Name FROM Account WHERE Industry = null ORDER BY Name", "ACME Labs 50%_off,Initech")]
    [InlineData("SELECT Name FROM Account WHERE Industry != null ORDER BY Name", "Acme,Globex")]
    [InlineData("SELECT Name FROM Account WHERE Name LIKE 'ac%' ORDER BY Name", "Acme,ACME Labs 50%_off")]
    [InlineData("SELECT Name FROM Account WHERE Name LIKE '%50\\%\\_off'", "ACME Labs 50%_off")]
    [InlineData("SELECT Name FROM Account WHERE Name LIKE 'G_obex'", "Globex")]
    [InlineData("SELECT Name FROM Account WHERE Name IN ('acme', 'GLOBEX') ORDER BY Name", "Acme,Globex")]
    [InlineData("SELECT Name FROM Account WHERE Industry NOT IN ('Banking') ORDER BY Name", "ACME Labs 50%_off,Globex,Initech")]
    [InlineData("SELECT Name FROM Account WHERE Industry = 'Banking' OR Rating = 'Cold' ORDER BY Name", "Acme,Globex")]
    [InlineData("SELECT Name FROM Account WHERE NOT Name LIKE 'A%' ORDER BY Name", "Globex,Initech")]
    [InlineData("SELECT Name FROM Account WHERE (Industry = 'Banking' OR Industry = 'Energy') AND NumberOfEmployees > 60", "Acme")]
    [InlineData("SELECT Name FROM Account WHERE Parent.Name = 'Acme' ORDER BY Name", "ACME Labs 50%_off,Initech")]
    [InlineData("SELECT Name FROM Account WHERE Owner.Manager.LastName = 'Manager'", "Acme")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate = TODAY", "O1")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate > TODAY", "O3")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate < THIS_MONTH ORDER BY Name", "O2,O4")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:45 ORDER BY Name", "O1,O2")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:30", "O3")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate = LAST_YEAR", "O4")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate = THIS_QUARTER ORDER BY Name", "O1,O2")]
    [InlineData("SELECT Name FROM Opportunity WHERE CloseDate >= 2024-06-01 AND CloseDate <= 2024-07-31 ORDER BY Name", "O1,O3")]
    [InlineData("SELECT Name FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2023", "O4")]
    [InlineData("SELECT Name FROM Account WHERE CreatedDate = TODAY AND CreatedDate > 2024-06-15T11:59:59Z AND CreatedDate < 2024-06-15T12:00:01+00:00 AND Name = 'Acme'", "Acme")]
    [InlineData("SELECT Name FROM Invoice__c WHERE Tags__c INCLUDES ('Disputed') ORDER BY Name", "I1,I2")]
    [InlineData("SELECT Name FROM Invoice__c WHERE Tags__c INCLUDES ('Urgent;Disputed', 'nothing')", "I1")]
    [InlineData("SELECT Name FROM Invoice__c WHERE Tags__c EXCLUDES ('Urgent') ORDER BY Name", "I2,I3")]
    [InlineData("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Won') ORDER BY Name", "Acme,Globex")]
    [InlineData("SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) ORDER BY Name", "ACME Labs 50%_off,Initech")]
    [InlineData("SELECT Name FROM Account WHERE Id IN (SELECT Account__c FROM Invoice__c WHERE Amount__c > 15)", "Globex")]
    [InlineData("SELECT Name FROM Opportunity WHERE Amount > USD150 ORDER BY Name", "O2,O3")]
    [InlineData("SELECT Name FROM Account ORDER BY Name DESC LIMIT 2", "Initech,Globex")]
    [InlineData("SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1", "ACME Labs 50%_off,Globex")]
    [InlineData("SELECT Name FROM Account ORDER BY Industry NULLS LAST, Name", "Acme,Globex,ACME Labs 50%_off,Initech")]
    [InlineData("SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST, Name", "ACME Labs 50%_off,Initech,Globex,Acme")]
    [InlineData("SELECT Name FROM Account ORDER BY AnnualRevenue DESC, Name", "Acme,Globex,ACME Labs 50%_off,Initech")]
    [InlineData("SELECT Name FROM Opportunity ORDER BY Account.Name, Name", "O1,O2,O3,O4")]
    [InlineData("SELECT Name FROM Account a WHERE a.Industry = 'Banking'", "Acme")]
    public async Task Where_Order_Limit(string soql, string expected)
        => Assert.Equal(expected.Split(','), await Column(soql));

    [Fact]
    public async Task StringLiterals_ResolveEscapes()
        => Assert.Equal(["O'Hara"], await Column("SELECT LastName FROM Contact WHERE LastName = 'O\\'Hara'", "LastName"));

    [Fact]
    public async Task Ids_Of15And18Characters_CompareEqual()
    {
        var id18 = Id("Acme");
        Assert.Equal(["Acme"], await Column($"SELECT Name FROM Account WHERE Id = '{id18[..15]}'"));
        Assert.Equal(["Acme"], await Column($"SELECT Name FROM Account WHERE Id IN ('{id18}')"));
    }

    [Fact]
    public async Task CountOnly_ReturnsTotalSizeAndNoRecords()
    {
        var response = await Http.QueryAsync("SELECT COUNT() FROM Account WHERE Industry != null");
        Assert.Equal(2, response.Json.GetProperty("totalSize").GetInt32());
        Assert.Equal(0, response.Json.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task Aggregates_WithGroupByAndHaving_UseExprAliases()
    {
        var rows = await Http.RecordsAsync("SELECT StageName, COUNT(Id), SUM(Amount), MAX(CloseDate) latest FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 1 ORDER BY StageName");
        Assert.Equal(2, rows.Length);
        Assert.Equal(["attributes", "StageName", "expr0", "expr1", "latest"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("AggregateResult", rows[0].GetProperty("attributes").GetProperty("type").GetString());
        Assert.False(rows[0].GetProperty("attributes").TryGetProperty("url", out _));
        Assert.Equal(("Closed Won", 2, 500m, "2024-07-10"), (rows[0].GetProperty("StageName").GetString(), rows[0].GetProperty("expr0").GetInt32(), rows[0].GetProperty("expr1").GetDecimal(), rows[0].GetProperty("latest").GetString()));
        Assert.Equal(("Prospecting", 2, 100m), (rows[1].GetProperty("StageName").GetString(), rows[1].GetProperty("expr0").GetInt32(), rows[1].GetProperty("expr1").GetDecimal()));
    }

    [Fact]
    public async Task Aggregates_WithoutGroupBy_GiveOneRow()
    {
        var row = Assert.Single(await Http.RecordsAsync("SELECT COUNT(Id), COUNT(Amount), COUNT_DISTINCT(StageName), AVG(Amount), MIN(Amount) FROM Opportunity"));
        Assert.Equal(4, row.GetProperty("expr0").GetInt32());
        Assert.Equal(3, row.GetProperty("expr1").GetInt32());
        Assert.Equal(2, row.GetProperty("expr2").GetInt32());
        Assert.Equal(200m, row.GetProperty("expr3").GetDecimal());
        Assert.Equal(100m, row.GetProperty("expr4").GetDecimal());
    }

    [Fact]
    public async Task Aggregates_GroupByParentAndDateFunction()
    {
        var rows = await Http.RecordsAsync("SELECT Account.Name, CALENDAR_YEAR(CloseDate) y, COUNT(Id) n FROM Opportunity GROUP BY Account.Name, CALENDAR_YEAR(CloseDate) ORDER BY Account.Name, CALENDAR_YEAR(CloseDate)");
        Assert.Equal([("Acme", 2024, 2), ("Globex", 2023, 1), ("Globex", 2024, 1)],
            rows.Select(r => (r.GetProperty("Name").GetString(), r.GetProperty("y").GetInt32(), r.GetProperty("n").GetInt32())));
    }

    [Fact]
    public async Task QueryAll_IncludesDeletedRecords()
    {
        Assert.DoesNotContain("Gone Inc", await Column("SELECT Name FROM Account"));
        var all = await Http.RecordsAsync("SELECT Name, IsDeleted FROM Account WHERE Name = 'Gone Inc'", all: true);
        Assert.True(Assert.Single(all).GetProperty("IsDeleted").GetBoolean());
    }

    [Fact]
    public async Task ServerFunctions_ToLabelFormatConvertCurrency()
    {
        var row = Assert.Single(await Http.RecordsAsync("SELECT toLabel(Industry), FORMAT(AnnualRevenue) shown, convertCurrency(AnnualRevenue) mine FROM Account WHERE Name = 'Acme'"));
        Assert.Equal("Banking", row.GetProperty("Industry").GetString());
        Assert.Equal("USD 1,000,000.00", row.GetProperty("shown").GetString());
        Assert.Equal(1_000_000m, row.GetProperty("mine").GetDecimal());
    }

    [Fact]
    public async Task CompoundAddress_IsReturnedAsAnObject()
    {
        var row = Assert.Single(await Http.RecordsAsync("SELECT BillingAddress FROM Account WHERE Name = 'Acme'"));
        Assert.Equal("Paris", row.GetProperty("BillingAddress").GetProperty("city").GetString());
        Assert.Equal("France", row.GetProperty("BillingAddress").GetProperty("country").GetString());
    }

    [Fact]
    public async Task UsingScopeMine_FiltersByOwner()
    {
        Assert.Equal(["Initech"], await Column("SELECT Name FROM Account USING SCOPE Mine WHERE Name = 'Initech'"));
        Assert.Empty(await Column("SELECT Name FROM Account USING SCOPE Mine WHERE Name = 'Acme'"));
    }

    [Theory]
    [InlineData("SELEKT Id FROM Account", "MALFORMED_QUERY", "unexpected token: SELEKT")]
    [InlineData("SELECT Id FROM Account WHERE", "MALFORMED_QUERY", "unexpected token: '<EOF>'")]
    [InlineData("SELECT Id, Bacon__c FROM Account LIMIT 2", "INVALID_FIELD", "\nSELECT Id, Bacon__c FROM Account LIMIT 2\n           ^\nERROR at Row:1:Column:12\nNo such column 'Bacon__c' on entity 'Account'.")]
    [InlineData("SELECT Id FROM Accnt", "INVALID_TYPE", "ERROR at Row:1:Column:16\nsObject type 'Accnt' is not supported.")]
    [InlineData("SELECT Acct.Name FROM Contact", "INVALID_FIELD", "Didn't understand relationship 'Acct' in field path.")]
    [InlineData("SELECT Id FROM Account\nWHERE Nope = 1", "INVALID_FIELD", "ERROR at Row:2:Column:7\nNo such column 'Nope'")]
    [InlineData("SELECT Id FROM Account WHERE NumberOfEmployees = '5'", "INVALID_FIELD", "must be of type double and should not be enclosed in quotes")]
    [InlineData("SELECT Id FROM Account WHERE Name = 5", "INVALID_FIELD", "must be of type string and should be enclosed in quotes")]
    [InlineData("SELECT Id FROM Account WHERE CreatedDate = 2024-01-01", "INVALID_FIELD", "must be of type dateTime")]
    [InlineData("SELECT Id FROM Account WHERE Description = 'x'", "INVALID_FIELD", "field 'Description' can not be filtered in a query call")]
    [InlineData("SELECT Name, COUNT(Id) FROM Account GROUP BY Industry", "MALFORMED_QUERY", "Field must be grouped or aggregated: Name")]
    [InlineData("SELECT Id FROM Account WHERE Industry INCLUDES ('Banking')", "INVALID_QUERY_FILTER_OPERATOR", "multipicklist")]
    [InlineData("SELECT Id FROM Account LIMIT 5 OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000")]
    public async Task Errors_NameTheTokenAndPosition(string soql, string code, string message)
    {
        var response = await Http.QueryAsync(soql);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var (actualCode, actualMessage) = response.Error;
        Assert.Equal(code, actualCode);
        Assert.Contains(message, actualMessage);
    }

    [Fact]
    public async Task Paging_FollowsNextRecordsUrl_WithBatchSize()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        await org.GenerateAsync("Account", 450);
        var response = await http.SendAsync(HttpMethod.Get, OrgHttp.Data("query/?q=" + Uri.EscapeDataString("SELECT Id, Name FROM Account ORDER BY Name")),
            configure: r => r.Headers.Add("Sforce-Query-Options", "batchSize=200"));
        var names = new List<string>();
        var pages = 0;
        while (true)
        {
            pages++;
            var json = response.Json;
            Assert.Equal(450, json.GetProperty("totalSize").GetInt32());
            names.AddRange(json.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()!));
            if (json.GetProperty("done").GetBoolean())
            {
                Assert.False(json.TryGetProperty("nextRecordsUrl", out _));
                break;
            }

            var next = json.GetProperty("nextRecordsUrl").GetString()!;
            Assert.StartsWith("/services/data/v66.0/query/01g", next);
            response = await http.GetAsync(next);
        }

        Assert.Equal(3, pages);
        Assert.Equal(450, names.Distinct().Count());
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
    }

    [Fact]
    public async Task Paging_DefaultsTo2000_AndRejectsAnUnknownLocator()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        await org.GenerateAsync("Contact", 2001);
        var first = await http.QueryAsync("SELECT Id FROM Contact");
        Assert.Equal(2000, first.Json.GetProperty("records").GetArrayLength());
        var last = await http.GetAsync(first.Json.GetProperty("nextRecordsUrl").GetString()!);
        Assert.Equal(1, last.Json.GetProperty("records").GetArrayLength());
        var unknown = await http.GetAsync(OrgHttp.Data("query/01gNOPE-2000"));
        Assert.Equal(("INVALID_QUERY_LOCATOR", "invalid query locator"), unknown.Error);
    }
}
