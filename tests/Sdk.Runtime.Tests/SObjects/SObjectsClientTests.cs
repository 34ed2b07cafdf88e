using System.Net;
using System.Text.Json.Nodes;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.SObjects;

public class SObjectsClientTests
{
    private static readonly SalesforceId AccountId = SalesforceId.Parse("001Da00000xnAk6IAE");
    private const string D = TestClients.Data;

    public sealed class AccountDto
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public decimal? AnnualRevenue { get; set; }

        public DateTimeOffset? CreatedDate { get; set; }
    }

    [Fact]
    public async Task Create_PostsBodyWithoutIdOrAttributes_ReturnsId()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, D + "/sobjects/Account/")
            .WithContent("""{"Name":"Acme","Industry":null}""")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}""");
        using var client = TestClients.Create(mock);
        var id = await client.SObjects.CreateAsync("Account", new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Account" }, ["Id"] = null, ["Name"] = "Acme", ["Industry"] = null });
        Assert.Equal(AccountId, id);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Create_Typed_UsesCallersType()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, D + "/sobjects/Account/")
            .WithContent("""{"Name":"Acme","AnnualRevenue":12.5,"CreatedDate":"2024-01-02T03:04:05.000+0000"}""")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"001Da00000xnAk6","success":true,"errors":[]}""");
        using var client = TestClients.Create(mock);
        var id = await client.SObjects.CreateAsync("Account", new AccountDto { Name = "Acme", AnnualRevenue = 12.5m, CreatedDate = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero) });
        Assert.Equal(AccountId, id);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Create_SuccessFalse_RaisesWithErrors()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.Created, "application/json", """{"id":null,"success":false,"errors":[{"statusCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"Bad","fields":["Name"]}]}""");
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<SalesforceException>(() => client.SObjects.CreateAsync("Account", new JsonObject { ["Name"] = "x" }));
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", ex.ErrorCode);
        Assert.Equal(["Name"], ex.Fields);
    }

    [Fact]
    public async Task Get_WithFields_AsJsonAndTyped()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/sobjects/Account/001Da00000xnAk6IAE")
            .WithExactQueryString("fields=Name%2CAnnualRevenue%2CCreatedDate")
            .Respond("application/json", """{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE"},"Id":"001Da00000xnAk6IAE","Name":"Acme","AnnualRevenue":1.5E7,"CreatedDate":"2019-11-19T22:45:48.000+0000"}""");
        using var client = TestClients.Create(mock);
        var json = await client.SObjects.GetAsync("Account", AccountId, ["Name", "AnnualRevenue", "CreatedDate"]);
        Assert.Equal("Acme", (string?)json["Name"]);
        var typed = await client.SObjects.GetAsync<AccountDto>("Account", AccountId, ["Name", "AnnualRevenue", "CreatedDate"]);
        Assert.Equal(15_000_000m, typed.AnnualRevenue);
        Assert.Equal(new DateTimeOffset(2019, 11, 19, 22, 45, 48, TimeSpan.Zero), typed.CreatedDate);
    }

    [Fact]
    public async Task Get_Missing_RecordNotFound()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.NotFound, "application/json", """[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]""");
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<RecordNotFoundException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal("/services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE", ex.RequestPath);
    }

    [Fact]
    public async Task GetByExternalId_EscapesValue_And300IsMultipleRecords()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/sobjects/Account/Ext__c/A%2F1%20x").Respond("application/json", """{"Id":"001Da00000xnAk6IAE","Name":"A"}""");
        mock.When(HttpMethod.Get, D + "/sobjects/Account/Ext__c/dup").Respond(HttpStatusCode.MultipleChoices, "application/json", """["/services/data/v66.0/sobjects/Account/001000000000001AAA","/services/data/v66.0/sobjects/Account/001000000000002AAA"]""");
        using var client = TestClients.Create(mock);
        Assert.Equal("A", (string?)(await client.SObjects.GetByExternalIdAsync("Account", "Ext__c", "A/1 x"))["Name"]);
        var ex = await Assert.ThrowsAsync<MultipleRecordsFoundException>(() => client.SObjects.GetByExternalIdAsync("Account", "Ext__c", "dup"));
        Assert.Equal(2, ex.RecordUrls.Count);
    }

    [Fact]
    public async Task Update_PatchesOnlyGivenFields_NullClears()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Patch, D + "/sobjects/Account/001Da00000xnAk6IAE")
            .WithContent("""{"Name":"New","Phone":null}""")
            .Respond(HttpStatusCode.NoContent);
        using var client = TestClients.Create(mock);
        await client.SObjects.UpdateAsync("Account", AccountId, new JsonObject { ["Id"] = "001Da00000xnAk6IAE", ["Name"] = "New", ["Phone"] = null });
        mock.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData(HttpStatusCode.Created, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[],"created":true}""", true)]
    [InlineData(HttpStatusCode.OK, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[],"created":false}""", false)]
    [InlineData(HttpStatusCode.Created, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}""", true)]
    public async Task Upsert_CreatedOrUpdated(HttpStatusCode status, string body, bool created)
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(new HttpMethod("PATCH"), D + "/sobjects/Account/Ext__c/A-1")
            .WithContent("""{"Name":"Acme"}""")
            .Respond(status, "application/json", body);
        using var client = TestClients.Create(mock);
        var result = await client.SObjects.UpsertAsync("Account", "Ext__c", "A-1", new JsonObject { ["Name"] = "Acme", ["Ext__c"] = "A-1" });
        Assert.Equal(AccountId, result.Id);
        Assert.Equal(created, result.Created);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Upsert_NoContent_OldApi_UpdatedWithoutId()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(HttpStatusCode.NoContent);
        using var client = TestClients.Create(mock);
        var result = await client.SObjects.UpsertAsync("Account", "Ext__c", "A-1", new JsonObject { ["Name"] = "Acme" });
        Assert.Null(result.Id);
        Assert.False(result.Created);
    }

    [Fact]
    public async Task Upsert_BodyExternalIdMismatch_RejectedBeforeSending()
    {
        var mock = new MockHttpMessageHandler();
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.SObjects.UpsertAsync("Account", "Ext__c", "A-1", new JsonObject { ["ext__c"] = "B-2" }));
        Assert.Contains("'B-2'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'A-1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_ByIdAndExternalId()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Delete, D + "/sobjects/Account/001Da00000xnAk6IAE").Respond(HttpStatusCode.NoContent);
        mock.Expect(HttpMethod.Delete, D + "/sobjects/Account/Ext__c/A-1").Respond(HttpStatusCode.NoContent);
        mock.Expect(HttpMethod.Delete, D + "/sobjects/Account/001Da00000xnAk6IAE").Respond(HttpStatusCode.NotFound, "application/json", TestClients.Fixture("errors/delete-already-deleted.404.json"));
        using var client = TestClients.Create(mock);
        await client.SObjects.DeleteAsync("Account", AccountId);
        await client.SObjects.DeleteByExternalIdAsync("Account", "Ext__c", "A-1");
        var ex = await Assert.ThrowsAsync<RecordNotFoundException>(() => client.SObjects.DeleteAsync("Account", AccountId));
        Assert.Equal("ENTITY_IS_DELETED", ex.ErrorCode);
        mock.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData("Account/../limits")]
    [InlineData("Acc ount")]
    [InlineData("1Account")]
    [InlineData("")]
    public async Task BadObjectNames_RejectedBeforeSending(string name)
    {
        var mock = new MockHttpMessageHandler();
        using var client = TestClients.Create(mock);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.SObjects.GetAsync(name, AccountId));
    }

    [Fact]
    public async Task DescribeGlobal_ReadsRealFixture()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/sobjects/").Respond("application/json", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "global", "global_describe.v52.0.trimmed-110-objects.json")));
        using var client = TestClients.Create(mock);
        var global = await client.SObjects.DescribeGlobalAsync();
        Assert.Equal(110, global.SObjects.Count);
        var account = global.SObjects.Single(o => o.Name == "Account");
        Assert.Equal("001", account.KeyPrefix);
        Assert.True(account.Queryable);
        Assert.False(account.Custom);
        Assert.Equal(200, global.MaxBatchSize);
    }

    [Fact]
    public async Task Describe_IfModifiedSince_NullOn304()
    {
        var since = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/sobjects/Account/describe/")
            .WithHeaders("If-Modified-Since", "Tue, 02 Jan 2024 03:04:05 GMT")
            .Respond(HttpStatusCode.NotModified);
        mock.When(HttpMethod.Get, D + "/sobjects/Account/describe/").Respond("application/json", """{"name":"Account","fields":[]}""");
        using var client = TestClients.Create(mock);
        Assert.Null(await client.SObjects.DescribeIfModifiedAsync("Account", since));
        Assert.Equal("Account", (string?)(await client.SObjects.DescribeAsync("Account"))["name"]);
    }

    [Fact]
    public async Task UpdatedAndDeleted_WindowQueryAndParsing()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/sobjects/Account/updated/")
            .WithExactQueryString("start=2024-01-01T00%3A00%3A00%2B00%3A00&end=2024-01-02T00%3A00%3A00%2B00%3A00")
            .Respond("application/json", """{"ids":["001Da00000xnAk6IAE"],"latestDateCovered":"2024-01-01T23:59:00.000+0000"}""");
        mock.When(HttpMethod.Get, D + "/sobjects/Account/deleted/")
            .Respond("application/json", """{"deletedRecords":[{"id":"001Da00000xnAk6IAE","deletedDate":"2024-01-01T10:00:00.000+0000"}],"earliestDateAvailable":"2023-12-01T00:00:00.000+0000","latestDateCovered":"2024-01-01T23:59:00.000+0000"}""");
        using var client = TestClients.Create(mock);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var updated = await client.SObjects.GetUpdatedAsync("Account", start, start.AddDays(1));
        Assert.Equal([AccountId], updated.Ids);
        var deleted = await client.SObjects.GetDeletedAsync("Account", start, start.AddDays(1));
        Assert.Equal(AccountId, deleted.Records[0].Id);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), deleted.Records[0].DeletedDate);
        await Assert.ThrowsAsync<ArgumentException>(() => client.SObjects.GetUpdatedAsync("Account", start, start));
    }

    [Fact]
    public async Task Limits_And_Versions_And_UseLatest()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, TestClients.Instance + "/services/data").Respond("application/json", """[{"label":"Spring '24","url":"/services/data/v60.0","version":"60.0"},{"label":"Winter '27","url":"/services/data/v68.0","version":"68.0"}]""");
        mock.When(HttpMethod.Get, TestClients.Instance + "/services/data/v68.0/limits").Respond("application/json", """{"DailyApiRequests":{"Max":15000,"Remaining":14998,"Ant Migration Tool":{"Max":0,"Remaining":0}},"DataStorageMB":{"Max":5,"Remaining":5}}""");
        using var client = TestClients.Create(mock, o => o.UseLatestApiVersion = true);
        var versions = await client.GetApiVersionsAsync();
        Assert.Equal([60, 68], versions.Select(v => v.Version.Major));
        Assert.Equal(68, (await client.GetApiVersionAsync()).Major);
        var limits = await client.GetLimitsAsync();
        Assert.Equal(15000, limits.DailyApiRequests!.Max);
        Assert.Equal(2, limits.DailyApiRequests.Used);
        Assert.Equal(0, limits["DailyApiRequests"].ByApp["Ant Migration Tool"].Max);
        Assert.Equal(2, limits.Count);
    }

    [Fact]
    public async Task SuccessWithHtmlBody_MalformedResponseNamingRequest()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("text/html", "<html>login</html>");
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Contains("GET /services/data/v66.0/sobjects/Account/001Da00000xnAk6IAE", ex.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedJson_MalformedResponseNamingRequest()
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", """{"Id":"001Da00000xnAk6IAE","Name":"Ac""");
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Contains("GET /services/data/v66.0/sobjects/Account/", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }
}
