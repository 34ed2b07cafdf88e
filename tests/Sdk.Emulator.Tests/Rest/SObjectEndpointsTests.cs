using System.Globalization;
using System.Net;
using System.Text.Json;
using Sdk.Emulator.Tests.TestSupport;
using Sdk.Runtime.Records;

namespace Sdk.Emulator.Tests.Rest;

/// <summary>sObject CRUD, upsert, getUpdated/getDeleted, describe and the resource lists, on the wire.</summary>
public sealed class SObjectEndpointsTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private LocalOrg _org = null!;
    private OrgHttp _http = null!;

    public async Task InitializeAsync()
    {
        _org = await LocalOrg.StartAsync(new LocalOrgOptions { TimeProvider = _clock });
        _http = new OrgHttp(_org);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _org.DisposeAsync();
    }

    [Fact]
    public async Task Create_Returns201WithAnIdOfTheObjectsPrefix_AndSetsAuditFields()
    {
        var response = await _http.SendAsync(HttpMethod.Post, OrgHttp.Data("sobjects/Account/"), """{"Name":"Acme","attributes":{"type":"Account"}}""");
        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(["id", "success", "errors"], response.Json.EnumerateObject().Select(p => p.Name));
        var id = response.Json.GetProperty("id").GetString()!;
        Assert.True(SalesforceId.TryParse(id, out var parsed));
        Assert.Equal("001", parsed.KeyPrefix);
        Assert.Equal(18, id.Length);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var record = (await _http.GetAsync(OrgHttp.Data($"sobjects/Account/{id}"))).Json;
        Assert.Equal("2024-06-15T12:00:00.000+0000", record.GetProperty("CreatedDate").GetString());
        Assert.Equal(_org.UserId, record.GetProperty("CreatedById").GetString());
        Assert.Equal(_org.UserId, record.GetProperty("OwnerId").GetString());
        Assert.False(record.GetProperty("IsDeleted").GetBoolean());
    }

    [Fact]
    public async Task Get_ReturnsEveryField_OrTheListedOnes()
    {
        var id = await _http.CreateAsync("Contact", new { FirstName = "Ada", LastName = "Lovelace" });
        var all = (await _http.GetAsync(OrgHttp.Data($"sobjects/Contact/{id}"))).Json;
        Assert.Equal("Ada Lovelace", all.GetProperty("Name").GetString());
        Assert.True(all.EnumerateObject().Count() > 40);
        var some = (await _http.GetAsync(OrgHttp.Data($"sobjects/Contact/{id}?fields=LastName,Email"))).Json;
        Assert.Equal(["attributes", "LastName", "Email", "Id"], some.EnumerateObject().Select(p => p.Name));
        var bad = await _http.GetAsync(OrgHttp.Data($"sobjects/Contact/{id}?fields=Nope"));
        Assert.Equal(("INVALID_FIELD", "No such column 'Nope' on sobject of type Contact"), bad.Error);
    }

    [Fact]
    public async Task Update_Returns204_AndChangesOnlyTheGivenFields()
    {
        var id = await _http.CreateAsync("Account", new { Name = "Before", Phone = "1" });
        _clock.Advance(TimeSpan.FromHours(1));
        var response = await _http.SendAsync(HttpMethod.Patch, OrgHttp.Data($"sobjects/Account/{id}"), """{"Name":"After"}""");
        Assert.Equal(HttpStatusCode.NoContent, response.Status);
        var record = (await _http.GetAsync(OrgHttp.Data($"sobjects/Account/{id}?fields=Name,Phone,LastModifiedDate,CreatedDate"))).Json;
        Assert.Equal(("After", "1"), (record.GetProperty("Name").GetString(), record.GetProperty("Phone").GetString()));
        Assert.Equal("2024-06-15T13:00:00.000+0000", record.GetProperty("LastModifiedDate").GetString());
        Assert.Equal("2024-06-15T12:00:00.000+0000", record.GetProperty("CreatedDate").GetString());
    }

    [Fact]
    public async Task Delete_IsSoft_ThenNotFound_ThenEntityIsDeleted()
    {
        var id = await _http.CreateAsync("Account", new { Name = "Doomed" });
        Assert.Equal(HttpStatusCode.NoContent, (await _http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"sobjects/Account/{id}"))).Status);
        Assert.Equal(("NOT_FOUND", "The requested resource does not exist"), (await _http.GetAsync(OrgHttp.Data($"sobjects/Account/{id}"))).Error);
        var again = await _http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"sobjects/Account/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal(("ENTITY_IS_DELETED", "entity is deleted"), again.Error);
        Assert.Equal(0, again.Json[0].GetProperty("fields").GetArrayLength());
        var all = await _http.RecordsAsync($"SELECT Id, IsDeleted FROM Account WHERE Id = '{id}'", all: true);
        Assert.True(Assert.Single(all).GetProperty("IsDeleted").GetBoolean());
    }

    [Fact]
    public async Task Upsert_Creates201_Updates200_AndFindsSeveral300()
    {
        var created = await _http.SendAsync(HttpMethod.Patch, OrgHttp.Data("sobjects/Invoice__c/External_Id__c/X-1"), """{"Name":"First"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.True(created.Json.GetProperty("created").GetBoolean());
        var id = created.Json.GetProperty("id").GetString();

        var updated = await _http.SendAsync(HttpMethod.Patch, OrgHttp.Data("sobjects/Invoice__c/External_Id__c/x-1"), """{"Name":"Second"}""");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.False(updated.Json.GetProperty("created").GetBoolean());
        Assert.Equal(id, updated.Json.GetProperty("id").GetString());
        var byExternal = (await _http.GetAsync(OrgHttp.Data("sobjects/Invoice__c/External_Id__c/X-1"))).Json;
        Assert.Equal(("Second", "X-1"), (byExternal.GetProperty("Name").GetString(), byExternal.GetProperty("External_Id__c").GetString()));

        // A second record with the same external id (external ids here are not unique): 300 with both URLs.
        await _http.CreateAsync("Invoice__c", new { Name = "Twin", External_Id__c = "X-1" });
        var several = await _http.SendAsync(HttpMethod.Patch, OrgHttp.Data("sobjects/Invoice__c/External_Id__c/X-1"), """{"Name":"Third"}""");
        Assert.Equal(HttpStatusCode.MultipleChoices, several.Status);
        Assert.Equal(2, several.Json.GetArrayLength());
        Assert.All(several.Json.EnumerateArray(), url => Assert.StartsWith("/services/data/v66.0/sobjects/Invoice__c/a0I", url.GetString()));
        Assert.Equal(HttpStatusCode.MultipleChoices, (await _http.GetAsync(OrgHttp.Data("sobjects/Invoice__c/External_Id__c/X-1"))).Status);
    }

    [Fact]
    public async Task Upsert_OnAFieldThatIsNotAnExternalId_Is404()
    {
        var response = await _http.SendAsync(HttpMethod.Patch, OrgHttp.Data("sobjects/Invoice__c/Name/whatever"), """{"Name":"x"}""");
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal(("NOT_FOUND", "Provided external ID field does not exist or is not accessible: Name"), response.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(OrgHttp.Data("sobjects/Invoice__c/External_Id__c/missing"))).Status);
    }

    [Fact]
    public async Task ParentByExternalId_LinksTheLookup()
    {
        await _http.SendAsync(HttpMethod.Patch, OrgHttp.Data("sobjects/Invoice__c/External_Id__c/PARENT"), """{"Name":"Parent"}""");
        var task = await _http.CreateAsync("Task", new { Subject = "Call" });
        Assert.NotNull(task);
        var missing = await _http.SendAsync(HttpMethod.Post, OrgHttp.Data("sobjects/Task/"), """{"Subject":"Call","What":{"attributes":{"type":"Invoice__c"},"External_Id__c":"NOPE"}}""");
        Assert.Equal(("INVALID_FIELD", "Foreign key external ID: NOPE not found for field External_Id__c in entity Invoice__c"), missing.Error);
        var linked = await _http.SendAsync(HttpMethod.Post, OrgHttp.Data("sobjects/Task/"), """{"Subject":"Call","What":{"attributes":{"type":"Invoice__c"},"External_Id__c":"PARENT"}}""");
        Assert.Equal(HttpStatusCode.Created, linked.Status);
        var row = Assert.Single(await _http.RecordsAsync($"SELECT What.Name FROM Task WHERE Id = '{linked.Json.GetProperty("id").GetString()}'"));
        Assert.Equal("Parent", row.GetProperty("What").GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData("Account", """{"Nope__c":"x","Name":"a"}""", "INVALID_FIELD", "No such column 'Nope__c' on sobject of type Account", null)]
    [InlineData("Account", """{"CreatedDate":"2024-01-01T00:00:00Z","Name":"a"}""", "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: CreatedDate.", "CreatedDate")]
    [InlineData("Account", """{"Id":"001000000000001AAA","Name":"a"}""", "INVALID_FIELD_FOR_INSERT_UPDATE", "Record ID: cannot specify Id in an insert call", "Id")]
    [InlineData("Opportunity", """{"Name":"a"}""", "REQUIRED_FIELD_MISSING", "Required fields are missing: [StageName, CloseDate]", "StageName")]
    [InlineData("Account", """{"Name":null}""", "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", "Name")]
    [InlineData("Account", """{"Name":"a","BillingCity":"0123456789012345678901234567890123456789X"}""", "STRING_TOO_LONG", "Billing City: data value too large: 0123456789012345678901234567890123456789X (max length=40)", "BillingCity")]
    [InlineData("Invoice__c", """{"Name":"a","Status__c":"Terrible"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Status: bad value for restricted picklist field: Terrible", "Status__c")]
    [InlineData("Invoice__c", """{"Name":"a","Region__c":"North","Territory__c":"Rome"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Territory: bad value for restricted picklist field: Rome", "Territory__c")]
    [InlineData("Contact", """{"LastName":"a","AccountId":"nonsense"}""", "MALFORMED_ID", "Account ID: id value of incorrect type: nonsense", "AccountId")]
    [InlineData("Contact", """{"LastName":"a","AccountId":"003000000000001AAA"}""", "FIELD_INTEGRITY_EXCEPTION", "id value of incorrect type", "AccountId")]
    [InlineData("Account", """{"Name":"a","NumberOfEmployees":"many"}""", "JSON_PARSER_ERROR", "Cannot deserialize instance of int from VALUE_STRING value many", null)]
    [InlineData("Account", """{"Name":"a",""", "JSON_PARSER_ERROR", "Unexpected character", null)]
    [InlineData("Contact", """{"LastName":"a","Birthdate":"yesterday"}""", "JSON_PARSER_ERROR", "Cannot deserialize instance of date", null)]
    public async Task Create_Validates_WithSalesforcesErrors(string type, string body, string code, string message, string? field)
    {
        var response = await _http.SendAsync(HttpMethod.Post, OrgHttp.Data($"sobjects/{type}/"), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var (actualCode, actualMessage) = response.Error;
        Assert.Equal(code, actualCode);
        Assert.Contains(message, actualMessage);
        if (field is not null)
        {
            Assert.Contains(field, response.Json[0].GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        }
    }

    [Fact]
    public async Task DependentPicklist_AcceptsAValueValidForItsController()
    {
        var id = await _http.CreateAsync("Invoice__c", new { Name = "a", Region__c = "North", Territory__c = "Oslo" });
        Assert.NotEmpty(id);
    }

    [Fact]
    public async Task Update_WithAMalformedOrForeignId_IsMalformedId()
    {
        var foreign = await _http.CreateAsync("Contact", new { LastName = "x" });
        foreach (var id in new[] { "a00B000000FSjVUIB1", foreign })
        {
            var response = await _http.SendAsync(HttpMethod.Patch, OrgHttp.Data($"sobjects/Account/{id}"), """{"Name":"x"}""");
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal(("MALFORMED_ID", $"Record ID: id value of incorrect type: {id}"), response.Error);
        }
    }

    [Fact]
    public async Task UnknownObjectOrVersion_Is404()
    {
        Assert.Equal(("NOT_FOUND", "The requested resource does not exist"), (await _http.SendAsync(HttpMethod.Post, "/services/data/v66.0/sobjects/Nope__c/", "{}")).Error);
        Assert.Equal(("NOT_FOUND", "The requested resource does not exist"), (await _http.SendAsync(HttpMethod.Post, "/services/data/v12.0/sobjects/Account/", "{}")).Error);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/services/nothing/here")).Status);
    }

    [Fact]
    public async Task GetUpdatedAndGetDeleted_ReportTheWindow()
    {
        var kept = await _http.CreateAsync("Account", new { Name = "Kept" });
        var removed = await _http.CreateAsync("Account", new { Name = "Removed" });
        _clock.Advance(TimeSpan.FromMinutes(10));
        await _http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"sobjects/Account/{removed}"));
        _clock.Advance(TimeSpan.FromMinutes(10));
        static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture));
        var start = new DateTimeOffset(2024, 6, 15, 11, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2024, 6, 15, 14, 0, 0, TimeSpan.Zero);

        var updated = (await _http.GetAsync(OrgHttp.Data($"sobjects/Account/updated/?start={Q(start)}&end={Q(end)}"))).Json;
        Assert.Equal([kept], updated.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("2024-06-15T12:20:00.000+0000", updated.GetProperty("latestDateCovered").GetString());

        var deleted = (await _http.GetAsync(OrgHttp.Data($"sobjects/Account/deleted/?start={Q(start)}&end={Q(end)}"))).Json;
        var entry = Assert.Single(deleted.GetProperty("deletedRecords").EnumerateArray());
        Assert.Equal((removed, "2024-06-15T12:10:00.000+0000"), (entry.GetProperty("id").GetString(), entry.GetProperty("deletedDate").GetString()));
        Assert.Equal(("MISSING_ARGUMENT", "start was not specified"), (await _http.GetAsync(OrgHttp.Data("sobjects/Account/updated/"))).Error);
    }

    [Fact]
    public async Task Describe_ServesTheLoadedDescribe_With304WhenNotModified()
    {
        var response = await _http.GetAsync(OrgHttp.Data("sobjects/Account/describe/"));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Account", response.Json.GetProperty("name").GetString());
        Assert.Equal("/services/data/v66.0/sobjects/Account/describe", response.Json.GetProperty("urls").GetProperty("describe").GetString());
        Assert.Contains(response.Json.GetProperty("childRelationships").EnumerateArray(), c => c.GetProperty("relationshipName").GetString() == "Invoices__r");

        var notModified = await _http.SendAsync(HttpMethod.Get, OrgHttp.Data("sobjects/Account/describe/"), configure: r => r.Headers.IfModifiedSince = new DateTimeOffset(2024, 6, 15, 12, 30, 0, TimeSpan.Zero));
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);
        Assert.Empty(notModified.Body);
        var modified = await _http.SendAsync(HttpMethod.Get, OrgHttp.Data("sobjects/Account/describe/"), configure: r => r.Headers.IfModifiedSince = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(HttpStatusCode.OK, modified.Status);
    }

    [Fact]
    public async Task GlobalDescribe_AndBasicInfo()
    {
        var global = (await _http.GetAsync(OrgHttp.Data("sobjects/"))).Json;
        Assert.Equal("UTF-8", global.GetProperty("encoding").GetString());
        Assert.Equal(200, global.GetProperty("maxBatchSize").GetInt32());
        var names = global.GetProperty("sobjects").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Account", "Case", "Contact", "Event", "Invoice__c", "Lead", "Opportunity", "RecordType", "Task", "User"], names);

        await _http.CreateAsync("Account", new { Name = "Recent" });
        var basic = (await _http.GetAsync(OrgHttp.Data("sobjects/Account"))).Json;
        Assert.Equal("001", basic.GetProperty("objectDescribe").GetProperty("keyPrefix").GetString());
        Assert.Equal("Recent", basic.GetProperty("recentItems")[0].GetProperty("Name").GetString());
    }

    [Fact]
    public async Task VersionsResourcesAndLimits()
    {
        var versions = (await _http.GetAsync("/services/data")).Json;
        var latest = versions.EnumerateArray().Last();
        Assert.Equal(("66.0", "/services/data/v66.0", "Spring '26"), (latest.GetProperty("version").GetString(), latest.GetProperty("url").GetString(), latest.GetProperty("label").GetString()));
        Assert.Contains(versions.EnumerateArray(), v => v.GetProperty("version").GetString() == "64.0" && v.GetProperty("label").GetString() == "Summer '25");
        var resources = (await _http.GetAsync("/services/data/v66.0")).Json;
        Assert.Equal("/services/data/v66.0/query", resources.GetProperty("query").GetString());
        var limits = (await _http.GetAsync(OrgHttp.Data("limits/"))).Json;
        Assert.Equal(100_000, limits.GetProperty("DailyApiRequests").GetProperty("Max").GetInt32());
        Assert.True(limits.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt32() < 100_000);
    }

    [Fact]
    public async Task Delete_FollowsTheDescribesCascadeDelete()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { TimeProvider = _clock });
        using var http = new OrgHttp(org);
        // Account → Contacts cascades (cascadeDelete in the real describe); Account → ChildAccounts does not.
        var account = await http.CreateAsync("Account", new { Name = "Parent" });
        var contact = await http.CreateAsync("Contact", new { LastName = "Child", AccountId = account });
        var child = await http.CreateAsync("Account", new { Name = "Subsidiary", ParentId = account });
        await http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"sobjects/Account/{account}"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(OrgHttp.Data($"sobjects/Contact/{contact}"))).Status);
        Assert.True(Assert.Single(await http.RecordsAsync($"SELECT IsDeleted FROM Contact WHERE Id = '{contact}'", all: true)).GetProperty("IsDeleted").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(OrgHttp.Data($"sobjects/Account/{child}"))).Status);
    }

    [Fact]
    public async Task JsonAndTimeFields_RoundTrip()
    {
        var id = await _http.CreateAsync("Invoice__c", new { Name = "j", Payload__c = new { a = 1, b = new[] { "x" } }, Reminder_Time__c = "09:30:00.000Z", Paid_At__c = "2024-01-02T03:04:05.000+0000" });
        var record = (await _http.GetAsync(OrgHttp.Data($"sobjects/Invoice__c/{id}?fields=Payload__c,Reminder_Time__c,Paid_At__c"))).Json;
        Assert.Equal(1, record.GetProperty("Payload__c").GetProperty("a").GetInt32());
        Assert.Equal("09:30:00.000Z", record.GetProperty("Reminder_Time__c").GetString());
        Assert.Equal("2024-01-02T03:04:05.000+0000", record.GetProperty("Paid_At__c").GetString());
        Assert.Equal(JsonValueKind.Array, record.GetProperty("Payload__c").GetProperty("b").ValueKind);
    }
}
