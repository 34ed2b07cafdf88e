using System.Text.Json;
using RichardSzalay.MockHttp;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime;

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
}
