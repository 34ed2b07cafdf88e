using Sdk.Emulator;
using Sdk.IntegrationTests.Org;
using Sdk.Runtime;
using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>The SDK against a local org that injects faults: retried where safe, never duplicated, deterministic by seed.</summary>
public class FaultTests
{
    private static async Task<IReadOnlyDictionary<FaultKind, int>> ReadThroughFaultsAsync(int seed)
    {
        var options = new LocalOrgOptions();
        options.Faults.Seed = seed;
        await using var org = await LocalOrg.StartAsync(options);
        await using var client = OrgClient.Connect(org);
        var account = new Account { Name = "Steady" };
        await client.SObjects.CreateAsync(account);
        org.Faults.Rules.Add(new FaultRule(FaultKind.ServiceUnavailable, 0.15));
        org.Faults.Rules.Add(new FaultRule(FaultKind.UnableToLockRow, 0.05));
        org.Faults.Rules.Add(new FaultRule(FaultKind.TooManyRequests, 0.05) { RetryAfter = TimeSpan.Zero });
        org.Faults.Rules.Add(new FaultRule(FaultKind.DropBeforeProcessing, 0.03));
        for (var i = 0; i < 100; i++)
        {
            var read = await client.SObjects.GetAsync<Account>(account.Id!.Value, ["Name"]);
            Assert.Equal("Steady", read.Name);
        }

        return org.Faults.Injected.ToDictionary();
    }

    [Fact]
    public async Task Reads_RetriedThroughInjectedFaults_SameSeedSameFaults()
    {
        var first = await ReadThroughFaultsAsync(seed: 7);
        Assert.True(first.Values.Sum() >= 15, $"only {first.Values.Sum()} faults were injected");
        Assert.Equal(4, first.Count);
        var again = await ReadThroughFaultsAsync(seed: 7);
        Assert.Equal(first.OrderBy(p => p.Key), again.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task CreateWhoseAnswerIsLost_IsNotResent_UpsertIsSafeToRetry()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        org.Faults.Rules.Add(new FaultRule(FaultKind.DropAfterProcessing, 1) { Method = "POST", PathContains = "/sobjects/Account", MaxCount = 1 });

        // The server created the record, but the answer never arrived: the SDK reports the failure and does not send the
        // create again (it cannot know whether it happened), so there is exactly one record, not two.
        var lost = new Account { Name = "Maybe created" };
        await Assert.ThrowsAnyAsync<Exception>(() => client.SObjects.CreateAsync(lost));
        Assert.Null(lost.Id);
        Assert.Equal(1, await client.Query<Account>().Where(a => a.Name == "Maybe created").CountAsync());

        // An upsert by external id is idempotent: the SDK resends it after a lost answer, and the second send updates.
        org.Faults.Rules.Add(new FaultRule(FaultKind.DropAfterProcessing, 1) { Method = "PATCH", PathContains = "/sobjects/Invoice__c", MaxCount = 1 });
        var invoice = new Invoice { External_Id = "SAFE-1", Name = "Safe", Amount = 10m };
        var result = await client.SObjects.UpsertAsync(invoice, "External_Id__c");
        Assert.False(result.Created); // the first (lost) send created it; the resend found it
        Assert.Equal(1, await client.Query<Invoice>().CountAsync());
        Assert.Equal(2, org.Faults.Injected[FaultKind.DropAfterProcessing]);
    }

    [Fact]
    public async Task SessionExpiringMidRun_IsRenewed_AndTheRequestResent()
    {
        await using var org = await LocalOrg.StartAsync();
        await using var client = OrgClient.Connect(org);
        await client.SObjects.CreateAsync(new Account { Name = "Before" });
        org.Faults.Rules.Add(new FaultRule(FaultKind.ExpireSession, 1) { MaxCount = 1 });
        await client.SObjects.CreateAsync(new Account { Name = "After" });
        Assert.Equal(1, org.Faults.Injected[FaultKind.ExpireSession]);
        Assert.Equal(2, await client.Query<Account>().CountAsync());
    }
}
