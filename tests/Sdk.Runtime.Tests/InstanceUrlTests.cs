namespace Sdk.Runtime.Tests;

public class InstanceUrlTests
{
    [Theory]
    [InlineData("https://acme.my.salesforce.com", "https://acme.my.salesforce.com/")]
    [InlineData("https://acme.my.salesforce.com/some/path?x=1#frag", "https://acme.my.salesforce.com/")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com", "https://acme--uat.sandbox.my.salesforce.com/")]
    [InlineData("https://acme-dev-ed.develop.my.salesforce.com/", "https://acme-dev-ed.develop.my.salesforce.com/")]
    [InlineData("https://power-ability-1234.scratch.my.salesforce.com", "https://power-ability-1234.scratch.my.salesforce.com/")]
    [InlineData("https://na139.salesforce.com", "https://na139.salesforce.com/")]
    [InlineData("https://cs42.salesforce.com/services/data", "https://cs42.salesforce.com/")]
    [InlineData("https://login.salesforce.com", "https://login.salesforce.com/")]
    [InlineData("https://test.salesforce.com", "https://test.salesforce.com/")]
    [InlineData("http://127.0.0.1:8443", "http://127.0.0.1:8443/")]
    [InlineData("http://localhost:5000/services", "http://localhost:5000/")]
    [InlineData("http://[::1]:7000", "http://[::1]:7000/")]
    [InlineData("HTTPS://ACME.MY.SALESFORCE.COM", "https://acme.my.salesforce.com/")]
    public void Normalize_AcceptedShapes_KeepSchemeHostPort(string url, string expected)
        => Assert.Equal(expected, InstanceUrl.Normalize(url).ToString());

    [Theory]
    [InlineData("http://acme.my.salesforce.com", "uses http")]
    [InlineData("http://10.0.0.5:8080", "uses http")]
    [InlineData("acme.my.salesforce.com", "not an absolute URL")]
    [InlineData("/services/data", "not an absolute URL")]
    [InlineData("not a url", "not an absolute URL")]
    [InlineData("ftp://acme.my.salesforce.com", "scheme 'ftp'")]
    [InlineData("https://user:secret@acme.my.salesforce.com", "user information")]
    [InlineData("https://acme.lightning.force.com", "Lightning UI host")]
    [InlineData("https://intranet", "without a domain")]
    public void Normalize_Rejected_ShowsAcceptedShapes(string url, string why)
    {
        var ex = Assert.Throws<ArgumentException>(() => InstanceUrl.Normalize(url));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Accepted shapes", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientOptions_BadInstanceUrl_FailsAtConstruction()
    {
        var options = new SalesforceClientOptions
        {
            InstanceUrl = new Uri("http://acme.my.salesforce.com"),
            Authenticator = new Sdk.Runtime.Auth.AccessTokenAuthenticator("t", new Uri("https://acme.my.salesforce.com")),
        };
        var ex = Assert.Throws<ArgumentException>(() => new SalesforceClient(options));
        Assert.Contains("uses http", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClientOptions_MissingAuthenticator_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SalesforceClient(new SalesforceClientOptions()));
        Assert.Contains("Authenticator", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void ClientOptions_BadConcurrency_Rejected(int limit)
    {
        var options = new SalesforceClientOptions
        {
            Authenticator = new Sdk.Runtime.Auth.AccessTokenAuthenticator("t", new Uri("https://acme.my.salesforce.com")),
            MaxConcurrentRequests = limit,
        };
        Assert.Contains("MaxConcurrentRequests", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }
}
