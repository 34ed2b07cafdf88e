using Task = System.Threading.Tasks.Task;
using System.Text.Json;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Records;

namespace Sdk.Generator.OutputTests;

/// <summary>Real captured query responses read into generated records.</summary>
public class ReadRecordsTests
{
    [Fact]
    public async Task AccountsPage_ValuesNullsAndPicklists()
    {
        using var client = TestClient.ServingQuery("query/cumulusci/TestDatasetsE2E.test_datasets_e2e__02_GET_query_200.json");
        var accounts = await client.QueryRawAsync<Account>("SELECT Id FROM Account").ToListAsync();
        Assert.Equal(6, accounts.Count);
        var first = accounts[0];
        Assert.Equal(SalesforceId.Parse("001Da00000xnAk6IAE"), first.Id);
        Assert.Equal("Account", first.Attributes!.Type);
        Assert.Equal("/services/data/vxx.0/sobjects/Account/001Da00000xnAk6IAE", first.Attributes.Url);
        Assert.Equal("Account 5", first.Name);
        Assert.Equal(AccountCleanStatus.Pending, first.CleanStatus);
        Assert.True(first.CleanStatus!.Value.IsKnown);
        Assert.Equal("Not Compared", first.CleanStatus.Value.Label);
        Assert.Null(first.BillingCity);
        Assert.True(first.IsSet("BillingCity"));
        Assert.False(first.IsSet("Description"));
        Assert.False(first.HasChanges);
        Assert.Empty(first.AdditionalFields);
    }

    [Fact]
    public async Task Events_PolymorphicWhoAndWhat_DatetimesAndInts()
    {
        using var client = TestClient.ServingQuery("query/cumulusci/TestSelect.test_select_similarity_select_and_insert_strategy__01_GET_query_200.json");
        var events = await client.QueryRawAsync<Event>("SELECT Id FROM Event").ToListAsync();
        Assert.Equal(3, events.Count);
        var who = Assert.IsType<Contact>(events[0].Who);
        Assert.Equal("Contact", who.LastName);
        Assert.Null(who.Email);
        Assert.True(who.IsSet("Email"));
        Assert.Null(events[0].What);
        Assert.True(events[0].IsSet("What"));
        var what = Assert.IsType<Account>(events[1].What);
        Assert.Equal("Tom Cruise", what.Name);
        Assert.Equal("123", what.AccountNumber);
        Assert.Equal(60, events[0].DurationInMinutes);
        Assert.Equal(new DateTimeOffset(2024, 11, 7, 7, 0, 0, TimeSpan.Zero), events[0].ActivityDateTime);
        Assert.Equal(new DateTimeOffset(3156, 11, 12, 13, 0, 0, TimeSpan.Zero), events[2].ActivityDateTime);
        Assert.Equal("Test Event 1", events[1].Subject?.Value);
    }

    [Fact]
    public async Task CustomObject_DatetimeAndLookup()
    {
        using var client = TestClient.ServingQuery("query/recursively_builds_all_associations__01_GET_query_200.json");
        var record = Assert.Single(await client.QueryRawAsync<CustomObject>("SELECT Id FROM CustomObject__c").ToListAsync());
        Assert.Equal(new DateTimeOffset(2015, 6, 25, 21, 55, 5, TimeSpan.Zero), record.SystemModstamp);
        Assert.Equal(SalesforceId.Parse("0031a000005hwVuAAI"), record.Friend);
        Assert.Null(record.SynchronizationId);
        Assert.Equal("a001a000002zhZy", record.Name);
        Assert.Equal("CustomObject__c", record.SObjectType);
    }

    [Fact]
    public async Task Contacts_ChildOpportunities()
    {
        using var client = TestClient.ServingQuery("query/cumulusci/TestUpsert.test_simple_upsert__rest__03_GET_query_200.json");
        var contacts = await client.QueryRawAsync<Contact>("SELECT FirstName FROM Contact").ToListAsync();
        Assert.Equal(17, contacts.Count);
        Assert.Null(contacts[0].Opportunities);
        Assert.True(contacts[0].IsSet("Opportunities"));
        var george = contacts.Single(c => c.FirstName == "George Oscar");
        var opportunity = Assert.Single(george.Opportunities!);
        Assert.Equal(1, george.Opportunities!.TotalSize);
        Assert.True(george.Opportunities.Done);
        Assert.Equal("Illusional Opportunity", opportunity.Name);
        Assert.Equal("Opportunity", opportunity.Attributes!.Type);
    }

    [Fact]
    public async Task Aggregate_AsPolymorphicSObject_KeepsExpr()
    {
        using var client = TestClient.ServingQuery("query/cumulusci/TestDatasetsE2E.test_datasets_e2e__01_GET_query_200.json");
        var row = Assert.Single(await client.QueryRawAsync<SObject>("SELECT count(Id) FROM Account").ToListAsync());
        var dynamic = Assert.IsType<DynamicSObject>(row);
        Assert.Equal("AggregateResult", dynamic.SObjectType);
        Assert.Equal(6, dynamic["expr0"]!.Value.GetInt32());
    }

