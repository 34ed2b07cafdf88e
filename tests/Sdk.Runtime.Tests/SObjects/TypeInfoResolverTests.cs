using System.Net;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RichardSzalay.MockHttp;
using Sdk.Runtime.Records;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.SObjects;

public sealed class ResolvedDto
{
    public string? AccountName { get; set; }
}

[JsonSerializable(typeof(ResolvedDto))]
public sealed partial class TestJsonContext : JsonSerializerContext;

public class TypeInfoResolverTests
{
    [Fact]
    public async Task CallersContext_IsUsedForReadAndWrite()
    {
        var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Post, TestClients.Data + "/sobjects/Account/")
            .WithContent("""{"account_name":"Acme"}""")
            .Respond(HttpStatusCode.Created, "application/json", """{"id":"001Da00000xnAk6IAE","success":true,"errors":[]}""");
        mock.Expect(HttpMethod.Get, TestClients.Data + "/sobjects/Account/001Da00000xnAk6IAE")
            .Respond("application/json", """{"account_name":"From context"}""");
        // The caller's resolver (a source-generated context with a modifier) decides the wire names: proof it is consulted first.
        var resolver = TestJsonContext.Default.WithAddedModifier(info =>
        {
            if (info.Type == typeof(ResolvedDto))
            {
                info.Properties.Single(p => p.Name == "AccountName").Name = "account_name";
            }
        });
        using var client = TestClients.Create(mock, o => o.TypeInfoResolver = resolver);
        var id = await client.SObjects.CreateAsync("Account", new ResolvedDto { AccountName = "Acme" });
        var read = await client.SObjects.GetAsync<ResolvedDto>("Account", id);
        Assert.Equal("From context", read.AccountName);
        mock.VerifyNoOutstandingExpectation();
        Assert.Equal(SalesforceId.Parse("001Da00000xnAk6IAE"), id);
    }
}
