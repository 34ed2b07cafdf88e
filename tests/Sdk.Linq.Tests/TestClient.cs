using RichardSzalay.MockHttp;
using Sdk.Runtime;
using Sdk.Runtime.Auth;

namespace Sdk.Linq.Tests;

public static class TestClient
{
    public const string Instance = "https://acme.my.salesforce.com";
    public const string Data = Instance + "/services/data/v66.0";

    /// <summary>A client whose requests go to the mock (no network).</summary>
    public static SalesforceClient Create(MockHttpMessageHandler? mock = null)
    {
        mock ??= new MockHttpMessageHandler();
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
}
