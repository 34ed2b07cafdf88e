using System.Net;
using RichardSzalay.MockHttp;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Records;
using Task = System.Threading.Tasks.Task;

namespace Sdk.Generator.OutputTests;

/// <summary>The client's typed operations on generated records.</summary>
public class TypedClientTests
{
    private static readonly SalesforceId AccountId = SalesforceId.Parse("001Da00000xnAk6IAE");

    [Fact]
    public async Task Create_SendsChangedFields_SetsIdAndAcceptsChanges()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, TestClient.Data + "/sobjects/Account/")
            .WithContent("""{"Name":"Acme","Industry":"Banking"}""")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}""");
        using var client = TestClient.Create(mock);
        var account = new Account { Name = "Acme", Industry = AccountIndustry.Banking };
        var id = await client.SObjects.CreateAsync(account);
        Assert.Equal(AccountId, id);
        Assert.Equal(AccountId, account.Id);
        Assert.False(account.HasChanges);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Get_Typed_And_Update_SendsOnlyChanges_NoRequestWhenClean()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, TestClient.Data + "/sobjects/Account/001Da00000xnAk6IAE")
            .Respond("application/json", """{"attributes":{"type":"Account"},"Id":"001Da00000xnAk6IAE","Name":"Acme","Phone":"1"}""");
        mock.Expect(new HttpMethod("PATCH"), TestClient.Data + "/sobjects/Account/001Da00000xnAk6IAE")
            .WithContent("""{"Phone":"2"}""")
            .Respond(HttpStatusCode.NoContent);
        using var client = TestClient.Create(mock);
        var account = await client.SObjects.GetAsync<Account>(AccountId);
        await client.SObjects.UpdateAsync(account);
        account.Phone = "2";
        await client.SObjects.UpdateAsync(account);
        Assert.False(account.HasChanges);
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Upsert_ByExternalIdOfRecord()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(new HttpMethod("PATCH"), TestClient.Data + "/sobjects/Invoice__c/External_Id__c/INV-7")
            .WithContent("""{"Name":"Seven","Amount__c":70}""")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"a0I000000000001EAA","success":true,"errors":[],"created":true}""");
        using var client = TestClient.Create(mock);
        var invoice = new Invoice { External_Id = "INV-7", Name = "Seven", Amount = 70 };
        var result = await client.SObjects.UpsertAsync(invoice, "External_Id__c");
        Assert.True(result.Created);
        Assert.Equal(result.Id, invoice.Id);
        Assert.False(invoice.HasChanges);
        await Assert.ThrowsAsync<ArgumentException>(() => client.SObjects.UpsertAsync(new Invoice(), "External_Id__c"));
        mock.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task Delete_And_Blob()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Delete, TestClient.Data + "/sobjects/Account/001Da00000xnAk6IAE").Respond(HttpStatusCode.NoContent);
        mock.Expect(HttpMethod.Get, TestClient.Data + "/sobjects/Document/015000000000001AAA/Body").Respond("application/octet-stream", "file-bytes");
        using var client = TestClient.Create(mock);
        await client.SObjects.DeleteAsync(new Account { Id = AccountId });
        await Assert.ThrowsAsync<ArgumentException>(() => client.SObjects.DeleteAsync(new Account()));
        await using var stream = await client.SObjects.OpenBlobAsync(SalesforceBlob.FromUrl("/services/data/v66.0/sobjects/Document/015000000000001AAA/Body"));
        using var reader = new StreamReader(stream);
        Assert.Equal("file-bytes", await reader.ReadToEndAsync());
        mock.VerifyNoOutstandingExpectation();
    }
}
