using System.Net;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Http;

public class ConcurrencyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    public async Task InFlight_NeverExceedsLimit(int limit)
    {
        var inFlight = 0;
        var max = 0;
        var handler = new DelegateHandler(async (_, _, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            int seen;
            while ((seen = Volatile.Read(ref max)) < now && Interlocked.CompareExchange(ref max, now, seen) != seen)
            {
            }

            await Task.Delay(20, ct);
            Interlocked.Decrement(ref inFlight);
            return DelegateHandler.Json(HttpStatusCode.OK, """{"Id":"001Da00000xnAk6IAE"}""");
        });
        var options = new SalesforceClientOptions
        {
            InstanceUrl = new Uri(TestClients.Instance),
            Authenticator = new AccessTokenAuthenticator(TestClients.Token, new Uri(TestClients.Instance)),
            MaxConcurrentRequests = limit,
        };
        using var client = new SalesforceClient(new HttpClient(handler), options);
        var id = SalesforceId.Parse("001Da00000xnAk6IAE");
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.SObjects.GetAsync("Account", id)));
        Assert.Equal(40, handler.Count);
        Assert.Equal(limit, max);
    }

    [Fact]
    public void DefaultLimit_Is100() => Assert.Equal(100, new SalesforceClientOptions().MaxConcurrentRequests);
}
