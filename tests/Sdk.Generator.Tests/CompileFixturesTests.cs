using Microsoft.CodeAnalysis;
using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

public class CompileFixturesTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var name in GeneratorHarness.FixtureNames())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void EachRealDescribe_GeneratesAndCompilesAlone(string file)
    {
        var result = GeneratorHarness.Run([("/schema/" + file, GeneratorHarness.Fixture(file))]);
        GeneratorAssert.NoWarnings(result);
        GeneratorAssert.Compiles(result);
        Assert.Equal(2, result.HintNames.Count());
    }

    [Fact]
    public void AllRealDescribes_GenerateAndCompileTogether()
    {
        var files = GeneratorHarness.FixtureNames().Select(f => ("/schema/" + f, GeneratorHarness.Fixture(f))).ToList();
        var result = GeneratorHarness.Run(files, new Dictionary<string, string> { ["RootNamespace"] = "Acme.App" });
        GeneratorAssert.NoWarnings(result);
        GeneratorAssert.Compiles(result);
        Assert.Equal(files.Count + 1, result.HintNames.Count());
        Assert.Contains("SalesforceSchema.g.cs", result.HintNames);
        Assert.NotNull(result.Output.GetTypeByMetadataName("Acme.App.Salesforce.Account"));
        Assert.NotNull(result.Output.GetTypeByMetadataName("Acme.App.Salesforce.CustomObject"));
        Assert.NotNull(result.Output.GetTypeByMetadataName("Acme.App.Salesforce.AccountIndustry"));
    }
}
