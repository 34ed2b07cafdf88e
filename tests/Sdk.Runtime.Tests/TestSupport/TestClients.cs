using RichardSzalay.MockHttp;
using Sdk.Runtime.Auth;
using Sdk.Runtime.Http;

namespace Sdk.Runtime.Tests.TestSupport;

public static class TestClients
{
    public const string Instance = "https://acme.my.salesforce.com";
    public const string Data = Instance + "/services/data/v66.0";
    public const string Token = "00Dxx0000001gPL!AQ4AQFakeTokenValue";

    /// <summary>A client over a mock, with a fixed token and a retry policy that does not wait.</summary>
    public static SalesforceClient Create(MockHttpMessageHandler mock, Action<SalesforceClientOptions>? configure = null)
    {
        var options = new SalesforceClientOptions
        {
            InstanceUrl = new Uri(Instance),
            Authenticator = new AccessTokenAuthenticator(Token, new Uri(Instance)),
            TimeProvider = new ManualTimeProvider(),
        };
        options.RetryPolicy = FastRetry();
        configure?.Invoke(options);
        return new SalesforceClient(mock.ToHttpClient(), options);
    }

    public static RetryPolicy FastRetry()
    {
        var policy = RetryPolicy.CreateDefault();
        policy.BaseDelay = TimeSpan.Zero;
        policy.Timeout = Timeout.InfiniteTimeSpan;
        return policy;
    }

    public static string Fixture(string relative) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", relative));
}