    [Fact]
    public async Task PolymorphicSObject_ResolvesGeneratedTypes()
    {
        using var client = TestClient.ServingQuery("query/cumulusci/TestDatasetsE2E.test_datasets_e2e__02_GET_query_200.json");
        var rows = await client.QueryRawAsync<SObject>("SELECT Id FROM Account").ToListAsync();
        Assert.All(rows, r => Assert.IsType<Account>(r));
    }

    [Fact]
    public void CompoundBase64AndUnknownValues_Read()
    {
        const string json = """
            {"attributes":{"type":"Account"},"Id":"001Da00000xnAk6IAE","Industry":"Quantum Widgets","Type":"Prospect",
             "BillingAddress":{"city":"Paris","country":"France","countryCode":null,"geocodeAccuracy":null,"latitude":48.8566,"longitude":2.3522,"postalCode":"75001","state":null,"stateCode":null,"street":"1 Rue de Rivoli"},
             "Owner":{"attributes":{"type":"User","url":"/services/data/v66.0/sobjects/User/005000000000001AAA"},"Name":"Ada"},
             "NotInSchema__c":{"nested":[1,2]}}
            """;
        var account = JsonSerializer.Deserialize<Account>(json, Options)!;
        Assert.Equal("Quantum Widgets", account.Industry!.Value.Value);
        Assert.False(account.Industry.Value.IsKnown);
        Assert.Equal(AccountType.Prospect, account.Type);
        Assert.True(account.Type!.Value.IsKnown);
        Assert.Equal("Paris", account.BillingAddress!.City);
        Assert.Equal(48.8566, account.BillingAddress.Latitude);
        var owner = Assert.IsType<DynamicSObject>(account.Owner);
        Assert.Equal("User", owner.SObjectType);
        Assert.Equal("Ada", owner["Name"]!.Value.GetString());
        Assert.Equal(new SObjectAttributes("User", "/services/data/v66.0/sobjects/User/005000000000001AAA"), owner.Attributes);
        var tree = new Utf8JsonReader("""{"attributes":{"type":"Lead","referenceId":"ref1"},"LastName":"X"}"""u8);
        tree.Read();
        Assert.Equal(new SObjectAttributes("Lead", null) { ReferenceId = "ref1" }, DynamicSObject.ReadJson(ref tree).Attributes);
        Assert.Equal(JsonValueKind.Object, account.AdditionalFields["NotInSchema__c"].ValueKind);

        var roundTrip = JsonSerializer.Serialize(account, Options);
        Assert.Contains("\"Industry\":\"Quantum Widgets\"", roundTrip, StringComparison.Ordinal);
        Assert.Contains("\"NotInSchema__c\":{\"nested\":[1,2]}", roundTrip, StringComparison.Ordinal);
        Assert.Contains("\"city\":\"Paris\"", roundTrip, StringComparison.Ordinal);

        var document = JsonSerializer.Deserialize<Document>("""{"attributes":{"type":"Document"},"Body":"/services/data/v66.0/sobjects/Document/01500000000001AAA/Body"}""", Options)!;
        Assert.Equal("/services/data/v66.0/sobjects/Document/01500000000001AAA/Body", document.Body!.Url);
    }

    [Fact]
    public void BadValue_ErrorNamesObjectAndField()
    {
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Event>("""{"ActivityDateTime":"yesterday"}""", Options));
        Assert.Contains("Event.ActivityDateTime", ex.Message, StringComparison.Ordinal);
        var id = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Account>("""{"ParentId":"not-an-id"}""", Options));
        Assert.Contains("Account.ParentId", id.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullRelationships_AreSetAndNull_WithoutMakingTheRelationshipsObject()
    {
        static object? Relations(SObject record) => record.GetType().GetField("__sfr", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(record);

        // an empty parent and a subquery that found nothing, as Salesforce returns them
        const string json = """{"attributes":{"type":"Account"},"Name":"Acme","Parent":null,"Contacts":null}""";
        var account = JsonSerializer.Deserialize<Account>(json, Options)!;
        Assert.True(account.IsSet("Parent"));
        Assert.True(account.IsSet("Contacts"));
        Assert.Null(account.Parent);
        Assert.Null(account.Contacts);
        Assert.Null(Relations(account));
        Assert.Equal(json, JsonSerializer.Serialize(account, Options));

        // once the record holds a relationship, a later null is read into it
        var both = JsonSerializer.Deserialize<Account>("""{"Parent":{"attributes":{"type":"Account"},"Name":"Holding"},"Owner":null}""", Options)!;
        Assert.Equal("Holding", both.Parent!.Name);
        Assert.Null(both.Owner);
        Assert.True(both.IsSet("Owner"));
        var again = JsonSerializer.Deserialize<Account>("""{"Parent":{"attributes":{"type":"Account"},"Name":"Holding"},"Parent":null}""", Options)!;
        Assert.Null(again.Parent);
        Assert.NotNull(Relations(again));
    }

    internal static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = SalesforceSchema.Default };
        options.MakeReadOnly();
        return options;
    }
}
