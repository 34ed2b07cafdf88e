using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

public class BaselineTests
{
    [Fact]
    public void Records_MatchBaselines()
    {
        var files = new[] { "Account.json", "Invoice__c.json", "Task.json" }.Select(f => ("/schema/" + f, GeneratorHarness.Schema(f))).ToList();
        var result = GeneratorHarness.Run(files, new Dictionary<string, string> { ["SalesforceSchemaNamespace"] = "Acme.Crm" });
        GeneratorAssert.NoWarnings(result);
        GeneratorAssert.Compiles(result);
        Baselines.Verify("Records", result.RunResult.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())));
    }
}
