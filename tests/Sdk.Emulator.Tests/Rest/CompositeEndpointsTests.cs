using System.Net;
using System.Text.Json;
using Sdk.Emulator.Tests.Conformance;
using Sdk.Emulator.Tests.TestSupport;

namespace Sdk.Emulator.Tests.Rest;

/// <summary>
/// The composite resources on the wire: captured Salesforce requests replayed against the local org, whose answers must have
/// the captured answers' shape; semantics (references, rollback, halting) and limits.
/// </summary>
public partial class CompositeEndpointsTests
{
    /// <summary>
    /// Replaces the ids of the capturing org in a request body with ids of records created here, one per distinct id and of
    /// the same object (by key prefix), so the replayed request refers to records that exist.
    /// </summary>
    private static async Task<string> MapForeignIdsAsync(OrgHttp http, string body)
    {
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var match in ForeignId().Matches(body).Cast<System.Text.RegularExpressions.Match>())
        {
            var id = match.Groups[1].Value;
            if (mapped.ContainsKey(id))
            {
                continue;
            }

            mapped[id] = id[..3] switch
            {
                "001" => await http.CreateAsync("Account", new { Name = "Replayed " + id }),
                "003" => await http.CreateAsync("Contact", new { LastName = "Replayed " + id, Email = id + "@example.com" }),
                "006" => await http.CreateAsync("Opportunity", new { Name = "Replayed " + id, StageName = "Prospecting", CloseDate = "2024-01-01" }),
                _ => id,
            };
        }

