using RichardSzalay.MockHttp;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Bulk;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Task = System.Threading.Tasks.Task;

namespace Sdk.Generator.OutputTests;

/// <summary>A bulk query's result CSV that cannot be read into the typed records is a malformed answer naming the request.</summary>
public class BulkResultErrorTests
{
    private const string JobId = "7508Z00000lTqQCQA0";
    private const string Results = TestClient.Data + $"/jobs/query/{JobId}/results";

    /// <summary>The second row's employee count is not a number.</summary>
    private const string BadValue = "Id,Name,NumberOfEmployees\n001Da00000xnAk6IAE,Acme,12\n001Da00000xnAk7IAE,Globex,twelve\n";

    private static MockHttpMessageHandler Server(string page, bool resultPages = false)
    {
        var mock = new MockHttpMessageHandler();
        var info = TestClient.Fixture("bulk-v2/get-info-7508z00000lTqQCQA0.200.json");
        mock.When(HttpMethod.Post, TestClient.Data + "/jobs/query").Respond("application/json", info);
        mock.When(HttpMethod.Get, TestClient.Data + $"/jobs/query/{JobId}").Respond("application/json", info);
        mock.When(HttpMethod.Get, TestClient.Data + $"/jobs/query/{JobId}/resultPages").Respond("application/json",
            $$"""{"resultPages":[{"resultUrl":"/services/data/v66.0/jobs/query/{{JobId}}/results"}],"done":true}""");
        mock.When(HttpMethod.Get, Results).Respond("text/csv", page);
        return mock;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // pages downloaded in parallel through resultPages
    public async Task ValueThatDoesNotFit_NamesTheRequest_TheRecordAndTheColumn(int parallelPages)
    {
        using var client = TestClient.Create(Server(BadValue));
        var read = new List<Account>();

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(async () =>
        {
            await foreach (var account in client.Bulk.QueryAsync<Account>("SELECT Id, Name, NumberOfEmployees FROM Account", new BulkQueryOptions { ParallelPages = parallelPages }))
            {
                read.Add(account);
            }
        });

        Assert.Equal("Acme", Assert.Single(read).Name); // the rows before it were read
        Assert.Contains($"GET /services/data/v66.0/jobs/query/{JobId}/results", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NumberOfEmployees", ex.Message, StringComparison.Ordinal);
        Assert.Equal("GET", ex.RequestMethod);
        Assert.Equal("MALFORMED_RESPONSE", ex.ErrorCode);
        Assert.Equal(3, Assert.IsType<CsvFormatException>(ex.InnerException).Record);
    }

    [Fact]
    public async Task UnclosedQuote_NamesTheRequest_AndTheLine()
    {
        using var client = TestClient.Create(Server("Id,Name\n001Da00000xnAk6IAE,\"Acme\n"));

        var ex = await Assert.ThrowsAsync<MalformedResponseException>(async () =>
        {
            await foreach (var account in client.Bulk.QueryAsync<Account>("SELECT Id, Name FROM Account"))
            {
                Assert.Fail($"no record can be read, got {account.Name}");
            }
        });

        Assert.Contains($"GET /services/data/v66.0/jobs/query/{JobId}/results", ex.Message, StringComparison.Ordinal);
        Assert.Contains("never closed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.IsType<CsvFormatException>(ex.InnerException).Line);
    }
}
