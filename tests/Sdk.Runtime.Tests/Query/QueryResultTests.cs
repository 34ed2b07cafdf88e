using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Query;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Query;

public class QueryResultTests
{
    private const string D = TestClients.Data;

    public sealed class AccountRow
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? CleanStatus { get; set; }
    }

    private static string Page(int from, int count, int total, string? next)
    {
        var sb = new StringBuilder();
        sb.Append("{\"totalSize\":").Append(total).Append(",\"done\":").Append(next is null ? "true" : "false");
        if (next is not null)
        {
            sb.Append(",\"nextRecordsUrl\":\"").Append(next).Append('"');
        }

        sb.Append(",\"records\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append("{\"attributes\":{\"type\":\"Account\",\"url\":\"/services/data/v66.0/sobjects/Account/001\"},\"Id\":\"001\",\"Name\":\"A").Append(from + i).Append("\"}");
        }

        return sb.Append("]}").ToString();
    }

    [Fact]
    public async Task Paging_FollowsRelativeAndAbsoluteNextUrls()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, D + "/query/").WithExactQueryString("q=SELECT%20Name%20FROM%20Account")
            .Respond("application/json", Page(0, 3, 7, "/services/data/v66.0/query/01gD0000002HU6KIAW-3"));
        mock.Expect(HttpMethod.Get, D + "/query/01gD0000002HU6KIAW-3")
            .Respond("application/json", Page(3, 3, 7, TestClients.Instance + "/services/data/v66.0/query/01gD0000002HU6KIAW-6"));
        mock.Expect(HttpMethod.Get, D + "/query/01gD0000002HU6KIAW-6")
            .Respond("application/json", Page(6, 1, 7, null));
        using var client = TestClients.Create(mock);
        var names = new List<string>();
        await foreach (var row in client.QueryRawAsync<JsonObject>("SELECT Name FROM Account"))
        {
            names.Add((string)row["Name"]!);
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => "A" + i), names);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task AsPages_ReportTotalsAndDone()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/query/").Respond("application/json", Page(0, 2, 3, "/services/data/v66.0/query/x-2"));
        mock.When(HttpMethod.Get, D + "/query/x-2").Respond("application/json", Page(2, 1, 3, null));
        using var client = TestClients.Create(mock);
        var pages = new List<QueryPage<AccountRow>>();
        await foreach (var page in client.QueryRawAsync<AccountRow>("SELECT Name FROM Account").AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal(2, pages.Count);
        Assert.Equal([2, 1], pages.Select(p => p.Records.Count));
        Assert.All(pages, p => Assert.Equal(3, p.TotalSize));
        Assert.Equal([false, true], pages.Select(p => p.Done));
        Assert.Equal("/services/data/v66.0/query/x-2", pages[0].NextRecordsUrl);
        Assert.Equal([1, 2], pages.Select(p => p.PageNumber));
    }

    [Fact]
    public async Task QueryAll_And_BatchSizeHeader()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, D + "/queryAll/").WithHeaders("Sforce-Query-Options", "batchSize=500")
            .Respond("application/json", Page(0, 1, 1, null));
        using var client = TestClients.Create(mock);
        var rows = await client.QueryRawAsync<JsonObject>("SELECT Name FROM Account", new QueryOptions { IncludeDeleted = true, BatchSize = 500 }).ToListAsync();
        Assert.Single(rows);
        mock.VerifyNoOutstandingExpectation();
        Assert.Throws<ArgumentOutOfRangeException>(() => client.QueryRawAsync<JsonObject>("SELECT Id FROM Account", new QueryOptions { BatchSize = 100 }));
    }

    [Fact]
    public async Task NextUrlOnOtherHost_Refused()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/query/").Respond("application/json", Page(0, 1, 2, "https://evil.example.com/services/data/v66.0/query/x-1"));
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => client.QueryRawAsync<JsonObject>("SELECT Name FROM Account").ToListAsync());
        Assert.Contains("evil.example.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealFixture_ReadsIntoJsonAndCallersType()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/query/").Respond("application/json", TestClients.Fixture("query/cumulusci/TestDatasetsE2E.test_datasets_e2e__02_GET_query_200.json"));
        using var client = TestClients.Create(mock);
        var rows = await client.QueryRawAsync<AccountRow>("SELECT Id, Name, CleanStatus FROM Account").ToListAsync();
        Assert.Equal(6, rows.Count);
        Assert.Equal("001Da00000xnAk6IAE", rows[0].Id);
        Assert.Equal("Account 5", rows[0].Name);
        Assert.Equal("Pending", rows[0].CleanStatus);
        var json = await client.QueryRawAsync<JsonObject>("SELECT Id FROM Account").ToListAsync();
        Assert.Null(json[0]["BillingCity"]);
        Assert.True(json[0].ContainsKey("BillingCity"));
    }

    [Fact]
    public async Task RealFixtures_PolymorphicAndChildRelationships_AsJson()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/query/").WithQueryString("q", "SELECT Who FROM Event").Respond("application/json", TestClients.Fixture("query/cumulusci/TestSelect.test_select_similarity_select_and_insert_strategy__01_GET_query_200.json"));
        mock.When(HttpMethod.Get, D + "/query/").WithQueryString("q", "SELECT Opps FROM Contact").Respond("application/json", TestClients.Fixture("query/cumulusci/TestUpsert.test_simple_upsert__rest__03_GET_query_200.json"));
        mock.When(HttpMethod.Get, D + "/query/").WithQueryString("q", "SELECT count() FROM Account").Respond("application/json", TestClients.Fixture("query/cumulusci/TestDatasetsE2E.test_datasets_e2e__01_GET_query_200.json"));
        using var client = TestClients.Create(mock);
        var events = await client.QueryRawAsync<JsonObject>("SELECT Who FROM Event").ToListAsync();
        Assert.Equal(3, events.Count);
        Assert.Equal("Contact", (string?)events[0]["Who"]!["attributes"]!["type"]);
        Assert.Null(events[0]["What"]);
        var contacts = await client.QueryRawAsync<JsonObject>("SELECT Opps FROM Contact").ToListAsync();
        Assert.Equal(17, contacts.Count);
        var aggregate = await client.QueryRawAsync<JsonObject>("SELECT count() FROM Account").ToListAsync();
        Assert.Equal(6, (int)aggregate[0]["expr0"]!);
    }

    [Theory]
    [InlineData("""{"totalSize":2,"done":true,"records":[{"Name":"a"},{"Name":""", "ended before")]
    [InlineData("""{"totalSize":2,"done":true,"records":[{"Name":"a"},{"Name" "b"}]}""", "is not valid")]
    [InlineData("""[1,2,3]""", "is not valid")]
    [InlineData("""{"totalSize":"two","done":true,"records":[]}""", "is not valid")]
    [InlineData("""{"totalSize":2,"done":false,"records":[]}""", "no nextRecordsUrl")]
    public async Task MalformedPages_NameTheRequest(string body, string why)
    {
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", body);
        using var client = TestClients.Create(mock);
        var ex = await Assert.ThrowsAsync<MalformedResponseException>(() => client.QueryRawAsync<JsonObject>("SELECT Name FROM Account").ToListAsync());
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.Contains("GET /services/data/v66.0/query/", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_AreYieldedBeforeThePageEnds()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var handler = new DelegateHandler((_, _, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(pipe.Reader.AsStream()) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(response);
        });
        using var client = new SalesforceClient(new HttpClient(handler), new SalesforceClientOptions
        {
            InstanceUrl = new Uri(TestClients.Instance),
            Authenticator = new Sdk.Runtime.Auth.AccessTokenAuthenticator("t", new Uri(TestClients.Instance)),
        });
        var page = Page(0, 3000, 3000, null);
        var cut = page.IndexOf("\"A1500\"", StringComparison.Ordinal);
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(page[..cut]));

        await using var enumerator = client.QueryRawAsync<JsonObject>("SELECT Name FROM Account").GetAsyncEnumerator();
        var seen = 0;
        while (seen < 1000)
        {
            Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            seen++;
        }

        // A thousand records arrived although the rest of the page has not been sent yet.
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(page[cut..]));
        await pipe.Writer.CompleteAsync();
        while (await enumerator.MoveNextAsync())
        {
            seen++;
        }

        Assert.Equal(3000, seen);
    }

    [Fact]
    public async Task LargeRecord_BiggerThanBuffer_IsRead()
    {
        var big = new string('x', 300_000);
        var mock = new MockHttpMessageHandler();
        mock.When("*").Respond("application/json", $$"""{"totalSize":2,"done":true,"records":[{"Description":"{{big}}"},{"Description":"small"}]}""");
        using var client = TestClients.Create(mock);
        var rows = await client.QueryRawAsync<JsonObject>("SELECT Description FROM Account").ToListAsync();
        Assert.Equal(300_000, ((string)rows[0]["Description"]!).Length);
        Assert.Equal("small", (string?)rows[1]["Description"]);
    }

    [Fact]
    public async Task GetTotalSize_ReadsFirstPageOnly()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, D + "/query/").Respond("application/json", Page(0, 2, 4242, "/services/data/v66.0/query/x-2"));
        using var client = TestClients.Create(mock);
        Assert.Equal(4242, await client.QueryRawAsync<JsonObject>("SELECT Id FROM Account").GetTotalSizeAsync());
        mock.VerifyNoOutstandingExpectation();
    }

    /// <summary>
    /// A cancelled enumeration stops at the next record: at the end of a page (the next page is not requested), and in the
    /// middle of one (the page's other records were read, and are not handed over).
    /// </summary>
    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 1)]
    public async Task Cancellation_StopsAtTheNextRecord(int firstPage, int cancelAt)
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, D + "/query/").Respond("application/json", Page(0, firstPage, 4, "/services/data/v66.0/query/x-2"));
        mock.When(HttpMethod.Get, D + "/query/x-2").Respond("application/json", Page(firstPage, 4 - firstPage, 4, null));
        using var client = TestClients.Create(mock);
        using var cts = new CancellationTokenSource();
        var count = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.QueryRawAsync<JsonObject>("SELECT Id FROM Account").WithCancellation(cts.Token))
            {
                if (++count == cancelAt)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(cancelAt, count);
    }
}
