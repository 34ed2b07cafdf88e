using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

/// <summary>
/// What a record tracks besides its values: which members are set and which changed (the first 128 inline, the rest kept
/// apart), its id (unset, empty or an id), its attributes and the fields its type does not declare.
/// </summary>
public class RecordTrackingTests
{
    private const int Extra = 200;

    [Fact]
    public void WideObject_SetAndChangedTrackedPast128Members_IdAttributesAndAdditionalFieldsKept()
    {
        var schema = GeneratorHarness.SchemaWithCopies("Invoice__c.json", "Reference_Code__c", "T", Extra);

        const string user = """
            namespace Check
            {
                public static class Run
                {
                    private static string Names(System.Collections.Generic.IEnumerable<string> names) => string.Join(",", names);

                    public static string Go()
                    {
                        var errors = new System.Collections.Generic.List<string>();
                        var r = new Acme.Crm.Invoice();
                        if (r.IsSet("T150__c") || r.HasChanges) errors.Add("a new record has T150 set or changes");
                        r.T150 = "far";
                        r.T3 = "near";
                        r.T199 = null;
                        if (Names(r.ChangedFields) != "T3__c,T150__c,T199__c") errors.Add("changed: " + Names(r.ChangedFields));
                        if (!r.IsChanged("T199__c") || !r.IsSet("T199__c") || r.IsSet("T198__c")) errors.Add("T199 (null) should be set and changed, T198 not");
                        r.AcceptChanges();
                        if (r.HasChanges || r.ChangedFields.Count != 0 || !r.IsSet("T150__c") || r.T150 != "far") errors.Add("after AcceptChanges: " + Names(r.ChangedFields));
                        r.MarkAllSetFieldsChanged();
                        if (Names(r.ChangedFields) != "T3__c,T150__c,T199__c") errors.Add("all set marked changed: " + Names(r.ChangedFields));

                        var json = System.Text.Encoding.UTF8.GetBytes(
                            "{\"attributes\":{\"type\":\"Invoice__c\",\"url\":\"/services/data/v60.0/sobjects/Invoice__c/a015e00000ABCDEAA5\"},\"Id\":\"a015e00000ABCDEAA5\",\"T180__c\":\"x\",\"Zzz__c\":7}");
                        var reader = new System.Text.Json.Utf8JsonReader(json);
                        reader.Read();
                        var read = Acme.Crm.Invoice.ReadJson(ref reader, new System.Text.Json.JsonSerializerOptions());
                        if (!read.IsSet("T180__c") || read.IsSet("T181__c") || read.HasChanges || read.T180 != "x") errors.Add("json: T180 should be set, unchanged");
                        if (!read.AdditionalFields.TryGetValue("Zzz__c", out var extra) || extra.GetInt32() != 7) errors.Add("json: Zzz__c not kept");
                        if (read.Attributes?.Type != "Invoice__c" || read.Attributes.Url?.EndsWith("/a015e00000ABCDEAA5") != true) errors.Add("json: attributes " + read.Attributes);
                        read.Attributes = null;
                        if (read.Attributes is not null) errors.Add("attributes set to null: " + read.Attributes);
                        read.Attributes = new Sdk.Runtime.Records.SObjectAttributes("Invoice__c", null) { ReferenceId = "ref1" };
                        if (read.Attributes?.ReferenceId != "ref1") errors.Add("attributes set: " + read.Attributes);

                        if (read.Id?.Value != "a015e00000ABCDEAA5") errors.Add("json: id " + read.Id);
                        read.Id = default(Sdk.Runtime.Records.SalesforceId);
                        if (read.Id is not { IsEmpty: true }) errors.Add("an empty id read back as " + (read.Id is null ? "null" : read.Id.Value.Value));
                        read.Id = null;
                        if (read.Id is not null) errors.Add("a null id read back as " + read.Id);
                        if (new Acme.Crm.Invoice().Id is not null) errors.Add("a new record has an id");
                        return string.Join("; ", errors);
                    }
                }
            }
            """;
        var result = GeneratorHarness.Run([("/schema/Invoice__c.json", schema)], new Dictionary<string, string> { ["SalesforceSchemaNamespace"] = "Acme.Crm" }, user);
        GeneratorAssert.Compiles(result);

        Assert.Equal(string.Empty, result.RunCheck());
    }
}
