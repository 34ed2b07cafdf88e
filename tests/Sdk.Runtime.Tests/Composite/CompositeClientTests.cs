using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Composite;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Composite;

/// <summary>The composite APIs over a mock server: request bodies as Salesforce expects them, and real captured answers read into handles.</summary>
public class CompositeClientTests
{
    private const string D = TestClients.Data;

    private static DynamicSObject Record(string type, params (string Name, object? Value)[] fields)
    {
        var record = new DynamicSObject(type);
        foreach (var (name, value) in fields)
        {
            record.Set(name, JsonSerializer.SerializeToElement(value?.ToString()));
        }

        return record;
    }

    private static string Captured(List<string> bodies, int i = 0) => bodies[i];

    private static MockHttpMessageHandler Capture(string path, string response, List<string> bodies, HttpStatusCode status = HttpStatusCode.OK)
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + path).Respond(async request =>
        {
            bodies.Add(await request.Content!.ReadAsStringAsync());
            return new HttpResponseMessage(status) { Content = new StringContent(response, System.Text.Encoding.UTF8, "application/json") };
        });
        return mock;
    }

    [Fact]
    public async Task Composite_RendersReferencesAndOptions_ReadsRealQueryAnswers()
    {
        var bodies = new List<string>();
        using var mock = Capture("/composite", TestClients.Fixture("composite/cumulusci/TestCompositeParallelSalesforce.test_reference_ids__01_POST_composite_200.json"), bodies);
        using var client = TestClients.Create(mock);
        var composite = client.Composite.Request(allOrNone: true, collateSubrequests: true);
        var one = composite.Query<JsonObject>("SELECT Id FROM Account WHERE Name = 'A&B'", referenceId: "one");
        var two = composite.Query<JsonObject>($"SELECT Id FROM Contact WHERE AccountId = '{one.Ref.Records[0].Id}'", referenceId: "two");
        await composite.ExecuteAsync();

        using var sent = JsonDocument.Parse(Captured(bodies));
        var root = sent.RootElement;
        Assert.True(root.GetProperty("allOrNone").GetBoolean());
        Assert.True(root.GetProperty("collateSubrequests").GetBoolean());
        var subrequests = root.GetProperty("compositeRequest");
        Assert.Equal("/services/data/v66.0/query?q=SELECT%20Id%20FROM%20Account%20WHERE%20Name%20%3D%20%27A%26B%27", subrequests[0].GetProperty("url").GetString());
        // The reference stays readable for the server to resolve; the rest of the query is escaped.
        Assert.Equal("/services/data/v66.0/query?q=SELECT%20Id%20FROM%20Contact%20WHERE%20AccountId%20%3D%20%27@{one.records[0].Id}%27", subrequests[1].GetProperty("url").GetString());
        Assert.Equal("two", subrequests[1].GetProperty("referenceId").GetString());

        Assert.True(one.Done && one.IsSuccess && two.IsSuccess);
        Assert.Equal(0, one.TotalSize);
        Assert.Empty(two.Records);
        Assert.Null(one.Exception);
    }

    [Fact]
    public async Task Composite_CreateBodies_CarryReferencesAsIds_TypedRecordsGetIdsFromRealGraphAnswer()
    {
        var bodies = new List<string>();
        using var mock = Capture("/composite/graph", TestClients.Fixture("composite/heroku-applink-nodejs/composite-graph-create-account-contact-opportunity.200.json"), bodies);
        using var client = TestClients.Create(mock);
        var call = client.Composite.Graph();
        var graph = call.AddGraph("1");
        var account = Record("Account", ("Name", "Cloudy Consulting"));
        var created = graph.SObjects.Create(account, referenceId: "reference_id_account_1");
        var contact = new DynamicSObject("Contact");
        contact.Set("LastName", JsonSerializer.SerializeToElement("Smith"));
        contact.Set("AccountId", JsonSerializer.SerializeToElement(created.Ref.Id.Value));
        var contactHandle = graph.SObjects.Create(contact, referenceId: "reference_id_contact_1");
        var opportunity = graph.SObjects.Create("Opportunity", new JsonObject { ["Name"] = "Deal", ["AccountId"] = created.Ref.Id.Value, ["attributes"] = new JsonObject() }, referenceId: "reference_id_opportunity_1");
        await call.ExecuteAsync();

        using var sent = JsonDocument.Parse(Captured(bodies));
        var nodes = sent.RootElement.GetProperty("graphs")[0].GetProperty("compositeRequest");
        Assert.Equal("@{reference_id_account_1.id}", nodes[1].GetProperty("body").GetProperty("AccountId").GetString());
        Assert.False(nodes[2].GetProperty("body").TryGetProperty("attributes", out _));
        Assert.Equal("/services/data/v66.0/sobjects/Opportunity", nodes[2].GetProperty("url").GetString());

        Assert.True(graph.IsSuccessful);
        Assert.Equal(SalesforceId.Parse("001R00000064wc7IAA"), account.Id);
        Assert.False(account.HasChanges);
        Assert.Equal(SalesforceId.Parse("003R000000DDMlTIAX"), contactHandle.Id);
        Assert.Equal(SalesforceId.Parse("006R0000003FPYxIAO"), opportunity.Id);
        Assert.Equal("/services/data/v66.0/sobjects/Account/001R00000064wc7IAA", created.Headers["Location"]);
        Assert.Equal(201, created.StatusCode);
    }

    [Fact]
    public async Task Graph_RealMultipleErrors_HaltedNodeLinkedToFailure_TypedException()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite/graph").Respond("application/json", TestClients.Fixture("composite/heroku-applink-nodejs/composite-graph-multiple-errors.200.json"));
        using var client = TestClients.Create(mock);
        var call = client.Composite.Graph();
        var graph = call.AddGraph("graph0");
        var parent = graph.SObjects.Create("Account", new JsonObject { ["Name"] = "x" }, referenceId: "referenceId0");
        var child = graph.SObjects.Update("Account", SalesforceId.Parse("001R00000064wc7IAA"), new JsonObject { ["ParentId"] = parent.Ref.Id.Value }, referenceId: "referenceId1");
        await call.ExecuteAsync();

        Assert.False(graph.IsSuccessful);
        Assert.Equal(403, child.StatusCode);
        Assert.IsType<InsufficientAccessException>(child.Exception);
        Assert.Equal("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", child.Errors[0].ErrorCode);
        Assert.True(parent.IsHalted);
        Assert.Same(child, parent.CausedBy);
        var ex = Assert.Throws<SalesforceException>(parent.ThrowIfFailed);
        Assert.Equal("PROCESSING_HALTED", ex.ErrorCode);
        Assert.IsType<InsufficientAccessException>(ex.InnerException);
        Assert.Null(parent.Id);
    }

    [Theory]
    [InlineData("composite-graph-single-create-error.200.json", "insert-anh", 400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")]
    [InlineData("composite-graph-single-delete.200.json", "referenceId0", 204, null)]
    [InlineData("composite-graph-single-update.200.json", "referenceId0", 204, null)]
    [InlineData("composite-graph-create.200.json", "insert-anh", 201, null)]
    public async Task Graph_RealSingleNodeAnswers(string fixture, string referenceId, int status, string? errorCode)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite/graph").Respond("application/json", TestClients.Fixture("composite/heroku-applink-nodejs/" + fixture));
        using var client = TestClients.Create(mock);
        var call = client.Composite.Graph();
        var graph = call.AddGraph("graph0");
        CompositeResult node = status == 204
            ? graph.SObjects.Delete("Movie__c", SalesforceId.Parse("a01B0000009gSoxIAE"), referenceId)
            : graph.SObjects.Create("Movie__c", new JsonObject { ["Rating__c"] = "Amazing" }, referenceId);
        await call.ExecuteAsync();

        Assert.Equal(status, node.StatusCode);
        Assert.Equal(errorCode is null, graph.IsSuccessful);
        Assert.Equal(errorCode, node.Errors.FirstOrDefault()?.ErrorCode);
        if (errorCode is not null)
        {
            Assert.Equal(["Rating__c"], node.Exception!.Fields);
        }
        else if (status == 204)
        {
            Assert.Null(node.Result);
        }
        else
        {
            Assert.Equal(SalesforceId.Parse("a01B0000009gSoxIAE"), node.Id);
        }
    }

    [Fact]
    public async Task Composite_RealErrorAnswers_AutoThrowAndGroupErrors()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite").Respond("application/json", TestClients.Fixture("composite/cumulusci/TestCountSObjects.test_count_sobjects__errors__01_POST_composite_200.json"));
        using var client = TestClients.Create(mock);

        var grouped = client.Composite.Request(errors: CompositeErrorHandling.GroupErrors);
        var accounts = grouped.Query<JsonObject>("select count() from Account", referenceId: "refAccount");
        var bogus = grouped.Query<JsonObject>("select count() from XYZZY", referenceId: "refXYZZY");
        var aggregate = await Assert.ThrowsAsync<AggregateException>(() => grouped.ExecuteAsync());
        var only = Assert.Single(aggregate.InnerExceptions);
        Assert.Equal("INVALID_TYPE", Assert.IsAssignableFrom<SalesforceException>(only).ErrorCode);
        Assert.Equal(17, accounts.TotalSize);
        Assert.False(bogus.IsHalted);
        Assert.Contains("XYZZY", bogus.Errors[0].Message);

        var first = client.Composite.Request(errors: CompositeErrorHandling.AutoThrow);
        first.Query<JsonObject>("select count() from Account", referenceId: "refAccount");
        first.Query<JsonObject>("select count() from XYZZY", referenceId: "refXYZZY");
        var thrown = await Assert.ThrowsAsync<SalesforceException>(() => first.ExecuteAsync());
        Assert.Equal("INVALID_TYPE", thrown.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, thrown.StatusCode);
        Assert.Contains("/services/data/v66.0/query", thrown.RequestPath);
    }

    [Fact]
    public async Task Composite_RealNotFoundAndNotModifiedAnswers()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite").WithPartialContent("CCI__RefId__0__").WithPartialContent("NotFound").Respond("application/json", TestClients.Fixture("composite/cumulusci/TestCompositeParallelSalesforce.test_errors__01_POST_composite_200.json"));
        mock.When(HttpMethod.Post, D + "/composite").Respond("application/json", TestClients.Fixture("composite/cumulusci/ManualEditTestCompositeParallelSalesforce.test_http_headers__01_POST_composite_200.json"));
        using var client = TestClients.Create(mock);

        var missing = client.Composite.Request();
        var get = missing.SObjects.Get("NotFound", SalesforceId.Parse("001000000000000AAA"), referenceId: "CCI__RefId__0__");
        await missing.ExecuteAsync();
        Assert.IsType<RecordNotFoundException>(get.Exception);
        Assert.Throws<RecordNotFoundException>(get.ThrowIfFailed);
        Assert.Null(get.Record);

        var cached = client.Composite.Request();
        var handles = Enumerable.Range(0, 3).Select(i => cached.SObjects.Get("Account", SalesforceId.Parse("001000000000000AAA"), referenceId: $"CCI__RefId__{i}__")).ToList();
        await cached.ExecuteAsync();
        Assert.All(handles, h =>
        {
            Assert.Equal(304, h.StatusCode);
            Assert.True(h.IsSuccess);
            Assert.Equal("\"baf7f695\"", h.Headers["ETag"]);
            Assert.Null(h.Record);
        });
    }

    [Fact]
    public async Task Composite_RealParallelQueryAnswers_ReadAsRecords()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite").Respond("application/json", TestClients.Fixture("composite/cumulusci/TestCompositeParallelSalesforce.test_composite_parallel_salesforce__01_POST_composite_200.json"));
        using var client = TestClients.Create(mock);
        var composite = client.Composite.Request();
        var handles = Enumerable.Range(0, 4).Select(i => composite.Query<JsonObject>(i % 2 == 0 ? "SELECT Id FROM Account" : "SELECT Name FROM Account", referenceId: $"CCI__RefId__{i}__")).ToList();
        await composite.ExecuteAsync();

        Assert.Equal("0010xACCOUNTID0000", handles[0].Records[0]["Id"]!.GetValue<string>());
        Assert.Equal("Smith Corp.", handles[1].Records[0]["Name"]!.GetValue<string>());
        Assert.All(handles, h => Assert.Equal(1, h.TotalSize));
    }

    [Fact]
    public async Task Batch_RendersRelativeUrlsAndRichInput_HaltMapsToCause_AutoChunkSplits()
    {
        var bodies = new List<string>();
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite/batch").Respond(async request =>
        {
            var body = await request.Content!.ReadAsStringAsync();
            bodies.Add(body);
            using var doc = JsonDocument.Parse(body);
            var count = doc.RootElement.GetProperty("batchRequests").GetArrayLength();
            // First call: the second subrequest fails and haltOnError stops the rest.
            var results = Enumerable.Range(0, count).Select(i => bodies.Count == 1 && i == 1
                ? """{"statusCode":400,"result":[{"errorCode":"INVALID_FIELD","message":"No such column 'Bogus__c'","fields":["Bogus__c"]}]}"""
                : bodies.Count == 1 && i > 1
                    ? """{"statusCode":412,"result":[{"errorCode":"BATCH_PROCESSING_HALTED","message":"Batch processing halted per request"}]}"""
                    : """{"statusCode":201,"result":{"id":"001000000000001AAA","success":true,"errors":[]}}""");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($$"""{"hasErrors":true,"results":[{{string.Join(',', results)}}]}""", System.Text.Encoding.UTF8, "application/json") };
        });
        using (mock)
        {
            using var client = TestClients.Create(mock);
            var batch = client.Composite.Batch(haltOnError: true, autoChunk: true);
            var records = Enumerable.Range(0, 30).Select(i => Record("Account", ("Name", $"A{i}"))).ToList();
            var handles = records.Select(r => batch.SObjects.Create(r)).ToList();
            Assert.Equal(["refAccount", "refAccount2"], handles.Take(2).Select(h => h.ReferenceId));
            await batch.ExecuteAsync();

            Assert.Single(bodies); // the second chunk was not sent: the first halted
            using var sent = JsonDocument.Parse(bodies[0]);
            Assert.True(sent.RootElement.GetProperty("haltOnError").GetBoolean());
            var first = sent.RootElement.GetProperty("batchRequests")[0];
            Assert.Equal("v66.0/sobjects/Account", first.GetProperty("url").GetString());
            Assert.Equal("A0", first.GetProperty("richInput").GetProperty("Name").GetString());
            Assert.Equal(25, sent.RootElement.GetProperty("batchRequests").GetArrayLength());

            Assert.True(handles[0].IsSuccess);
            Assert.Equal(SalesforceId.Parse("001000000000001AAA"), records[0].Id);
            Assert.Equal(["Bogus__c"], handles[1].Exception!.Fields);
            Assert.All(handles.Skip(2), h =>
            {
                Assert.True(h.IsHalted);
                Assert.Equal(412, h.StatusCode);
                Assert.Same(handles[1], h.CausedBy);
            });
            Assert.All(records.Skip(1), r => Assert.Null(r.Id));
        }
    }

    [Fact]
    public async Task Malformed_Answers_NameTheRequest()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite").Respond("application/json", """{"results":[]}""");
        mock.When(HttpMethod.Post, D + "/composite/batch").Respond("application/json", """{"hasErrors":false,"results":[]}""");
        mock.When(HttpMethod.Post, D + "/composite/graph").Respond("text/html", "<html>maintenance</html>");
        using var client = TestClients.Create(mock);

        var composite = client.Composite.Request();
        composite.SObjects.Delete("Account", SalesforceId.Parse("001000000000001AAA"));
        var ex1 = await Assert.ThrowsAsync<MalformedResponseException>(() => composite.ExecuteAsync());
        Assert.Contains("POST /services/data/v66.0/composite", ex1.Message);
        Assert.Contains("compositeResponse", ex1.Message);

        var batch = client.Composite.Batch();
        batch.SObjects.Delete("Account", SalesforceId.Parse("001000000000001AAA"));
        var ex2 = await Assert.ThrowsAsync<MalformedResponseException>(() => batch.ExecuteAsync());
        Assert.Contains("0 results for 1 subrequests", ex2.Message);

        var graph = client.Composite.Graph();
        graph.AddGraph().SObjects.Delete("Account", SalesforceId.Parse("001000000000001AAA"));
        var ex3 = await Assert.ThrowsAsync<MalformedResponseException>(() => graph.ExecuteAsync());
        Assert.Contains("text/html", ex3.Message);
    }

    [Fact]
    public void Builders_CheckLimitsAndReferenceIds_WhenAdding()
    {
        using var mock = new MockHttpMessageHandler();
        using var client = TestClients.Create(mock);
        var composite = client.Composite.Request();
        for (var i = 0; i < CompositeRequest.MaxQueries; i++)
        {
            composite.Query<JsonObject>("SELECT Id FROM Account");
        }

        Assert.Contains("at most 5 query", Assert.Throws<InvalidOperationException>(() => composite.Query<JsonObject>("SELECT Id FROM Account")).Message);
        Assert.Equal(["refQuery", "refQuery2", "refQuery3", "refQuery4", "refQuery5"], composite.Subrequests.Select(s => s.ReferenceId));
        for (var i = composite.Count; i < CompositeRequest.MaxSubrequests; i++)
        {
            composite.SObjects.Delete("Account", SalesforceId.Parse("001000000000001AAA"));
        }

        Assert.Contains("at most 25", Assert.Throws<InvalidOperationException>(() => composite.SObjects.Delete("Account", SalesforceId.Parse("001000000000001AAA"))).Message);
        Assert.Throws<ArgumentException>(() => client.Composite.Request().SObjects.Create("Account", [], referenceId: "has space"));
        var dup = client.Composite.Request();
        dup.SObjects.Create("Account", [], referenceId: "mine");
        Assert.Contains("already used", Assert.Throws<ArgumentException>(() => dup.SObjects.Create("Account", [], referenceId: "mine")).Message);
        Assert.Throws<ArgumentException>(() => dup.SObjects.Update(new DynamicSObject("Account")));
        Assert.Throws<ArgumentException>(() => dup.SObjects.Create("Bad Name", []));
        var independent = client.Composite.Batch().SObjects.Delete("Account", SalesforceId.Parse("001000000000001AAA"));
        Assert.Contains("cannot reference", Assert.Throws<InvalidOperationException>(() => independent.Ref).Message);
        var pending = client.Composite.Request().SObjects.Create("Account", []);
        Assert.Throws<InvalidOperationException>(() => pending.StatusCode);
        Assert.False(pending.Done);
    }

    [Fact]
    public async Task Tree_SendsNestedRecordsWithReferenceIds_MapsIdsBack_AndReadsErrors()
    {
        var bodies = new List<string>();
        using var mock = Capture("/composite/tree/Account", """{"hasErrors":false,"results":[{"referenceId":"ref1","id":"001000000000001AAA"},{"referenceId":"ref2","id":"001000000000002AAA"}]}""", bodies, HttpStatusCode.Created);
        using var client = TestClients.Create(mock);
        var first = Record("Account", ("Name", "One"));
        var second = Record("Account", ("Name", "Two"));
        var result = await client.Composite.CreateTreeAsync([first, second]);

        using var sent = JsonDocument.Parse(bodies[0]);
        var records = sent.RootElement.GetProperty("records");
        Assert.Equal("ref1", records[0].GetProperty("attributes").GetProperty("referenceId").GetString());
        Assert.Equal("Account", records[1].GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("Two", records[1].GetProperty("Name").GetString());
        Assert.False(result.HasErrors);
        Assert.Equal(SalesforceId.Parse("001000000000002AAA"), second.Id);
        Assert.All(result.Results, r => Assert.True(r.Success));

        using var failing = new MockHttpMessageHandler();
        failing.When(HttpMethod.Post, D + "/composite/tree/Account").Respond(HttpStatusCode.BadRequest, "application/json",
            """{"hasErrors":true,"results":[{"referenceId":"ref2","errors":[{"statusCode":"INVALID_EMAIL_ADDRESS","message":"Email: invalid email address: 123","fields":["Email"]}]}]}""");
        using var client2 = TestClients.Create(failing);
        var a = Record("Account", ("Name", "A"));
        var b = Record("Account", ("Name", "B"));
        var failed = await client2.Composite.CreateTreeAsync([a, b]);
        Assert.True(failed.HasErrors);
        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", failed.Results[0].Errors[0].ErrorCode);
        Assert.Equal(["Email"], failed.Results[1].Errors[0].Fields);
        Assert.Null(a.Id);
        Assert.True(a.HasChanges);

        using var rejected = new MockHttpMessageHandler();
        rejected.When(HttpMethod.Post, D + "/composite/tree/Account").Respond(HttpStatusCode.BadRequest, "application/json", """[{"errorCode":"INVALID_TYPE","message":"sObject type 'Account' is not supported."}]""");
        using var client3 = TestClients.Create(rejected);
        var ex = await Assert.ThrowsAsync<SalesforceException>(() => client3.Composite.CreateTreeAsync([Record("Account", ("Name", "A"))]));
        Assert.Equal("INVALID_TYPE", ex.ErrorCode);
        await Assert.ThrowsAsync<ArgumentException>(() => client3.Composite.CreateTreeAsync([Record("Account"), Record("Contact")]));
    }

    [Fact]
    public void References_AreIdsThatRenderAsExpressions()
    {
        using var mock = new MockHttpMessageHandler();
        using var client = TestClients.Create(mock);
        var composite = client.Composite.Request();
        var account = composite.SObjects.Create("Account", new JsonObject { ["Name"] = "x" });
        var query = composite.Query<JsonObject>("SELECT Id FROM Contact");
        Assert.Equal("@{refAccount.id}", account.Ref.Id.Value);
        Assert.True(account.Ref.Id.IsReference);
        Assert.Equal(string.Empty, account.Ref.Id.KeyPrefix);
        Assert.Equal("@{refQuery.records[2].Id}", query.Ref.Records[2].Id.Value);
        Assert.Equal("@{refQuery.records[0].Account.Name}", query.Ref.Records[0].Field("Account.Name"));
        Assert.Equal("@{refQuery.totalSize}", query.Ref.Field("totalSize"));
        Assert.Throws<ArgumentException>(() => query.Ref.Field("bad}path"));
        // Generated records store ids as text and read them back through FromCanonical: a reference survives the round trip.
        Assert.Equal(account.Ref.Id, SalesforceId.FromCanonical(account.Ref.Id.Value));
        Assert.False(SalesforceId.TryParse(account.Ref.Id.Value, out _));
    }
}
