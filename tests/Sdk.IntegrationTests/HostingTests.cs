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
}
