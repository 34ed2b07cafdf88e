using RichardSzalay.MockHttp;
using Sdk.Runtime;
using Sdk.Runtime.Auth;

namespace Sdk.Generator.OutputTests;

public static class TestClient
{
    public const string Instance = "https://acme.my.salesforce.com";
    public const string Data = Instance + "/services/data/v66.0";

    public static SalesforceClient Create(MockHttpMessageHandler mock)
    {
        var policy = Sdk.Runtime.Http.RetryPolicy.CreateDefault();
        policy.BaseDelay = TimeSpan.Zero;
        return new SalesforceClient(mock.ToHttpClient(), new SalesforceClientOptions
        {
            InstanceUrl = new Uri(Instance),
            Authenticator = new AccessTokenAuthenticator("token", new Uri(Instance)),
            RetryPolicy = policy,
        });
    }

    public static string Fixture(string relative) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relative));

    public static SalesforceClient ServingQuery(string fixture)
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, Data + "/query/").Respond("application/json", Fixture(fixture));
        return Create(mock);
    }
}
