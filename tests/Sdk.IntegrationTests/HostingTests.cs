using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sdk.Emulator;
using Sdk.Runtime;
using Sdk.Runtime.Auth;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary><c>AddSalesforceClient</c>: the client from the container, over IHttpClientFactory, one per org.</summary>
public class HostingTests
{
    private sealed class CountingHandler : DelegatingHandler
    {
        public int Count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Count);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static PasswordAuthenticator Login(LocalOrg org)
    {
        var c = org.Credentials;
        return new PasswordAuthenticator(c.ClientId, c.ClientSecret, c.Username, c.Password, org.LoginUrl);
    }

    [Fact]
    public async Task DefaultClient_FromTheContainer_SendsThroughTheFactorysHandlers()
    {
        await using var org = await LocalOrg.StartAsync();
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        services.AddSalesforceClient(o => o.Authenticator = Login(org)).AddHttpMessageHandler(() => counter);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<SalesforceClient>();
        Assert.Same(client, provider.GetRequiredService<ISalesforceClientFactory>().GetClient(string.Empty));
        await client.SObjects.CreateAsync(new Org.Account { Name = "From DI" });
        Assert.Equal(1, await client.Query<Org.Account>().CountAsync());
        Assert.True(counter.Count >= 2, $"the factory's handler saw {counter.Count} requests");
        Assert.NotNull(client.Options.Logger); // from the container's ILoggerFactory (AddHttpClient registers logging)
    }

    [Fact]
    public async Task NamedClients_OnePerOrg_UnknownNameIsAClearError()
    {
        await using var first = await LocalOrg.StartAsync();
        await using var second = await LocalOrg.StartAsync();
        var services = new ServiceCollection();
        services.AddSalesforceClient("sales", o => o.Authenticator = Login(first));
        services.AddSalesforceClient("service", o => o.Authenticator = Login(second));
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ISalesforceClientFactory>();

        await factory.GetClient("sales").SObjects.CreateAsync(new Org.Account { Name = "Sales" });
        await factory.GetClient("service").SObjects.CreateAsync(new Org.Account { Name = "Service" });
        Assert.Same(factory.GetClient("sales"), factory.GetClient("sales"));
        Assert.Equal(["Sales"], await factory.GetClient("sales").Query<Org.Account>().Select(a => a.Name).ToListAsync());
        Assert.Equal(["Service"], await factory.GetClient("service").Query<Org.Account>().Select(a => a.Name).ToListAsync());
        var missing = Assert.Throws<InvalidOperationException>(() => factory.GetClient("marketing"));
        Assert.Contains("'marketing'", missing.Message);
    }

    [Fact]
    public async Task ClientFromConfiguration_LogsIn_AndMistakesNameTheKey()
    {
        await using var org = await LocalOrg.StartAsync();
        var c = org.Credentials;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:Orgs:sales:Flow"] = "Password",
            ["Salesforce:Orgs:sales:LoginUrl"] = org.LoginUrl.ToString(),
            ["Salesforce:Orgs:sales:ClientId"] = c.ClientId,
            ["Salesforce:Orgs:sales:ClientSecret"] = c.ClientSecret,
            ["Salesforce:Orgs:sales:Username"] = c.Username,
            ["Salesforce:Orgs:sales:Password"] = c.Password,
            ["Salesforce:Orgs:sales:ApiVersion"] = "62.0",
            ["Salesforce:Orgs:sales:MaxConcurrentRequests"] = "7",
            ["Salesforce:Orgs:broken:Flow"] = "Password",
            ["Salesforce:Orgs:broken:ClientId"] = c.ClientId,
        }).Build();
        var services = new ServiceCollection();
        services.AddSalesforceClient("sales", configuration.GetSection("Salesforce:Orgs:sales"));
        services.AddSalesforceClient("broken", configuration.GetSection("Salesforce:Orgs:broken"));
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ISalesforceClientFactory>();

        var client = factory.GetClient("sales");
        Assert.Equal(62, client.Options.ApiVersion.Major);
        Assert.Equal(7, client.Options.MaxConcurrentRequests);
        await client.SObjects.CreateAsync(new Org.Account { Name = "Configured" });
        Assert.Equal(1, await client.Query<Org.Account>().CountAsync());

        var broken = Assert.Throws<InvalidOperationException>(() => factory.GetClient("broken"));
        Assert.Contains("'Username' is required", broken.Message);
        Assert.DoesNotContain(c.ClientId, broken.Message);
    }
}
