namespace Sdk.Emulator.Tests.TestSupport;

/// <summary>
/// A local org with a small, exactly known data set (no random seed), on a fixed clock (2024-06-15 12:00 UTC), shared by the
/// read-only tests of a class.
/// </summary>
public sealed class SampleOrg : IAsyncLifetime
{
    public TestClock Clock { get; } = new();

    public LocalOrg Org { get; private set; } = null!;

    public OrgHttp Http { get; private set; } = null!;

    public Dictionary<string, string> Ids { get; } = [];

    public async Task InitializeAsync()
    {
        Org = await LocalOrg.StartAsync(new LocalOrgOptions { TimeProvider = Clock });
        Http = new OrgHttp(Org);
        var http = Http;
        Ids["Admin"] = Org.UserId;
        Ids["Mia"] = await http.CreateAsync("User", new { Username = "mia@local.org", FirstName = "Mia", LastName = "Manager", Email = "mia@local.org", IsActive = true });
        Ids["Sam"] = await http.CreateAsync("User", new { Username = "sam@local.org", FirstName = "Sam", LastName = "Staff", IsActive = false, ManagerId = Ids["Mia"] });

        Ids["Acme"] = await http.CreateAsync("Account", new { Name = "Acme", Industry = "Banking", AnnualRevenue = 1_000_000, NumberOfEmployees = 100, Rating = "Hot", OwnerId = Ids["Sam"], BillingCity = "Paris", BillingCountry = "France" });
        Ids["Globex"] = await http.CreateAsync("Account", new { Name = "Globex", Industry = "Energy", AnnualRevenue = 500_000, NumberOfEmployees = 50, Rating = "Cold", OwnerId = Ids["Mia"] });
        Ids["Initech"] = await http.CreateAsync("Account", new { Name = "Initech", ParentId = Ids["Acme"] });
        Ids["AcmeLabs"] = await http.CreateAsync("Account", new { Name = "ACME Labs 50%_off", ParentId = Ids["Acme"], NumberOfEmployees = 5 });
        Ids["Gone"] = await http.CreateAsync("Account", new { Name = "Gone Inc" });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.SendAsync(HttpMethod.Delete, OrgHttp.Data($"sobjects/Account/{Ids["Gone"]}"))).Status);

        Ids["Lee"] = await http.CreateAsync("Contact", new { FirstName = "Ada", LastName = "Lee", AccountId = Ids["Acme"], Email = "lee@acme.test", Birthdate = "1990-05-01" });
        Ids["Kim"] = await http.CreateAsync("Contact", new { FirstName = "Bo", LastName = "Kim", AccountId = Ids["Acme"] });
        Ids["Park"] = await http.CreateAsync("Contact", new { LastName = "Park", AccountId = Ids["Globex"], Email = "park@globex.test" });
        Ids["Orphan"] = await http.CreateAsync("Contact", new { LastName = "O'Hara" });

        Ids["O1"] = await http.CreateAsync("Opportunity", new { Name = "O1", AccountId = Ids["Acme"], StageName = "Prospecting", Amount = 100, CloseDate = "2024-06-15" });
        Ids["O2"] = await http.CreateAsync("Opportunity", new { Name = "O2", AccountId = Ids["Acme"], StageName = "Closed Won", Amount = 300, CloseDate = "2024-05-01" });
        Ids["O3"] = await http.CreateAsync("Opportunity", new { Name = "O3", AccountId = Ids["Globex"], StageName = "Closed Won", Amount = 200, CloseDate = "2024-07-10" });
        Ids["O4"] = await http.CreateAsync("Opportunity", new { Name = "O4", AccountId = Ids["Globex"], StageName = "Prospecting", CloseDate = "2023-12-31" });

        Ids["I1"] = await http.CreateAsync("Invoice__c", new { Name = "I1", Account__c = Ids["Acme"], Tags__c = "Urgent;Disputed", Amount__c = 10, External_Id__c = "EXT-1" });
        Ids["I2"] = await http.CreateAsync("Invoice__c", new { Name = "I2", Account__c = Ids["Globex"], Tags__c = "Disputed", Amount__c = 20, External_Id__c = "EXT-2" });
        Ids["I3"] = await http.CreateAsync("Invoice__c", new { Name = "I3", Amount__c = 30 });

        Ids["T1"] = await http.CreateAsync("Task", new { Subject = "Call", WhatId = Ids["Acme"], WhoId = Ids["Lee"] });
        Ids["T2"] = await http.CreateAsync("Task", new { Subject = "Email", WhatId = Ids["O1"] });
        Ids["T3"] = await http.CreateAsync("Task", new { Subject = "Call" });
        Ids["C1"] = await http.CreateAsync("Case", new { Subject = "Broken", AccountId = Ids["Acme"], Status = "Working" });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Org.DisposeAsync();
    }
}
