using Microsoft.CodeAnalysis;
using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

/// <summary>
/// Value-type fields (checkboxes, numbers, dates, datetimes, times) are held as their value with a presence bit, 64 to a
/// mask: an object with more of them than one mask holds must keep every field's value, null and unset apart.
/// </summary>
public class ValueFieldsTests
{
    private const int Extra = 70;

    [Fact]
    public void SeventyNumberFields_EachKeepTheirOwnValueNullOrUnset_AcrossTwoMasks()
    {
        var schema = GeneratorHarness.SchemaWithCopies("Invoice__c.json", "Amount__c", "N", Extra);

        var all = string.Join(", ", Enumerable.Range(0, Extra).Select(i => $"r.N{i}"));
        var set = string.Join(" ", Enumerable.Range(0, Extra).Select(i => $"case {i}: r.N{i} = value; break;"));
        var user = $$"""
            namespace Check
            {
                public static class Run
                {
                    private static decimal?[] All(Acme.Crm.Invoice r) => new decimal?[] { {{all}} };

                    private static void Set(Acme.Crm.Invoice r, int field, decimal? value)
                    {
                        switch (field) { {{set}} }
                    }

                    private static string Differences(Acme.Crm.Invoice r, System.Func<int, decimal?> expected)
                    {
                        var values = All(r);
                        var wrong = new System.Collections.Generic.List<string>();
                        for (var i = 0; i < values.Length; i++)
                        {
                            if (values[i] != expected(i)) wrong.Add("N" + i + "=" + values[i]);
                        }

                        return string.Join(",", wrong);
                    }

                    public static string Go()
                    {
                        var errors = new System.Collections.Generic.List<string>();
                        for (var k = 0; k < {{Extra}}; k++)
                        {
                            // one field set: every other stays null
                            var one = new Acme.Crm.Invoice();
                            Set(one, k, k + 0.5m);
                            if (Differences(one, i => i == k ? k + 0.5m : null) is { Length: > 0 } d1) errors.Add("only N" + k + " set: " + d1);

                            // every field set, then one nulled: only that one is null, and it is still set
                            var full = new Acme.Crm.Invoice();
                            for (var i = 0; i < {{Extra}}; i++) Set(full, i, i + 0.5m);
                            Set(full, k, null);
                            if (Differences(full, i => i == k ? null : i + 0.5m) is { Length: > 0 } d2) errors.Add("N" + k + " nulled: " + d2);
                            if (!full.IsSet("N" + k + "__c")) errors.Add("N" + k + " nulled is not set");
                        }

                        var r = new Acme.Crm.Invoice();
                        if (r.IsSet("N69__c")) errors.Add("a new record has N69 set");
                        r.N66 = 1m;
                        if (string.Join(",", r.ChangedFields) != "N66__c") errors.Add("changed: " + string.Join(",", r.ChangedFields));

                        var json = System.Text.Encoding.UTF8.GetBytes("{\"attributes\":{\"type\":\"Invoice__c\"},\"N66__c\":66.25,\"N1__c\":null,\"N64__c\":0}");
                        var reader = new System.Text.Json.Utf8JsonReader(json);
                        reader.Read();
                        var read = Acme.Crm.Invoice.ReadJson(ref reader, new System.Text.Json.JsonSerializerOptions());
                        if (Differences(read, i => i == 66 ? 66.25m : i == 64 ? 0m : null) is { Length: > 0 } d3) errors.Add("json: " + d3);
                        if (!read.IsSet("N1__c") || read.IsSet("N2__c")) errors.Add("json: N1 should be set (to null), N2 not");
                        return string.Join("; ", errors);
                    }
                }
            }
            """;
        var result = GeneratorHarness.Run([("/schema/Invoice__c.json", schema)], new Dictionary<string, string> { ["SalesforceSchemaNamespace"] = "Acme.Crm" }, user);
        GeneratorAssert.Compiles(result);

        var invoice = result.Output.GetTypeByMetadataName("Acme.Crm.Invoice")!;
        var backing = invoice.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic).ToList();
        Assert.Equal(["__sfv0", "__sfv1"], backing.Where(f => f.Name.StartsWith("__sfv", StringComparison.Ordinal)).Select(f => f.Name));
        Assert.DoesNotContain(backing, f => f.Type.ToDisplayString() == "decimal?"); // held as values, not Nullable<decimal>

        Assert.Equal(string.Empty, result.RunCheck());
    }
}
