using System.Net;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Http;

public class SessionRefreshTests
{
    private static readonly SalesforceId AccountId = SalesforceId.Parse("001Da00000xnAk6IAE");

    private sealed class RotatingAuthenticator : SalesforceAuthenticator
    {
        private int _issued;

        public int Issued => _issued;

        protected override async Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(30, cancellationToken);
            var n = Interlocked.Increment(ref _issued);
            return new SalesforceToken("token-" + n, new Uri(TestClients.Instance), TimeProvider.GetUtcNow());
        }
    }

    private static SalesforceClient Client(DelegateHandler handler, SalesforceAuthenticator auth) => new(new HttpClient(handler), new SalesforceClientOptions
    {
        Authenticator = auth,
        RetryPolicy = TestClients.FastRetry(),
    });

    [Fact]
    public async Task FiftyConcurrent401s_OneTokenRequest_AllResentAndSucceed()
    {
        var auth = new RotatingAuthenticator();
        var handler = new DelegateHandler((req, _, _) => Task.FromResult(req.Headers.Authorization!.Parameter == "token-1"
            ? DelegateHandler.Json(HttpStatusCode.Unauthorized, TestClients.Fixture("errors/create-invalid-token.401.json"))
            : DelegateHandler.Json(HttpStatusCode.OK, """{"Id":"001Da00000xnAk6IAE","Name":"Acme"}""")));
        using var client = Client(handler, auth);
        await auth.GetTokenAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.SObjects.GetAsync("Account", AccountId)));
        Assert.All(results, r => Assert.Equal("Acme", (string?)r["Name"]));
        Assert.Equal(2, auth.Issued);
        Assert.Equal(100, handler.Count);
        Assert.Equal(50, handler.Requests.Count(r => r.Authorization == "Bearer token-2"));
    }

    [Fact]
    public async Task StillUnauthorizedAfterRefresh_SessionExpired_NoLoop()
    {
        var auth = new RotatingAuthenticator();
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.Unauthorized, TestClients.Fixture("errors/data-api-create-invalid-token-session-error.401.json"))));
        using var client = Client(handler, auth);
        var ex = await Assert.ThrowsAsync<SessionExpiredException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(2, handler.Count);
        Assert.Equal(2, auth.Issued);
        Assert.Equal("INVALID_SESSION_ID", ex.ErrorCode);
        Assert.DoesNotContain("token-", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkV1_400InvalidSessionId_RefreshesAndResendsWithTheNewSessionHeader_Other400sDoNot()
    {
        var auth = new RotatingAuthenticator();
        const string Expired = """<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>""";
        const string BadJob = """<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>InvalidJob</exceptionCode><exceptionMessage>Invalid job id: 750</exceptionMessage></error>""";
        const string JobInfo = """<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><id>750000000000001AAA</id><operation>insert</operation><object>Account</object><state>Open</state><contentType>CSV</contentType></jobInfo>""";
        var sessions = new List<string>();
        var handler = new DelegateHandler((req, _, _) =>
        {
            var session = req.Headers.GetValues("X-SFDC-Session").Single();
            lock (sessions)
            {
                sessions.Add(session);
            }

            var body = req.RequestUri!.AbsolutePath.EndsWith("750000000000002AAA", StringComparison.Ordinal) ? BadJob : session == "token-1" ? Expired : JobInfo;
            var response = new HttpResponseMessage(body == JobInfo ? HttpStatusCode.OK : HttpStatusCode.BadRequest)
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/xml"),
            };
            return Task.FromResult(response);
        });
        using var client = Client(handler, auth);
        await auth.GetTokenAsync();

        var job = await client.BulkV1.GetJobAsync("750000000000001AAA");

        Assert.Equal("750000000000001AAA", job.Id);
        Assert.Equal(["token-1", "token-2"], sessions);
        Assert.Equal(2, auth.Issued);

        sessions.Clear();
        var ex = await Assert.ThrowsAsync<SalesforceException>(() => client.BulkV1.GetJobAsync("750000000000002AAA"));
        Assert.Equal("InvalidJob", ex.ErrorCode);
        Assert.Equal(["token-2"], sessions); // not a session problem: no refresh, no resend
        Assert.Equal(2, auth.Issued);
    }

    [Fact]
    public async Task Unauthorized_OtherErrorCode_NoRefresh()
    {
        var auth = new RotatingAuthenticator();
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.Unauthorized, """[{"errorCode":"INVALID_AUTH_HEADER","message":"bad header"}]""")));
        using var client = Client(handler, auth);
        await Assert.ThrowsAsync<SessionExpiredException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(1, handler.Count);
        Assert.Equal(1, auth.Issued);
    }

    [Fact]
    public async Task PostBody_ResentAfterRefresh()
    {
        var auth = new RotatingAuthenticator();
        var handler = new DelegateHandler((req, _, _) => Task.FromResult(req.Headers.Authorization!.Parameter == "token-1"
            ? DelegateHandler.Json(HttpStatusCode.Unauthorized, TestClients.Fixture("errors/create-invalid-token.401.json"))
            : DelegateHandler.Json(HttpStatusCode.Created, """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}""")));
        using var client = Client(handler, auth);
        await client.SObjects.CreateAsync("Account", new System.Text.Json.Nodes.JsonObject { ["Name"] = "Ünïcode" });
        Assert.Equal(2, handler.Count);
        Assert.Equal("""{"Name":"\u00DCn\u00EFcode"}""", handler.Requests[0].Body);
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
    }

    [Fact]
    public async Task FixedToken_401_SessionExpiredWithoutRefresh()
    {
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.Unauthorized, TestClients.Fixture("errors/create-invalid-token.401.json"))));
        using var client = Client(handler, new AccessTokenAuthenticator("fixed", new Uri(TestClients.Instance)));
        await Assert.ThrowsAsync<SessionExpiredException>(() => client.SObjects.GetAsync("Account", AccountId));
        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task CallersHttpClient_NotDisposed()
    {
        var handler = new DelegateHandler((_, _, _) => Task.FromResult(DelegateHandler.Json(HttpStatusCode.OK, "{}")));
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://example.com") };
        var client = Client(handler, new AccessTokenAuthenticator("fixed", new Uri(TestClients.Instance)));
        var mine = new SalesforceClient(http, new SalesforceClientOptions { Authenticator = new AccessTokenAuthenticator("t", new Uri(TestClients.Instance)) });
        await mine.SObjects.GetAsync("Account", AccountId);
        await mine.DisposeAsync();
        client.Dispose();
        using var response = await http.GetAsync("/still-works");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
