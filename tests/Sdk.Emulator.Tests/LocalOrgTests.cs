using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sdk.Emulator.Tests.TestSupport;

namespace Sdk.Emulator.Tests;

/// <summary>The org as a whole: limits, persistence, several side by side, seed data, the host process.</summary>
public class LocalOrgTests
{
    /// <summary>A clock that notes the delays requested of it (and waits them for real).</summary>
    private sealed class DelayRecordingClock : TimeProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> Delays { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Delays.Enqueue(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task Latency_DelaysEveryApiRequest_OnTheOrgsClock()
    {
        var clock = new DelayRecordingClock();
        var latency = TimeSpan.FromMilliseconds(37);
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Latency = latency, TimeProvider = clock });
        using var http = new OrgHttp(org);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(OrgHttp.Data("limits"))).Status);
        }

        Assert.Equal(3, clock.Delays.Count(d => d == latency));
    }

    [Fact]
    public async Task EveryResponse_CarriesSforceLimitInfo_AndTheLimitIsEnforced()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { DailyApiLimit = 3 });
        using var http = new OrgHttp(org);
        Assert.Equal("api-usage=1/3", (await http.GetAsync(OrgHttp.Data("limits/"))).LimitInfo);
        Assert.Equal("api-usage=2/3", (await http.QueryAsync("SELECT Id FROM Account")).LimitInfo);
        var notFound = await http.GetAsync(OrgHttp.Data("sobjects/Nope/"));
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        Assert.Equal("api-usage=3/3", notFound.LimitInfo);

        var over = await http.GetAsync(OrgHttp.Data("limits/"));
        Assert.Equal(HttpStatusCode.Forbidden, over.Status);
        Assert.Equal(("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), over.Error);
        Assert.Equal("api-usage=3/3", over.LimitInfo);
        Assert.Equal(3, org.ApiRequestCount);
    }

    [Fact]
    public async Task Data_SurvivesARestart_WithNothingLost()
    {
        var path = Path.Combine(Path.GetTempPath(), "sdk-localorg-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            string acme, deleted;
            await using (var org = await LocalOrg.StartAsync(new LocalOrgOptions { DataFile = path, Seed = 3 }))
            {
                using var http = new OrgHttp(org);
                acme = await http.CreateAsync("Account", new { Name = "Persisted", AnnualRevenue = 12.5, NumberOfEmployees = 7 });
                await http.CreateAsync("Invoice__c", new { Name = "Inv", Due_Date__c = "2024-02-29", Paid_At__c = "2024-03-01T10:11:12.123Z", Tags__c = "Urgent", Reminder_Time__c = "08:00:00.000Z", Payload__c = new { k = "v" } });
                deleted = await http.CreateAsync("Contact", new { LastName = "Deleted" });
                await http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"sobjects/Contact/{deleted}"));
                Assert.True(org.RecordCount > 50);
            }

            Assert.True(File.Exists(path));
            await using (var org = await LocalOrg.StartAsync(new LocalOrgOptions { DataFile = path, Seed = 99 }))
            {
                using var http = new OrgHttp(org);
                var account = (await http.GetAsync(OrgHttp.Data($"sobjects/Account/{acme}"))).Json;
                Assert.Equal(("Persisted", 12.5m, 7), (account.GetProperty("Name").GetString(), account.GetProperty("AnnualRevenue").GetDecimal(), account.GetProperty("NumberOfEmployees").GetInt32()));
                var invoice = Assert.Single(await http.RecordsAsync("SELECT Due_Date__c, Paid_At__c, Tags__c, Reminder_Time__c, Payload__c FROM Invoice__c WHERE Name = 'Inv'"));
                Assert.Equal("2024-02-29", invoice.GetProperty("Due_Date__c").GetString());
                Assert.Equal("2024-03-01T10:11:12.123+0000", invoice.GetProperty("Paid_At__c").GetString());
                Assert.Equal("08:00:00.000Z", invoice.GetProperty("Reminder_Time__c").GetString());
                Assert.Equal("v", invoice.GetProperty("Payload__c").GetProperty("k").GetString());
                Assert.True(Assert.Single(await http.RecordsAsync($"SELECT IsDeleted FROM Contact WHERE Id = '{deleted}'", all: true)).GetProperty("IsDeleted").GetBoolean());
                // The seed is not applied again over saved data, and new ids never reuse old ones.
                Assert.Single(await http.RecordsAsync("SELECT Id FROM Account WHERE Name = 'Persisted'"));
                var fresh = await http.CreateAsync("Account", new { Name = "After restart" });
                Assert.NotEqual(acme, fresh);
                Assert.Empty(await http.RecordsAsync($"SELECT Id FROM Account WHERE Id = '{fresh}' AND Name != 'After restart'"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task SeveralOrgs_RunSideBySide_WithTheirOwnData()
    {
        await using var first = await LocalOrg.StartAsync();
        await using var second = await LocalOrg.StartAsync();
        Assert.NotEqual(first.InstanceUrl, second.InstanceUrl);
        using var a = new OrgHttp(first);
        using var b = new OrgHttp(second);
        await a.CreateAsync("Account", new { Name = "Only in the first" });
        Assert.Single(await a.RecordsAsync("SELECT Id FROM Account"));
        Assert.Empty(await b.RecordsAsync("SELECT Id FROM Account"));
        // A token of one org means nothing to the other.
        using var cross = new OrgHttp(second, a.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cross.GetAsync(OrgHttp.Data("limits/"))).Status);
    }

    [Fact]
    public async Task Truncate_EmptiesOneObject_OthersKeepTheirRecords_AndNewRecordsAreFound()
    {
        await using var org = await LocalOrg.StartAsync();
        using var http = new OrgHttp(org);
        var gone = await http.CreateAsync("Account", new { Name = "Gone", AccountNumber = "A-1" });
        await http.CreateAsync("Account", new { Name = "Gone too" });
        await http.CreateAsync("Contact", new { LastName = "Stays" });
        Assert.Single(await http.RecordsAsync("SELECT Id FROM Account WHERE AccountNumber = 'A-1'"));

        org.State.Store.Truncate(org.State.Schema.Find("Account")!);

        Assert.Empty(await http.RecordsAsync("SELECT Id FROM Account", all: true));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(OrgHttp.Data("sobjects/Account/" + gone))).Status);
        Assert.Single(await http.RecordsAsync("SELECT Id FROM Contact"));
        var again = await http.CreateAsync("Account", new { Name = "New", AccountNumber = "A-1" });
        Assert.Equal(again, Assert.Single(await http.RecordsAsync("SELECT Id FROM Account WHERE AccountNumber = 'A-1'")).GetProperty("Id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(OrgHttp.Data("sobjects/Account/" + again))).Status);
    }

    [Fact]
    public async Task Seed_IsDeterministic()
    {
        async Task<string[]> Names(int seed)
        {
            await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { Seed = seed });
            using var http = new OrgHttp(org);
            return [.. (await http.RecordsAsync("SELECT Name, Industry, (SELECT LastName FROM Contacts) FROM Account ORDER BY Name")).Select(r => r.GetRawText())];
        }

        var one = await Names(5);
        Assert.Equal(one, await Names(5));
        Assert.NotEqual(one, await Names(6));
        Assert.Equal(12, one.Length);
    }

    [Fact]
    public async Task Generate_FillsRequiredFields()
    {
        await using var org = await LocalOrg.StartAsync();
        var ids = await org.GenerateAsync("Opportunity", 25);
        Assert.Equal(25, ids.Count);
        using var http = new OrgHttp(org);
        var rows = await http.RecordsAsync("SELECT Name, StageName, CloseDate FROM Opportunity");
        Assert.Equal(25, rows.Length);
        Assert.All(rows, r => Assert.NotEqual(System.Text.Json.JsonValueKind.Null, r.GetProperty("CloseDate").ValueKind));
    }

    [Fact]
    public async Task Schema_FromADirectory_ReplacesOrAdds()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "describe");
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { SchemaDirectories = { directory } });
        Assert.Contains("CustomObject__c", org.Objects);
        Assert.Contains("OpportunityContactRole", org.Objects);
        Assert.Contains("Invoice__c", org.Objects);
    }

    [Fact]
    public async Task Host_PrintsItsUrl_ServesRequests_AndSavesOnCtrlC()
    {
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "sdk-host-" + Guid.NewGuid().ToString("N") + ".json");
        var host = Path.Combine(AppContext.BaseDirectory, "Sdk.Emulator.dll");
        var start = new ProcessStartInfo("dotnet", [host, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "2", "--data", data])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal($"Local org listening at http://127.0.0.1:{port}/", first);
            var lines = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                lines.Add((await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!);
            }

            Assert.Contains(lines, l => l.Contains("username:       admin@local.org", StringComparison.Ordinal));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var versions = await http.GetAsync("/services/data");
            Assert.Equal(HttpStatusCode.OK, versions.StatusCode);

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("saved to", await process.StandardOutput.ReadToEndAsync());
            Assert.True(File.Exists(data));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            File.Delete(data);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
