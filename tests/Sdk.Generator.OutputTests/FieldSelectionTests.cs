using System.Text.Json;
using RichardSzalay.MockHttp;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Records;
using Task = System.Threading.Tasks.Task;

namespace Sdk.Generator.OutputTests;

/// <summary>This project generates Case with only the fields its <c>SalesforceSchemaFields</c> lists (see the project file).</summary>
public class FieldSelectionTests
{
    [Fact]
    public void Case_HasOnlyTheSelectedFieldsAndRelationships_OtherObjectsAll()
    {
        Assert.Equal(["Id", "AccountId", "Status", "Subject"], Case.Metadata.Fields.Select(f => f.ApiName));
        Assert.Null(typeof(Case).GetProperty("Priority"));
        Assert.Null(typeof(Case).GetProperty("ContactId"));
        Assert.Equal(typeof(Account), typeof(Case).GetProperty("Account")?.PropertyType);
        Assert.Equal(["Cases"], Case.Metadata.ChildRelationships.Select(c => c.RelationshipName));
        Assert.Equal(["Account"], Case.Metadata.ParentRelationships.Select(p => p.RelationshipName));
        Assert.Equal(68, Account.Metadata.Fields.Count);
    }

    [Fact]
    public void Case_ValuesOfFieldsLeftOut_KeptAsAdditionalFields()
    {
        var json = """
            {"attributes":{"type":"Case"},"Id":"500000000000001AAA","Subject":"Broken","Priority":"High","IsEscalated":true,
             "AccountId":"001000000000001AAA","Account":{"attributes":{"type":"Account"},"Name":"Acme"}}
            """u8;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var read = Case.ReadJson(ref reader, new JsonSerializerOptions());

        Assert.Equal("Broken", read.Subject);
        Assert.Equal("001000000000001AAA", read.AccountId);
        Assert.Equal("Acme", read.Account?.Name);
        Assert.Equal("High", read.AdditionalFields["Priority"].GetString());
        Assert.True(read.AdditionalFields["IsEscalated"].GetBoolean());
    }

    [Fact]
    public void Case_AQueryOfTheWholeType_SelectsOnlyItsFields()
    {
        using var mock = new MockHttpMessageHandler();
        using var client = TestClient.Create(mock);
        Assert.Equal("SELECT Id, AccountId, Status, Subject FROM Case WHERE Status = 'New'", client.Query<Case>().Where(c => c.Status == "New").ToSoql());
    }

    [Fact]
    public async Task Case_ReadById_AsksForItsFieldsOnly_AFullTypeForAll()
    {
        const string CaseJson = """{"attributes":{"type":"Case"},"Id":"500000000000001AAA","Subject":"Broken","Status":"New"}""";
        const string AccountJson = """{"attributes":{"type":"Account"},"Id":"001000000000001AAA","Name":"Acme"}""";
        using var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, TestClient.Data + "/sobjects/Case/500000000000001AAA")
            .WithExactQueryString("fields=Id,AccountId,Status,Subject").Respond("application/json", CaseJson);
        mock.Expect(HttpMethod.Get, TestClient.Data + "/sobjects/Case/500000000000001AAA")
            .WithExactQueryString("fields=Subject").Respond("application/json", CaseJson);
        mock.Expect(HttpMethod.Get, TestClient.Data + "/sobjects/Account/001000000000001AAA")
            .WithExactQueryString(string.Empty).Respond("application/json", AccountJson);
        using var client = TestClient.Create(mock);

        Assert.Equal("Broken", (await client.SObjects.GetAsync<Case>(SalesforceId.Parse("500000000000001AAA"))).Subject);
        Assert.Equal("New", (await client.SObjects.GetAsync<Case>(SalesforceId.Parse("500000000000001AAA"), ["Subject"])).Status);
        Assert.Equal("Acme", (await client.SObjects.GetAsync<Account>(SalesforceId.Parse("001000000000001AAA"))).Name);
        mock.VerifyNoOutstandingExpectation();
    }
}
