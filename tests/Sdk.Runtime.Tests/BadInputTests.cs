using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests;

/// <summary>
/// Bad input across the public surface, table-driven: each case must end in a typed exception whose message says what was
/// wrong, quickly (no hang), never in a crash or a silent success. The case count is printed (and quoted in the notes).
/// </summary>
public class BadInputTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string D = TestClients.Data;

    public static TheoryData<string, Func<object?>, Type, string> LocalCases() => new()
    {
        { "instance URL over http to a remote host", () => new SalesforceClientOptions { InstanceUrl = new Uri("http://acme.my.salesforce.com"), Authenticator = new AccessTokenAuthenticator("t", new Uri("https://acme.my.salesforce.com")) }.Validate_(), typeof(ArgumentException), "https" },
        { "instance URL with a path", () => InstanceUrl.Normalize(new Uri("ftp://acme.my.salesforce.com"), "InstanceUrl"), typeof(ArgumentException), "InstanceUrl" },
        { "no authenticator", () => new SalesforceClientOptions().Validate_(), typeof(ArgumentException), "Authenticator" },
        { "concurrency 0", () => new SalesforceClientOptions { Authenticator = new AccessTokenAuthenticator("t", new Uri("https://a.my.salesforce.com")), MaxConcurrentRequests = 0 }.Validate_(), typeof(ArgumentException), "MaxConcurrentRequests" },
        { "query batch size 10", () => new SalesforceClientOptions { Authenticator = new AccessTokenAuthenticator("t", new Uri("https://a.my.salesforce.com")), QueryBatchSize = 10 }.Validate_(), typeof(ArgumentException), "QueryBatchSize" },
        { "API version text", () => ApiVersion.Parse("sixty-six"), typeof(FormatException), "sixty-six" },
        { "API version negative", () => ApiVersion.Parse("-1.0"), typeof(FormatException), "-1.0" },
        { "id too short", () => SalesforceId.Parse("001abc"), typeof(FormatException), "15 or 18" },
        { "id with punctuation", () => SalesforceId.Parse("001000000000-01"), typeof(FormatException), "'-'" },
        { "id with a wrong checksum", () => SalesforceId.Parse("001000000000001ZZZ"), typeof(FormatException), "not a valid Salesforce id" },
        { "CSV quote never closed", () => ReadCsv("a,\"b\n"), typeof(CsvFormatException), "never closed" },
        { "CSV text after a closing quote", () => ReadCsv("\"a\"b\n"), typeof(CsvFormatException), "follows the closing quote" },
        { "bulk upload limit above Salesforce's", () => { new Sdk.Runtime.Bulk.BulkIngestOptions { MaxUploadBytes = 200_000_000 }.Validate(); return null; }, typeof(ArgumentOutOfRangeException), "100,000,000" },
        { "bulk poll interval above its cap", () => { new Sdk.Runtime.Bulk.BulkQueryOptions { PollInterval = TimeSpan.FromMinutes(5) }.Validate(); return null; }, typeof(ArgumentOutOfRangeException), "MaxPollInterval" },
        { "Bulk 1.0 batch of 20,000 records", () => { new Sdk.Runtime.Bulk.BulkV1Options { BatchSize = 20_000 }.Validate(); return null; }, typeof(ArgumentOutOfRangeException), "10,000" },
        { "PK chunk size of a million", () => { new Sdk.Runtime.Bulk.BulkV1Options { PkChunking = new Sdk.Runtime.Bulk.BulkPkChunking(1_000_000) }.Validate(); return null; }, typeof(ArgumentOutOfRangeException), "250,000" },
        // The row before it was taken: the error comes with the result that accounts for it (not sent), the CSV error inside.
        { "CSV ingest with a ragged row", () => IngestCsv("Name,Phone\na,1\nb\n"), typeof(Sdk.Runtime.Bulk.BulkIngestInterruptedException<Sdk.Runtime.Bulk.BulkCsvRow>), "has 1 fields where the header has 2" },
    };

    [Theory]
    [MemberData(nameof(LocalCases))]
    public void LocalInput_TypedErrorNamingTheProblem(string what, Func<object?> act, Type expected, string mentions)
    {
        var ex = Record.Exception(act);
        Assert.True(ex is not null, $"{what}: no error");
        Assert.IsAssignableFrom(expected, ex);
        Assert.Contains(mentions, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static object? ReadCsv(string text)
    {
        using var reader = new CsvReader(new StringReader(text));
        while (reader.ReadAsync().AsTask().GetAwaiter().GetResult())
        {
        }

        return null;
    }

    /// <summary>Ingests CSV against a server that must never be called (the input fails before any job takes it).</summary>
    private static object? IngestCsv(string text)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using var client = TestClients.Create(mock);
        return client.Bulk.IngestCsvAsync("Account", Sdk.Runtime.Bulk.BulkOperation.Insert, new MemoryStream(Encoding.UTF8.GetBytes(text)),
            options: new Sdk.Runtime.Bulk.BulkIngestOptions { MaxRecordsPerJob = 1 }).GetAwaiter().GetResult();
    }

    public static TheoryData<string, HttpStatusCode, string, string> ServerCases() => new()
    {
        { "truncated JSON", HttpStatusCode.OK, "application/json", """{"totalSize":1,"done":true,"records":[{"Id":"001""" },
        { "HTML error page with 200", HttpStatusCode.OK, "text/html", "<html><body>Maintenance</body></html>" },
        { "HTML error page with 503", HttpStatusCode.ServiceUnavailable, "text/html", "<html><body>Down</body></html>" },
        { "plain text", HttpStatusCode.OK, "text/plain", "ok" },
        { "JSON of the wrong shape", HttpStatusCode.OK, "application/json", "[1,2,3]" },
        { "empty body with 200", HttpStatusCode.OK, "application/json", "" },
        { "error array without codes", HttpStatusCode.BadRequest, "application/json", "[{}]" },
        { "huge non-JSON error", HttpStatusCode.InternalServerError, "text/plain", new string('x', 3 * 1024 * 1024) },
        { "records not an array", HttpStatusCode.OK, "application/json", """{"totalSize":1,"done":true,"records":{"Id":"x"}}""" },
        { "id that is not an id", HttpStatusCode.Created, "application/json", """{"id":"not-an-id","success":true,"errors":[]}""" },
    };

    [Theory]
    [MemberData(nameof(ServerCases))]
    public async Task MalformedServerAnswers_TypedErrorNamingTheRequest(string what, HttpStatusCode status, string mediaType, string body)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("*").Respond(_ => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
        using var client = TestClients.Create(mock, o => o.RetryPolicy = Sdk.Runtime.Http.RetryPolicy.None());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var read = await Record.ExceptionAsync(() => client.QueryRawAsync<JsonObject>("SELECT Id FROM Account").ToListAsync(timeout.Token));
        var write = await Record.ExceptionAsync(() => client.SObjects.CreateAsync(new DynamicSObject("Account"), timeout.Token));
        var bulkJob = await Record.ExceptionAsync(() => client.Bulk.GetJobAsync("7505e0000000001AAA", Sdk.Runtime.Bulk.BulkJobKind.Ingest, timeout.Token));
        var bulkV1Job = await Record.ExceptionAsync(() => client.BulkV1.GetJobAsync("7505e0000000001AAA", timeout.Token));
        foreach (var ex in new[] { read, write, bulkJob, bulkV1Job })
        {
            Assert.True(ex is SalesforceException, $"{what}: {ex?.GetType().Name ?? "no error"} {ex?.Message}");
            Assert.Contains("/services/", ex!.Message + ((SalesforceException)ex).RequestPath, StringComparison.Ordinal);
            Assert.True(ex.Message.Length < 4096, $"{what}: the message carries the whole body ({ex.Message.Length} characters)");
        }

        Assert.False(timeout.IsCancellationRequested, $"{what}: the call hung");
    }

    [Fact]
    public void CaseCount_IsReported()
    {
        var count = LocalCases().Count + (ServerCases().Count * 4);
        output.WriteLine($"bad-input cases: {count}");
        Assert.True(count >= 30);
    }
}

internal static class OptionsExtensions
{
    public static object? Validate_(this SalesforceClientOptions options)
    {
        options.Validate();
        return null;
    }
}
