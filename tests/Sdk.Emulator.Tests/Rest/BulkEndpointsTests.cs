using System.Net;
using System.Text;
using System.Xml.Linq;
using Sdk.Emulator.Tests.Conformance;
using Sdk.Emulator.Tests.TestSupport;

namespace Sdk.Emulator.Tests.Rest;

/// <summary>The local org's Bulk API 2.0 and 1.0 on the wire: shapes of the captured job infos and result files, state machines, errors.</summary>
public class BulkEndpointsTests
{
    private static string Fixture(params string[] parts) => File.ReadAllText(ConformanceTests.FixturePath(parts));

    private static async Task<OrgHttp.Response> WaitAsync(OrgHttp http, string path, Func<OrgHttp.Response, bool> done)
    {
        for (var i = 0; i < 200; i++)
        {
            var response = await http.GetAsync(path);
            if (done(response))
            {
                return response;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException(path);
    }

    [Fact]
    public async Task IngestJob_InfoHasTheCapturedShape_ResultFilesHaveTheCapturedHeaders()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var created = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("jobs/ingest"), """{"object":"Account","operation":"insert","lineEnding":"LF"}""");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var id = created.Json.GetProperty("id").GetString()!;
        Assert.Equal("Open", created.Json.GetProperty("state").GetString());

        var upload = await http.SendAsync(HttpMethod.Put, OrgHttp.Data($"jobs/ingest/{id}/batches"), null, r => r.Content = new StringContent(
            "Name,Description,NumberOfEmployees\nTestAccount1,Description of TestAccount1,30\n,Another description,40\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var again = await http.SendAsync(HttpMethod.Put, OrgHttp.Data($"jobs/ingest/{id}/batches"), null, r => r.Content = new StringContent("Name\nx\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        await http.SendAsync(HttpMethod.Patch, OrgHttp.Data($"jobs/ingest/{id}"), """{"state":"UploadComplete"}""");
        var info = await WaitAsync(http, OrgHttp.Data($"jobs/ingest/{id}"), r => r.Json.GetProperty("state").GetString() == "JobComplete");
        using var captured = System.Text.Json.JsonDocument.Parse(Fixture("bulk-v2", "get-info-7508z00000lSXvxQAG.200.json"));
        JsonShape.AssertSame(captured.RootElement, info.Json, "ingest job info");
        Assert.Equal(2, info.Json.GetProperty("numberRecordsProcessed").GetInt32());
        Assert.Equal(1, info.Json.GetProperty("numberRecordsFailed").GetInt32());

        var successful = await http.GetAsync(OrgHttp.Data($"jobs/ingest/{id}/successfulResults/"));
        var failed = await http.GetAsync(OrgHttp.Data($"jobs/ingest/{id}/failedResults/"));
        Assert.Equal("text/csv", successful.MediaType);
        Assert.Equal(Fixture("bulk-v2", "bulk-api-ingest-7508Z00000lSXvxQAG.200.csv").Split('\n')[0], successful.Body.Split('\n')[0]);
        Assert.Equal(Fixture("bulk-v2", "bulk-api-injest-fail-7508Z00000lSXvxQAG.200.csv").Split('\n')[0], failed.Body.Split('\n')[0]);
        Assert.Matches("^001[A-Za-z0-9]{15},true,TestAccount1,Description of TestAccount1,30$", successful.Body.Split('\n')[1]);
        Assert.Equal(",REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --,,Another description,40", failed.Body.Split('\n')[1]);
    }

    [Fact]
    public async Task QueryJob_CapturedShapes_LocatorPages_ResultPages()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        for (var i = 0; i < 5; i++)
        {
            await http.CreateAsync("Account", new { Name = "Q" + i });
        }

        var created = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("jobs/query"), """{"operation":"query","query":"SELECT Id, Name FROM Account ORDER BY Name"}""");
        var id = created.Json.GetProperty("id").GetString()!;
        var info = await WaitAsync(http, OrgHttp.Data($"jobs/query/{id}"), r => r.Json.GetProperty("state").GetString() == "JobComplete");
        using var captured = System.Text.Json.JsonDocument.Parse(Fixture("bulk-v2", "get-info-7508z00000lTqQCQA0.200.json"));
        JsonShape.AssertSame(captured.RootElement, info.Json, "query job info");

        var first = await http.SendAsync(HttpMethod.Get, OrgHttp.Data($"jobs/query/{id}/results?maxRecords=2"));
        Assert.Equal("Id,Name", first.Body.Split('\n')[0]);
        Assert.Equal(3, first.Body.TrimEnd('\n').Split('\n').Length);
        var pages = await http.GetAsync(OrgHttp.Data($"jobs/query/{id}/resultPages?maxRecords=2"));
        Assert.True(pages.Json.GetProperty("done").GetBoolean());
        Assert.Equal(3, pages.Json.GetProperty("resultPages").GetArrayLength());
        var last = await http.GetAsync(pages.Json.GetProperty("resultPages")[2].GetProperty("resultUrl").GetString()!);
        Assert.EndsWith(",Q4\n", last.Body, StringComparison.Ordinal);

        var bad = await http.SendAsync(HttpMethod.Get, OrgHttp.Data($"jobs/query/{id}/results?locator=zz"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        var missing = await http.GetAsync(OrgHttp.Data("jobs/query/7505e0000099999AAA"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        JsonShape.AssertSame(System.Text.Json.JsonDocument.Parse(Fixture("bulk-v2", "bulk-api-query-get-info-client-failure.400.json")).RootElement, missing.Json, "error");
    }

    [Fact]
    public async Task V1Job_XmlInfosHaveTheCapturedElementsInOrder()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        static string[] Names(string xml) => [.. XDocument.Parse(xml).Root!.Elements().Select(e => e.Name.LocalName)];
        var created = await http.SendAsync(HttpMethod.Post, Async, null, r => r.Content = new StringContent(
            """<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>""", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(Names(Fixture("bulk-v1", "TestUpsert.test_upsert_external_id_field__01_POST_job_201.xml")), Names(created.Body));
        var id = XDocument.Parse(created.Body).Root!.Elements().First().Value;

        var batch = await http.SendAsync(HttpMethod.Post, $"{Async}/{id}/batch", null, r => r.Content = new StringContent("Name\nA\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(Names(Fixture("bulk-v1", "TestUpsert.test_upsert_external_id_field__02_POST_job_750P0000006HoS1IAK_batch_201.xml")), Names(batch.Body));
        var batchId = XDocument.Parse(batch.Body).Root!.Elements().First().Value;
        var closed = await http.SendAsync(HttpMethod.Post, $"{Async}/{id}", null, r => r.Content = new StringContent(
            """<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><state>Closed</state></jobInfo>""", Encoding.UTF8, "application/xml"));
        Assert.Equal(Names(Fixture("bulk-v1", "TestUpsert.test_upsert_external_id_field__03_POST_job_750P0000006HoS1IAK_200.xml")), Names(closed.Body));
        var list = await WaitAsync(http, $"{Async}/{id}/batch", r => r.Body.Contains("<state>Completed</state>", StringComparison.Ordinal));
        Assert.Equal("batchInfoList", XDocument.Parse(list.Body).Root!.Name.LocalName);
        static string[] FirstBatch(string xml) => [.. XDocument.Parse(xml).Root!.Elements().First().Elements().Select(e => e.Name.LocalName)];
        Assert.Equal(FirstBatch(Fixture("bulk-v1", "TestUpsert.test_upsert_external_id_field__05_GET_job_750P0000006HoS1IAK_batch_200.xml")), FirstBatch(list.Body));
        var job = await http.GetAsync($"{Async}/{id}");
        Assert.Equal(Names(Fixture("bulk-v1", "TestUpsert.test_upsert_external_id_field__04_GET_job_750P0000006HoS1IAK_200.xml")), Names(job.Body));
        var result = await http.GetAsync($"{Async}/{id}/batch/{batchId}/result");
        Assert.Equal(Fixture("bulk-v1", "TestUpsert.test_upsert_external_id_field__06_GET_job_750P0000006HoS1IAK_batch_751P0000007_200.csv").Split('\n')[0], result.Body.Split('\n')[0]);
        Assert.Matches("^\"001[A-Za-z0-9]{15}\",\"true\",\"true\",\"\"$", result.Body.Split('\n')[1]);

        var unknown = await http.GetAsync($"{Async}/7505e0000099999AAA");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("InvalidJob", XDocument.Parse(unknown.Body).Root!.Elements().First().Value);

        // An expired session: Bulk API 1.0 answers 400 InvalidSessionId (REST answers 401 INVALID_SESSION_ID).
        org.ExpireSessions();
        var expired = await http.GetAsync($"{Async}/{id}");
        Assert.Equal(HttpStatusCode.BadRequest, expired.Status);
        Assert.Equal(["InvalidSessionId", "Invalid session id"], XDocument.Parse(expired.Body).Root!.Elements().Select(e => e.Value));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(OrgHttp.Data("limits"))).Status);
    }

    private const string Async = "/services/async/66.0/job";

    /// <summary>Creates a Bulk API 1.0 query job on Account, with an XML request, whose batches and results are in <paramref name="contentType"/>.</summary>
    private static Task<OrgHttp.Response> CreateV1QueryJobAsync(OrgHttp http, string contentType)
        => http.SendAsync(HttpMethod.Post, Async, null, r => r.Content = new StringContent(
            $"""<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>query</operation><object>Account</object><concurrencyMode>Parallel</concurrencyMode><contentType>{contentType}</contentType></jobInfo>""", Encoding.UTF8, "application/xml"));

    [Fact]
    public async Task V1JsonQueryJob_InfosAndResultsHaveTheCapturedShapes()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var accountId = await http.CreateAsync("Account", new { Name = "Bluth Company" });
        const string Select = "TestSelect.test_select_similarity_select_and_insert_strategy_bulk__";
        static string[] Names(string xml) => [.. XDocument.Parse(xml).Root!.Elements().Select(e => e.Name.LocalName)];
        static string[] Properties(System.Text.Json.JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];
        static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();

        var created = await CreateV1QueryJobAsync(http, "JSON");
        Assert.Equal(Names(Fixture("bulk-v1", Select + "01_POST_job_200.xml")), Names(created.Body));
        var id = XDocument.Parse(created.Body).Root!.Elements().First().Value;

        var batch = await http.SendAsync(HttpMethod.Post, $"{Async}/{id}/batch", null, r => r.Content = new StringContent("SELECT Id, Name FROM Account", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, batch.Status);
        Assert.Equal(Properties(Json(Fixture("bulk-v1", Select + "02_POST_job_7509H0000016GUXQA2_batch_201.json"))), Properties(Json(batch.Body)));
        var batchId = Json(batch.Body).GetProperty("id").GetString()!;

        var done = await WaitAsync(http, $"{Async}/{id}/batch/{batchId}", r => Json(r.Body).GetProperty("state").GetString() == "Completed");
        Assert.Equal(Properties(Json(Fixture("bulk-v1", Select + "03_GET_job_7509H0000016GUXQA2_batch_7519H000001_200.json"))), Properties(Json(done.Body)));
        Assert.Equal(1, Json(done.Body).GetProperty("numberRecordsProcessed").GetInt32());

        // The result list is an array of result ids, as captured; the result, an array of records with their attributes.
        var list = Json((await http.GetAsync($"{Async}/{id}/batch/{batchId}/result")).Body);
        Assert.Equal(System.Text.Json.JsonValueKind.String, Json(Fixture("bulk-v1", Select + "04_GET_job_7509H0000016GUXQA2_batch_7519H000001_200.json"))[0].ValueKind);
        var resultId = Assert.Single(list.EnumerateArray()).GetString()!;
        var records = Json((await http.GetAsync($"{Async}/{id}/batch/{batchId}/result/{resultId}")).Body);
        var captured = Json(Fixture("bulk-v1", Select + "05_GET_job_7509H0000016GUXQA2_batch_7519H000001_200.json"))[0];
        var record = Assert.Single(records.EnumerateArray());
        Assert.Equal(Properties(captured)[..2], Properties(record)[..2]); // attributes, then Id
        Assert.Equal(Properties(captured.GetProperty("attributes")), Properties(record.GetProperty("attributes")));
        Assert.Equal((accountId, "Account", "Bluth Company"), (record.GetProperty("Id").GetString(), record.GetProperty("attributes").GetProperty("type").GetString(), record.GetProperty("Name").GetString()));
    }

    [Fact]
    public async Task V1XmlQueryJob_ResultsAreAQueryResultOfTypedRecords()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var accountId = await http.CreateAsync("Account", new { Name = "Bluth Company" });
        XNamespace ns = "http://www.force.com/2009/06/asyncapi/dataload";
        XNamespace xsi = "http://www.w3.org/2001/XMLSchema-instance";
        var created = await CreateV1QueryJobAsync(http, "XML");
        var id = XDocument.Parse(created.Body).Root!.Element(ns + "id")!.Value;
        var batch = await http.SendAsync(HttpMethod.Post, $"{Async}/{id}/batch", null, r => r.Content = new StringContent("SELECT Id, Name, Description, Owner.Name FROM Account", Encoding.UTF8, "application/xml"));
        var batchId = XDocument.Parse(batch.Body).Root!.Element(ns + "id")!.Value;
        await WaitAsync(http, $"{Async}/{id}/batch/{batchId}", r => r.Body.Contains("<state>Completed</state>", StringComparison.Ordinal));

        var list = XDocument.Parse((await http.GetAsync($"{Async}/{id}/batch/{batchId}/result")).Body).Root!;
        Assert.Equal(ns + "result-list", list.Name);
        var result = await http.GetAsync($"{Async}/{id}/batch/{batchId}/result/{Assert.Single(list.Elements(ns + "result")).Value}");
        Assert.Equal("application/xml", result.MediaType);
        var root = XDocument.Parse(result.Body).Root!;
        Assert.Equal(ns + "queryResult", root.Name);
        var record = Assert.Single(root.Elements(ns + "records"));
        Assert.Equal("sObject", record.Attribute(xsi + "type")?.Value);
        Assert.Equal(["type", "Id", "Name", "Description", "Owner"], record.Elements().Select(e => e.Name.LocalName));
        var owner = record.Element(ns + "Owner")!;
        Assert.Equal(("sObject", "User"), (owner.Attribute(xsi + "type")?.Value, owner.Element(ns + "type")?.Value));
        Assert.False(string.IsNullOrEmpty(owner.Element(ns + "Name")?.Value));
        Assert.Equal(("Account", accountId, "Bluth Company"), (record.Element(ns + "type")!.Value, record.Element(ns + "Id")!.Value, record.Element(ns + "Name")!.Value));
        Assert.Equal("true", record.Element(ns + "Description")!.Attribute(xsi + "nil")?.Value);
    }

    [Fact]
    public async Task IngestJob_StateMachine_AbortedJobsTakeNoDataAndCanBeDeleted()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var created = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("jobs/ingest"), """{"object":"Account","operation":"upsert"}""");
        Assert.Equal(HttpStatusCode.BadRequest, created.Status); // upsert without an external id field
        Assert.Equal("INVALIDJOB", created.Error.Code);
        created = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("jobs/ingest"), """{"object":"Nope__c","operation":"insert"}""");
        Assert.Contains("Nope__c", created.Error.Message, StringComparison.Ordinal);

        created = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("jobs/ingest"), """{"object":"Account","operation":"insert"}""");
        var id = created.Json.GetProperty("id").GetString()!;
        var early = await http.SendAsync(HttpMethod.Get, OrgHttp.Data($"jobs/ingest/{id}/successfulResults/"));
        Assert.Equal(HttpStatusCode.BadRequest, early.Status); // results only once the job is finished
        var delete = await http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"jobs/ingest/{id}"));
        Assert.Equal(HttpStatusCode.BadRequest, delete.Status); // an open job cannot be deleted

        var aborted = await http.SendAsync(HttpMethod.Patch, OrgHttp.Data($"jobs/ingest/{id}"), """{"state":"Aborted"}""");
        Assert.Equal("Aborted", aborted.Json.GetProperty("state").GetString());
        var upload = await http.SendAsync(HttpMethod.Put, OrgHttp.Data($"jobs/ingest/{id}/batches"), null, r => r.Content = new StringContent("Name\nx\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Conflict, upload.Status);
        var complete = await http.SendAsync(HttpMethod.Patch, OrgHttp.Data($"jobs/ingest/{id}"), """{"state":"UploadComplete"}""");
        Assert.Equal(HttpStatusCode.BadRequest, complete.Status);

        delete = await http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"jobs/ingest/{id}"));
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(OrgHttp.Data($"jobs/ingest/{id}"))).Status);
        Assert.Empty(await http.RecordsAsync("SELECT Id FROM Account WHERE Name = 'x'"));
    }
}