        return mapped.Aggregate(body, (text, pair) => text.Replace(pair.Key, pair.Value, StringComparison.Ordinal));
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"(00[136][A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\"")]
    private static partial System.Text.RegularExpressions.Regex ForeignId();

    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "composite", "cumulusci");

    /// <summary>
    /// Captured composite and collections exchanges to replay. Left out, with the reason: the 500 capture (a network failure,
    /// no body), and the composite describe calls (their bodies are full describes, whose shape the describe conformance tests
    /// check; the org models fewer objects than those orgs).
    /// </summary>
    public static TheoryData<string> Exchanges()
    {
        var data = new TheoryData<string>();
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, "index.json")));
        foreach (var entry in index.RootElement.EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!;
            var body = entry.GetProperty("request_body").GetString() ?? string.Empty;
            if (entry.GetProperty("status").GetInt32() != 200 || body.Contains("/describe", StringComparison.Ordinal) || body.Contains("If-Modified-Since", StringComparison.Ordinal))
            {
                continue;
            }

            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task CapturedRequest_Replayed_AnswersInTheCapturedShape(string file)
    {
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, "index.json")));
        var entry = index.RootElement.EnumerateArray().Single(e => e.GetProperty("file").GetString() == file);
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        await http.CreateAsync("Account", new { Name = "Smith Corp." });
        var path = "/services/data/" + entry.GetProperty("uri").GetString()!.Split("/services/data/")[1].Replace("vxx.0", "v66.0", StringComparison.Ordinal);
        var body = entry.GetProperty("request_body").GetString()!.Replace("vxx.0", "v66.0", StringComparison.Ordinal);
        body = await MapForeignIdsAsync(http, body);

        var response = await http.SendAsync(new HttpMethod(entry.GetProperty("method").GetString()!), path, body);
        Assert.True(response.Status == HttpStatusCode.OK, $"{path} → {(int)response.Status} {response.Body}");
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, file)));
        if (expected.RootElement.ValueKind == JsonValueKind.Array)
        {
            // Collections: a list of save results of one shape.
            JsonShape.AssertSame(expected.RootElement, response.Json, file);
            Assert.Equal(expected.RootElement.GetArrayLength(), response.Json.GetArrayLength());
            return;
        }

        // Composite: each subrequest's result against the captured one at its position (their bodies differ in kind).
        var expectedItems = expected.RootElement.GetProperty("compositeResponse").EnumerateArray().ToList();
        var actualItems = response.Json.GetProperty("compositeResponse").EnumerateArray().ToList();
        Assert.Equal(expectedItems.Count, actualItems.Count);
        for (var i = 0; i < expectedItems.Count; i++)
        {
            JsonShape.AssertSame(expectedItems[i], actualItems[i], $"{file} [{i}]");
            Assert.Equal(expectedItems[i].GetProperty("httpStatusCode").GetInt32(), actualItems[i].GetProperty("httpStatusCode").GetInt32());
            Assert.Equal(expectedItems[i].GetProperty("referenceId").GetString(), actualItems[i].GetProperty("referenceId").GetString());
        }
    }

    private static string Sub(string referenceId, string method, string url, object? body = null)
        => JsonSerializer.Serialize(new Dictionary<string, object?> { ["referenceId"] = referenceId, ["method"] = method, ["url"] = "/services/data/v66.0/" + url, ["body"] = body });

    [Fact]
    public async Task Graph_AnswersInTheCapturedShape_EachGraphAllOrNothing()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var good = $$"""{"graphId":"1","compositeRequest":[{{Sub("reference_id_account_1", "POST", "sobjects/Account", new { Name = "Cloudy" })}},{{Sub("reference_id_contact_1", "POST", "sobjects/Contact", new { LastName = "Smith", AccountId = "@{reference_id_account_1.id}" })}},{{Sub("reference_id_opportunity_1", "POST", "sobjects/Opportunity", new { Name = "Deal", StageName = "Prospecting", CloseDate = "2024-01-01", AccountId = "@{reference_id_account_1.id}" })}}]}""";
        var bad = $$"""{"graphId":"graph0","compositeRequest":[{{Sub("referenceId0", "POST", "sobjects/Account", new { Name = "Kept?" })}},{{Sub("referenceId1", "POST", "sobjects/Contact", new { FirstName = "No last name", AccountId = "@{referenceId0.id}" })}}]}""";
        var response = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/graph"), $$"""{"graphs":[{{good}},{{bad}}]}""");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var graphs = response.Json.GetProperty("graphs");

        using var created = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "composite", "heroku-applink-nodejs", "composite-graph-create-account-contact-opportunity.200.json")));
        JsonShape.AssertSame(created.RootElement.GetProperty("graphs")[0], graphs[0], "successful graph");
        Assert.True(graphs[0].GetProperty("isSuccessful").GetBoolean());
        Assert.StartsWith("/services/data/v66.0/sobjects/Account/001", graphs[0].GetProperty("graphResponse").GetProperty("compositeResponse")[0].GetProperty("httpHeaders").GetProperty("Location").GetString());

        using var failed = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "composite", "heroku-applink-nodejs", "composite-graph-multiple-errors.200.json")));
        JsonShape.AssertSame(failed.RootElement.GetProperty("graphs")[0], graphs[1], "failed graph", new HashSet<string> { "fields" });
        Assert.False(graphs[1].GetProperty("isSuccessful").GetBoolean());
        var nodes = graphs[1].GetProperty("graphResponse").GetProperty("compositeResponse");
        Assert.Equal("PROCESSING_HALTED", nodes[0].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Equal("REQUIRED_FIELD_MISSING", nodes[1].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Equal(["Cloudy"], (await http.RecordsAsync("SELECT Name FROM Account")).Select(r => r.GetProperty("Name").GetString()));
        var contact = Assert.Single(await http.RecordsAsync("SELECT AccountId FROM Contact"));
        Assert.StartsWith("001", contact.GetProperty("AccountId").GetString());
    }

    [Fact]
    public async Task Composite_ReferencesIntoQueryRecords_AndHaltsWhatReferencesAFailure()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var acme = await http.CreateAsync("Account", new { Name = "Acme" });
        var requests = string.Join(',',
            Sub("q", "GET", "query?q=" + Uri.EscapeDataString("SELECT Id, Name FROM Account WHERE Name = 'Acme'")),
            Sub("contact", "POST", "sobjects/Contact", new { LastName = "Of @{q.records[0].Name}", AccountId = "@{q.records[0].Id}" }),
            Sub("broken", "POST", "sobjects/Account", new { Description = "no name" }),
            Sub("dependent", "PATCH", "sobjects/Account/@{broken.id}", new { Name = "x" }),
            Sub("read", "GET", "sobjects/Contact/@{contact.id}?fields=LastName,AccountId"));
        var response = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite"), $$"""{"allOrNone":false,"compositeRequest":[{{requests}}]}""");
        var results = response.Json.GetProperty("compositeResponse");
        Assert.Equal([200, 201, 400, 400, 200], results.EnumerateArray().Select(r => r.GetProperty("httpStatusCode").GetInt32()));
        Assert.Equal("PROCESSING_HALTED", results[3].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Contains("'broken'", results[3].GetProperty("body")[0].GetProperty("message").GetString());
        Assert.Equal("Of Acme", results[4].GetProperty("body").GetProperty("LastName").GetString());
        Assert.Equal(acme, results[4].GetProperty("body").GetProperty("AccountId").GetString());
    }

    [Fact]
    public async Task Batch_HaltOnError_RestAnswer412_NothingRolledBack()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var body = """
            {"haltOnError":true,"batchRequests":[
              {"method":"POST","url":"v66.0/sobjects/Account","richInput":{"Name":"First"}},
              {"method":"GET","url":"v66.0/sobjects/Account/001000000000000AAA"},
              {"method":"POST","url":"v66.0/sobjects/Account","richInput":{"Name":"Never"}}]}
            """;
        var response = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/batch"), body);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Json.GetProperty("hasErrors").GetBoolean());
        var results = response.Json.GetProperty("results");
        Assert.Equal([201, 404, 412], results.EnumerateArray().Select(r => r.GetProperty("statusCode").GetInt32()));
        Assert.Equal("BATCH_PROCESSING_HALTED", results[2].GetProperty("result")[0].GetProperty("errorCode").GetString());
        Assert.Equal(["First"], (await http.RecordsAsync("SELECT Name FROM Account")).Select(r => r.GetProperty("Name").GetString()));
    }

    [Fact]
    public async Task Limits_AnswerWithSalesforceErrors()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        string Many(int n, Func<int, string> make) => string.Join(',', Enumerable.Range(0, n).Select(make));

        var tooMany = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite"), $$"""{"compositeRequest":[{{Many(26, i => Sub($"r{i}", "GET", "limits"))}}]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "LIMIT_EXCEEDED"), (tooMany.Status, tooMany.Error.Code));
        var queries = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite"), $$"""{"compositeRequest":[{{Many(6, i => Sub($"q{i}", "GET", "query?q=SELECT+Id+FROM+Account"))}}]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "LIMIT_EXCEEDED"), (queries.Status, queries.Error.Code));
        var duplicate = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite"), $$"""{"compositeRequest":[{{Sub("same", "GET", "limits")}},{{Sub("same", "GET", "limits")}}]}""");
        Assert.Contains("Duplicate referenceId 'same'", duplicate.Error.Message);
        var batch = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/batch"), $$"""{"batchRequests":[{{Many(26, _ => """{"method":"GET","url":"v66.0/limits"}""")}}]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "LIMIT_EXCEEDED"), (batch.Status, batch.Error.Code));
        var graphNodes = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/graph"),
            $$"""{"graphs":[{"graphId":"a","compositeRequest":[{{Many(300, i => Sub($"a{i}", "POST", "sobjects/Account", new { Name = "x" }))}}]},{"graphId":"b","compositeRequest":[{{Many(201, i => Sub($"b{i}", "POST", "sobjects/Account", new { Name = "x" }))}}]}]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "LIMIT_EXCEEDED"), (graphNodes.Status, graphNodes.Error.Code));
        var graphQuery = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/graph"), $$"""{"graphs":[{"graphId":"a","compositeRequest":[{{Sub("q", "GET", "query?q=SELECT+Id+FROM+Account")}}]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, graphQuery.Status);
        var tree = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/tree/Account"),
            $$"""{"records":[{{Many(201, i => $$"""{"attributes":{"type":"Account","referenceId":"r{{i}}"},"Name":"x"}""")}}]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "LIMIT_EXCEEDED"), (tree.Status, tree.Error.Code));
        Assert.Empty(await http.RecordsAsync("SELECT Id FROM Account"));
    }

    [Fact]
    public async Task Tree_CreatesNestedRecords_OrAnswersErrorsAndKeepsNothing()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var ok = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/tree/Account"), """
            {"records":[{"attributes":{"type":"Account","referenceId":"ref1"},"Name":"Parent",
              "Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"ref2"},"LastName":"Child"}]}}]}
            """);
        Assert.Equal(HttpStatusCode.Created, ok.Status);
        Assert.False(ok.Json.GetProperty("hasErrors").GetBoolean());
        var parentId = ok.Json.GetProperty("results")[0].GetProperty("id").GetString();
        Assert.Equal(parentId, Assert.Single(await http.RecordsAsync("SELECT AccountId FROM Contact")).GetProperty("AccountId").GetString());

        var bad = await http.SendAsync(HttpMethod.Post, OrgHttp.Data("composite/tree/Account"), """
            {"records":[{"attributes":{"type":"Account","referenceId":"ref1"},"Name":"Second",
              "Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"ref2"},"FirstName":"No last name"}]}}]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.True(bad.Json.GetProperty("hasErrors").GetBoolean());
        var error = Assert.Single(bad.Json.GetProperty("results").EnumerateArray());
        Assert.Equal("ref2", error.GetProperty("referenceId").GetString());
        Assert.Equal("REQUIRED_FIELD_MISSING", error.GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Single(await http.RecordsAsync("SELECT Id FROM Account"));
    }
}
