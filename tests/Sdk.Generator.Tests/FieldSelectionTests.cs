using Microsoft.CodeAnalysis;
using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

/// <summary>
/// <c>SalesforceSchemaFields</c> generates only the fields and relationships an application names for an object (plus
/// <c>Id</c>); other objects keep all of theirs, and values of the fields left out are kept, not lost.
/// </summary>
public class FieldSelectionTests
{
    private static List<(string Path, string Text)> Files() =>
        new[] { "Account.json", "Invoice__c.json", "Task.json" }.Select(f => ("/schema/" + f, GeneratorHarness.Schema(f))).ToList();

    private static Dictionary<string, string> Properties(string? fields)
    {
        var properties = new Dictionary<string, string> { ["SalesforceSchemaNamespace"] = "Acme.Crm" };
        if (fields is not null)
        {
            properties["SalesforceSchemaFields"] = fields;
        }

        return properties;
    }

    [Fact]
    public async Task SelectedFields_OnlyThoseGenerated_TheRestKeptAsAdditionalFields()
    {
        // "Owner" names the relationship: its reference field OwnerId comes with it. A list may go on over lines, names may be
        // separated by spaces, and two entries for Account are merged.
        const string user = """
            namespace Check
            {
                public static class Run
                {
                    public static async System.Threading.Tasks.Task<string> Go()
                    {
                        var errors = new System.Collections.Generic.List<string>();
                        var fields = string.Join(",", System.Linq.Enumerable.Select(Acme.Crm.Account.Metadata.Fields, f => f.ApiName));
                        if (fields != "Id,OwnerId,Name,Industry") errors.Add("metadata fields: " + fields);

                        var json = System.Text.Encoding.UTF8.GetBytes(
                            "{\"attributes\":{\"type\":\"Account\"},\"Id\":\"001000000000001AAA\",\"Name\":\"Acme\",\"BillingCity\":\"Paris\",\"OwnerId\":\"005000000000001AAA\",\"AnnualRevenue\":12.5}");
                        var reader = new System.Text.Json.Utf8JsonReader(json);
                        reader.Read();
                        var read = Acme.Crm.Account.ReadJson(ref reader, new System.Text.Json.JsonSerializerOptions());
                        if (read.Name != "Acme" || read.OwnerId != "005000000000001AAA") errors.Add("json: " + read.Name + " " + read.OwnerId);
                        if (!read.AdditionalFields.TryGetValue("BillingCity", out var city) || city.GetString() != "Paris") errors.Add("json: BillingCity not kept");
                        if (!read.AdditionalFields.TryGetValue("AnnualRevenue", out var revenue) || revenue.GetDecimal() != 12.5m) errors.Add("json: AnnualRevenue not kept");

                        var csv = new System.IO.MemoryStream(System.Text.Encoding.UTF8.GetBytes("Id,Name,BillingCity\n001000000000002AAA,Globex,Oslo\n"));
                        using var rows = new Sdk.Runtime.Bulk.Csv.CsvRecordReader<Acme.Crm.Account>(csv);
                        var row = await rows.ReadAsync();
                        if (row?.Name != "Globex" || row.Id.Value != "001000000000002AAA") errors.Add("csv: " + row?.Name);
                        if (row is null || !row.AdditionalFields.TryGetValue("BillingCity", out var oslo) || oslo.GetString() != "Oslo") errors.Add("csv: BillingCity not kept");
                        return string.Join("; ", errors);
                    }
                }
            }
            """;
        var result = GeneratorHarness.Run(Files(), Properties("Account=Name,\n  Owner ChildAccounts; Account = Industry"), user);
        GeneratorAssert.Compiles(result);
        GeneratorAssert.NoWarnings(result);

        var account = result.Output.GetTypeByMetadataName("Acme.Crm.Account")!;
        var members = account.GetMembers().OfType<IPropertySymbol>().Where(p => p.DeclaredAccessibility == Accessibility.Public && !p.IsStatic).Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "Name", "Industry", "OwnerId", "Owner", "ChildAccounts" }, members);
        Assert.Empty(members.Intersect(["BillingCity", "BillingStreet", "BillingAddress", "AnnualRevenue", "ParentId", "Parent", "Invoices", "Tasks", "IsDeleted"]));

        Assert.Equal(string.Empty, await (Task<string>)result.RunCheck()!);
    }

    [Fact]
    public void ObjectsNotListed_GeneratedAsWithoutTheOption()
    {
        var all = GeneratorHarness.Run(Files(), Properties(null));
        var selected = GeneratorHarness.Run(Files(), Properties("Account=Name"));
        GeneratorAssert.Compiles(selected);
        Assert.Equal(all.Source("Task.g.cs"), selected.Source("Task.g.cs"));
        Assert.Equal(all.Source("Invoice.g.cs"), selected.Source("Invoice.g.cs"));
        Assert.NotEqual(all.Source("Account.g.cs"), selected.Source("Account.g.cs"));

        // Left out of Account, the child relationship Invoices__r is gone from Account; Invoice's parent Account stays.
        Assert.DoesNotContain("Invoices__r", selected.Source("Account.g.cs"), StringComparison.Ordinal);
        Assert.Contains("Invoices__r", all.Source("Account.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void MisspeltFieldObjectOrEntry_ReportedAndTheRestGenerated()
    {
        var result = GeneratorHarness.Run(Files(), Properties("Account=Name,Nmae; Acount=Name; Account; Invoice__c=Amount__c,1x"));
        GeneratorAssert.Compiles(result);

        var field = Assert.Single(result.AllGeneratorDiagnostics, d => d.Id == "SFGEN010");
        Assert.Equal(DiagnosticSeverity.Warning, field.Severity);
        Assert.Contains("'Nmae'", field.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("'Account'", field.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("/schema/Account.json", field.Location.GetLineSpan().Path);

        var obj = Assert.Single(result.AllGeneratorDiagnostics, d => d.Id == "SFGEN011");
        Assert.Contains("'Acount'", obj.GetMessage(), StringComparison.Ordinal);

        var entries = result.AllGeneratorDiagnostics.Where(d => d.Id == "SFGEN007").Select(d => d.GetMessage()).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, m => m.Contains("'Account'", StringComparison.Ordinal) && m.Contains("SalesforceSchemaFields", StringComparison.Ordinal));
        Assert.Contains(entries, m => m.Contains("'Invoice__c=Amount__c,1x'", StringComparison.Ordinal));

        // Account still gets its one good name; Invoice__c, whose only entry was malformed, gets every field.
        var account = result.Output.GetTypeByMetadataName("Acme.Crm.Account")!;
        Assert.NotEmpty(account.GetMembers("Name"));
        Assert.Empty(account.GetMembers("Industry"));
        Assert.Equal(GeneratorHarness.Run(Files(), Properties(null)).Source("Invoice.g.cs"), result.Source("Invoice.g.cs"));
    }

    [Fact]
    public void ChangingTheSelection_RegeneratesOnlyThatObject()
    {
        var compilation = GeneratorHarness.CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(Files(), Properties("Account=Name")).RunGenerators(compilation);
        driver = driver.WithUpdatedAnalyzerConfigOptions(GeneratorHarness.OptionsFor(Properties("Account=Name,Industry"))).RunGenerators(compilation);

        var sources = driver.GetRunResult().Results[0].TrackedSteps[TrackingNames.ObjectSources].SelectMany(r => r.Outputs).ToList();
        var regenerated = Assert.Single(sources, o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.Contains("Industry", ((dynamic)regenerated.Value).Source, StringComparison.Ordinal);
        Assert.Equal(2, sources.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }
}
