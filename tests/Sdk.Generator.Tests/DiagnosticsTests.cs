using Microsoft.CodeAnalysis;
using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

public class DiagnosticsTests
{
    private static readonly (string, string) Good = ("/schema/Account.json", GeneratorHarness.Schema("Account.json"));

    [Fact]
    public void MalformedJson_ErrorWithLineAndColumn_OtherFilesStillGenerate()
    {
        const string bad = "{\n  \"name\": \"Broken__c\",\n  \"fields\": [\n    {\"name\": \"A__c\" \"type\": \"string\"}\n  ]\n}";
        var result = GeneratorHarness.Run([("/schema/Broken__c.json", bad), Good]);
        var d = Assert.Single(result.AllGeneratorDiagnostics, x => x.Id == "SFGEN001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("line 4, column 21", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("Expected ',' or '}'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("/schema/Broken__c.json", d.Location.GetLineSpan().Path);
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("Account.g.cs", result.HintNames);
        GeneratorAssert.Compiles(result);
    }

    [Theory]
    [InlineData("{\"foo\": 1}", "no 'fields' array")]
    [InlineData("[1, 2, 3]", "top level is not a JSON object")]
    [InlineData("{\"name\": \"X\", \"fields\": {}}", "no 'fields' array")]
    [InlineData("{\"name\": \"Bad Name\", \"fields\": []}", "not a valid sObject API name")]
    [InlineData("{\"fields\": []}", "no 'name'")]
    public void NotADescribe_Warning(string json, string why)
    {
        var result = GeneratorHarness.Run([("/schema/other.json", json), Good]);
        var d = Assert.Single(result.AllGeneratorDiagnostics, x => x.Id == "SFGEN002");
        Assert.Contains(why, d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        GeneratorAssert.Compiles(result);
    }

    [Fact]
    public void EmptyOrTruncatedFile_Error()
    {
        var result = GeneratorHarness.Run([("/schema/empty.json", ""), ("/schema/cut.json", GeneratorHarness.Schema("Account.json")[..500]), Good]);
        Assert.Equal(2, result.AllGeneratorDiagnostics.Count(d => d.Id == "SFGEN001"));
        GeneratorAssert.Compiles(result);
    }

    [Fact]
    public void DuplicateObject_LaterFileIgnoredWithWarning()
    {
        var result = GeneratorHarness.Run([("/schema/b/Account.json", GeneratorHarness.Schema("Account.json")), ("/schema/a/Account.json", GeneratorHarness.Schema("Account.json"))]);
        var d = Assert.Single(result.AllGeneratorDiagnostics, x => x.Id == "SFGEN003");
        Assert.Equal("/schema/b/Account.json", d.Location.GetLineSpan().Path);
        Assert.Single(result.HintNames, h => h == "Account.g.cs");
        GeneratorAssert.Compiles(result);
    }

    [Fact]
    public void FieldWithoutType_SkippedWithWarning()
    {
        var json = GeneratorHarness.Schema("Task.json").Replace("\"type\": \"date\"", "\"type\": null", StringComparison.Ordinal);
        var result = GeneratorHarness.Run([("/schema/Task.json", json)]);
        var d = Assert.Single(result.AllGeneratorDiagnostics, x => x.Id == "SFGEN006");
        Assert.Contains("without a 'type'", d.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("ActivityDate", result.Source("Task.g.cs"), StringComparison.Ordinal);
        GeneratorAssert.Compiles(result);
    }

    [Fact]
    public void InvalidNamespaceOption_WarnsAndFallsBack()
    {
        var result = GeneratorHarness.Run([Good], new Dictionary<string, string> { ["SalesforceSchemaNamespace"] = "1bad.ns", ["RootNamespace"] = "MyApp" });
        var d = Assert.Single(result.AllGeneratorDiagnostics, x => x.Id == "SFGEN007");
        Assert.Contains("'1bad.ns'", d.GetMessage(), StringComparison.Ordinal);
        Assert.NotNull(result.Output.GetTypeByMetadataName("MyApp.Salesforce.Account"));
    }

    [Fact]
    public void FileMarkedNotSchema_IsIgnored()
    {
        var driver = GeneratorHarness.CreateDriver(
            [("/schema/appsettings.json", "{\"Logging\":{}}"), Good],
            fileMetadata: new Dictionary<string, IDictionary<string, string>> { ["/schema/appsettings.json"] = new Dictionary<string, string> { ["SalesforceSchema"] = "false" } });
        var run = driver.RunGenerators(GeneratorHarness.CreateCompilation()).GetRunResult();
        Assert.Empty(run.Diagnostics);
        Assert.Equal(2, run.Results[0].GeneratedSources.Length);
    }

    [Fact]
    public void SfCliWrapperAndUnknownKeys_Accepted()
    {
        var withNewKeys = GeneratorHarness.Schema("Account.json").Replace("\"aggregatable\":", "\"brandNewKey2031\": {\"x\": [1]}, \"aggregatable\":", StringComparison.Ordinal);
        var result = GeneratorHarness.Run([("/schema/Wrapped__c.sfcli.json", GeneratorHarness.Schema("Wrapped__c.sfcli.json")), ("/schema/Account.json", withNewKeys)]);
        GeneratorAssert.NoWarnings(result);
        GeneratorAssert.Compiles(result);
        Assert.Contains("Wrapped.g.cs", result.HintNames);
    }

    [Fact]
    public void NoSchemaFiles_NoOutput()
    {
        var result = GeneratorHarness.Run([]);
        Assert.Empty(result.HintNames);
        Assert.Empty(result.AllGeneratorDiagnostics);
    }
}
