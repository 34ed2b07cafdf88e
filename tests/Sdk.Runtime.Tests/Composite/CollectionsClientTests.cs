using System.Net;
using System.Text.Json;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Composite;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Composite;

/// <summary>sObject Collections over a mock server answering with captured Salesforce responses.</summary>
public class CollectionsClientTests
{
    private const string D = TestClients.Data;
    private const string Fixtures = "composite/cumulusci/";

    private static DynamicSObject Record(string type, params (string Name, string Value)[] fields)
    {
        var record = new DynamicSObject(type);
        foreach (var (name, value) in fields)
        {
            record.Set(name, JsonSerializer.SerializeToElement(value));
        }

        return record;
    }

    [Fact]
    public async Task Create_RealAnswer_SetsIdsInInputOrder_SendsTypeAndChangedFields()
    {
        string? sent = null;
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite/sobjects").Respond(async request =>
        {
            sent = await request.Content!.ReadAsStringAsync();
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(TestClients.Fixture(Fixtures + "TestDatasetsE2E.test_datasets_e2e__01_POST_composite_sobjects_200.json"), System.Text.Encoding.UTF8, "application/json") };
        });
        using var client = TestClients.Create(mock);
        var records = Enumerable.Range(0, 6).Select(i => Record("Account", ("Name", $"Account {i}"))).ToList();

        var results = await client.Collections.CreateAsync(records, new CollectionOptions { AllOrNone = true });

        using var body = JsonDocument.Parse(sent!);
        Assert.True(body.RootElement.GetProperty("allOrNone").GetBoolean());
        var first = body.RootElement.GetProperty("records")[0];
        Assert.Equal("Account", first.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("Account 0", first.GetProperty("Name").GetString());
        using var expected = JsonDocument.Parse(TestClients.Fixture(Fixtures + "TestDatasetsE2E.test_datasets_e2e__01_POST_composite_sobjects_200.json"));
        for (var i = 0; i < 6; i++)
        {
            var id = SalesforceId.Parse(expected.RootElement[i].GetProperty("id").GetString()!);
            Assert.Equal(id, results[i].Id);
            Assert.Equal(id, records[i].Id);
            Assert.True(results[i].Success);
            Assert.False(records[i].HasChanges);
        }
    }

    [Fact]
    public async Task Upsert_RealAnswer_ReadsCreatedFlags_UsesTheExternalIdPath()
    {
        using var mock = new MockHttpMessageHandler();
        var call = mock.When(HttpMethod.Patch, D + "/composite/sobjects/Contact/Email")
            .Respond("application/json", TestClients.Fixture(Fixtures + "TestUpsert.test_simple_upsert__rest__02_PATCH_composite_sobjects_Contact_Email_200.json"));
        using var client = TestClients.Create(mock);
        using var expected = JsonDocument.Parse(TestClients.Fixture(Fixtures + "TestUpsert.test_simple_upsert__rest__02_PATCH_composite_sobjects_Contact_Email_200.json"));
        var count = expected.RootElement.GetArrayLength();
        var records = Enumerable.Range(0, count).Select(i => Record("Contact", ("LastName", $"L{i}"), ("Email", $"p{i}@example.com"))).ToList();

        var results = await client.Collections.UpsertAsync(records, "Email");
        Assert.Equal(1, mock.GetMatchCount(call));
        Assert.All(results.Zip(expected.RootElement.EnumerateArray()), pair =>
        {
            Assert.Equal(pair.Second.GetProperty("created").GetBoolean(), pair.First.Created);
            Assert.Equal(SalesforceId.Parse(pair.Second.GetProperty("id").GetString()!), pair.First.Id);
        });
        await Assert.ThrowsAsync<ArgumentException>(() => client.Collections.UpsertAsync([Record("Contact", ("LastName", "No email"))], "Email"));
    }

    [Fact]
    public async Task Split_ResultsInInputOrder_AllOrNoneStopsLaterCalls_AsNotProcessed()
    {
        var calls = 0;
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite/sobjects").Respond(async request =>
        {
            var n = Interlocked.Increment(ref calls);
            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync());
            var names = body.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()!).ToList();
            // Each result echoes the record's number in its id; the call holding record 3 fails that record.
            var results = names.Select(name => int.Parse(name, System.Globalization.CultureInfo.InvariantCulture) is var k && k == 3
                ? """{"success":false,"errors":[{"statusCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":"nope","fields":[]}]}"""
                : $$"""{"id":"{{SalesforceId.Parse($"001000000{k:D6}").Value}}","success":true,"errors":[]}""");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[" + string.Join(',', results) + "]", System.Text.Encoding.UTF8, "application/json") };
        });
        using var client = TestClients.Create(mock);
        var records = Enumerable.Range(0, 10).Select(i => Record("Account", ("Name", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        var results = await client.Collections.CreateAsync(records, new CollectionOptions { BatchSize = 2, MaxConcurrency = 1, AllOrNone = true });
        Assert.Equal(10, results.Count);
        Assert.Equal(2, calls); // records 0-1, then 2-3 failed: the rest were not sent
        Assert.Equal(SalesforceId.Parse("001000000000001"), results[1].Id);
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", results[3].Errors[0].ErrorCode);
        Assert.All(results.Skip(4), r => Assert.Equal("NOT_PROCESSED", r.Errors[0].ErrorCode));
        Assert.Throws<SalesforceException>(results[3].ThrowIfFailed);
        Assert.Null(records[5].Id);
    }

    [Theory]
    [InlineData(false, "OUTCOME_UNKNOWN")] // the connection lost with the second call: it may have been processed
    [InlineData(true, "JSON_PARSER_ERROR")] // Salesforce refused the second call: nothing of it was saved
    public async Task Split_ACallThrows_TheCallsAnsweredAreKept_EveryRecordHasAResult(bool errorAnswer, string secondCallsError)
    {
        using var mock = new MockHttpMessageHandler();
        var second = mock.When(HttpMethod.Post, D + "/composite/sobjects").WithPartialContent("\"Name\":\"2\"");
        if (errorAnswer)
        {
            second.Respond(HttpStatusCode.BadRequest, "application/json", """[{"errorCode":"JSON_PARSER_ERROR","message":"Unexpected character"}]""");
        }
        else
        {
            second.Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        }

        var others = mock.When(HttpMethod.Post, D + "/composite/sobjects").Respond(async request =>
        {
            using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync());
            var results = body.RootElement.GetProperty("records").EnumerateArray()
                .Select(r => $$"""{"id":"{{SalesforceId.Parse($"001000000{int.Parse(r.GetProperty("Name").GetString()!, System.Globalization.CultureInfo.InvariantCulture):D6}").Value}}","success":true,"errors":[]}""");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[" + string.Join(',', results) + "]", System.Text.Encoding.UTF8, "application/json") };
        });
        using var client = TestClients.Create(mock);
        var records = Enumerable.Range(0, 5).Select(i => Record("Account", ("Name", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        var ex = await Assert.ThrowsAsync<CollectionsInterruptedException>(() => client.Collections.CreateAsync(records, new CollectionOptions { BatchSize = 2, MaxConcurrency = 1 }));

        Assert.Equal((1, 1), (mock.GetMatchCount(second), mock.GetMatchCount(others))); // the third call was not sent
        Assert.IsType(errorAnswer ? typeof(SalesforceException) : typeof(HttpRequestException), ex.InnerException, exactMatch: false);
        var results = ex.Results;
        Assert.Equal(5, results.Count);
        Assert.Equal([SalesforceId.Parse("001000000000000"), SalesforceId.Parse("001000000000001")], results.Take(2).Select(r => r.Id!.Value));
        Assert.Equal(results.Take(2).Select(r => r.Id), records.Take(2).Select(r => r.Id)); // the first call's records got their ids
        Assert.All(records.Take(2), r => Assert.False(r.HasChanges));
        Assert.All(results.Skip(2).Take(2), r => Assert.Equal(secondCallsError, Assert.Single(r.Errors).ErrorCode));
        Assert.Equal("NOT_PROCESSED", Assert.Single(results[4].Errors).ErrorCode);
        Assert.All(records.Skip(2), r => Assert.True(r.Id is null && r.HasChanges));
        Assert.Contains("2 succeeded", ex.Message, StringComparison.Ordinal);

        // A write that fits in one call throws that call's own error, as before.
        await Assert.ThrowsAsync(errorAnswer ? typeof(SalesforceException) : typeof(HttpRequestException), () => client.Collections.CreateAsync(records.Skip(2).Take(2).ToList()));
    }

    [Fact]
    public async Task WrongResultCount_IsAMalformedAnswerNamingTheRequest()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite/sobjects").Respond("application/json", TestClients.Fixture(Fixtures + "TestUpsert.test_simple_upsert__rest__01_POST_composite_sobjects_200.json"));
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => client.Collections.CreateAsync([Record("Account", ("Name", "a")), Record("Account", ("Name", "b"))]));
        Assert.Contains("/composite/sobjects", ex.Message);
        Assert.Contains("2 results", ex.Message);
    }

    [Fact]
    public async Task Update_MixedTypes_EachRecordHasItsOwnTypeAndId_ResultExtrasIgnored()
    {
        string? sent = null;
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Patch, D + "/composite/sobjects").Respond(async request =>
        {
            sent = await request.Content!.ReadAsStringAsync();
            // A later API version may add members: they are skipped, wherever they are.
            var answer = """
                [{"future":{"a":[1,{"b":2}]},"id":"001000000000001AAA","success":true,"errors":[]},
                 {"id":"003000000000002AAA","success":false,"errors":[{"statusCode":"ENTITY_IS_LOCKED","message":"locked","fields":["LastName"]}],"more":null}]
                """;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, System.Text.Encoding.UTF8, "application/json") };
        });
        using var client = TestClients.Create(mock);
        var account = Record("Account", ("Name", "Renamed"));
        account.Id = SalesforceId.Parse("001000000000001");
        var contact = Record("Contact", ("LastName", "Quote \" and \\"));
        contact.Id = SalesforceId.Parse("003000000000002");

        var results = await client.Collections.UpdateAsync([account, contact]);

        using var body = JsonDocument.Parse(sent!);
        var records = body.RootElement.GetProperty("records");
        Assert.Equal("Account", records[0].GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("001000000000001AAA", records[0].GetProperty("Id").GetString());
        Assert.Equal("Renamed", records[0].GetProperty("Name").GetString());
        Assert.Equal("Contact", records[1].GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("003000000000002AAA", records[1].GetProperty("Id").GetString());
        Assert.Equal("Quote \" and \\", records[1].GetProperty("LastName").GetString());
        Assert.True(results[0].Success);
        Assert.False(account.HasChanges);
        Assert.False(results[1].Success);
        Assert.Equal("ENTITY_IS_LOCKED", results[1].Errors[0].ErrorCode);
        Assert.Equal(["LastName"], results[1].Errors[0].Fields);
        Assert.True(contact.HasChanges);
    }

    [Theory]
    [InlineData("{}", "2 results")]
    [InlineData("[1,2]", "2 results")]
    [InlineData("""[{"id":"001000000000001AAA","success":true},{"id":"001000000000002AAA","success":true},{"success":true}]""", "2 results")]
    [InlineData("""[{"id":"001000000000001AAA","success":true},{"id":"not an id","success":true}]""", "not a Salesforce id")]
    [InlineData("""[{"id":"001000000000001AAA","success":true},{"id":""", "could not be read")]
    public async Task MalformedResults_AreMalformedAnswersNamingTheRequest(string answer, string why)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Post, D + "/composite/sobjects").Respond("application/json", answer);
        using var client = TestClients.Create(mock);
        var records = new[] { Record("Account", ("Name", "a")), Record("Account", ("Name", "b")) };

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => client.Collections.CreateAsync(records));

        Assert.Contains("/composite/sobjects", ex.Message);
        Assert.Contains(why, ex.Message);
        Assert.All(records, r => Assert.Null(r.Id));
    }
}
