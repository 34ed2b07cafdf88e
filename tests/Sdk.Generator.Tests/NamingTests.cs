using Microsoft.CodeAnalysis;
using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

public class NamingTests
{
    private static GeneratorHarness.GenerationResult Run(string userCode = "")
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Schemas", "Naming");
        var files = Directory.GetFiles(dir, "*.json").Select(p => (p, File.ReadAllText(p)))
            .Append(("/schema/Account.json", GeneratorHarness.Schema("Account.json")))
            .Append(("/schema/Task.json", GeneratorHarness.Schema("Task.json")))
            .ToList();
        return GeneratorHarness.Run(files, new Dictionary<string, string> { ["SalesforceSchemaNamespace"] = "Acme.Naming" }, userCode);
    }

    private static INamedTypeSymbol Type(GeneratorHarness.GenerationResult r, string name)
        => r.Output.GetTypeByMetadataName("Acme.Naming." + name) ?? throw new Xunit.Sdk.XunitException($"type {name} not generated; have: {string.Join(", ", r.HintNames)}");

    private static string[] Properties(INamedTypeSymbol type) => type.GetMembers().OfType<IPropertySymbol>().Select(p => p.Name).ToArray();

    [Fact]
    public void Hazards_CompileWithUserCodeUsingFrameworkNames()
    {
        const string user = """
            using System.Threading.Tasks;
            namespace UserApp
            {
                public static class Program
                {
                    public static async Task<int> RunAsync()
                    {
                        await Task.Yield();
                        var task = new Acme.Naming.Task { Subject = "Call" };
                        var order = new Acme.Naming.Order();
                        var group = new Acme.Naming.Group();
                        var kase = new Acme.Naming.Case();
                        var evt = new Acme.Naming.Event();
                        var e = new Acme.Naming.event_c { @class = "x" };
                        return task.Subject.HasValue && order is not null && group is not null && kase is not null && evt is not null && e.@class == "x" ? 1 : 0;
                    }
                }
            }
            """;
        var result = Run(user);
        GeneratorAssert.Compiles(result);
    }

    [Fact]
    public void MemberNamedLikeItsType_GetsFieldSuffix()
    {
        var result = Run();
        Assert.Contains("LocationField", Properties(Type(result, "Location")));
        Assert.Contains("NameField", Properties(Type(result, "Name")));
        Assert.Contains(result.AllGeneratorDiagnostics, d => d.Id == "SFGEN005" && d.GetMessage().Contains("'Location.Location' is generated as 'LocationField'", StringComparison.Ordinal));
    }

    [Fact]
    public void KeywordsAndSuffixesAndCollisions_AreDeterministic()
    {
        var result = Run();
        var evt = Type(result, "event_c");
        var props = Properties(evt);
        Assert.Contains("class", props);
        Assert.Contains("Foo", props);
        Assert.Contains("Foo_r", props);
        Assert.Contains("AttributesField", props);
        Assert.Contains("MetadataField", props);
        Assert.Contains("FieldsField", props);
        Assert.Contains("CsvParentField", props); // the base type's CSV members keep their names
        Assert.Contains("CsvSelectedField", props);
        Assert.Contains("ReadCsvMemberField", props);
        Assert.Contains("ReadCsvMembersField", props);
        Assert.Contains("WriteCsvMembersField", props);
        Assert.Contains("Person", props);
        Assert.Contains("Person_c", props);
        Assert.Contains("Geo_Latitude", props);
        Assert.DoesNotContain(props, p => p.Contains("2nd", StringComparison.Ordinal));
        Assert.Contains(result.AllGeneratorDiagnostics, d => d.Id == "SFGEN006" && d.GetMessage().Contains("a valid 'name'", StringComparison.Ordinal));
        Assert.Contains(result.AllGeneratorDiagnostics, d => d.Id == "SFGEN005" && d.GetMessage().StartsWith("'event__c' is generated as 'event_c'", StringComparison.Ordinal));
        Assert.NotNull(Type(result, "SBQQ_Quote"));
        Assert.NotNull(Type(result, "SBQQ_QuoteSBQQ_Status"));
        // The object named AccountIndustry keeps its name; Account.Industry's picklist type gets a number.
        Assert.Equal(TypeKind.Class, Type(result, "AccountIndustry").TypeKind);
        Assert.Equal(TypeKind.Struct, Type(result, "AccountIndustry2").TypeKind);

        var first = string.Join("\n", result.HintNames.Order().Select(result.Source));
        var second = string.Join("\n", Run().HintNames.Order().Select(Run().Source));
        Assert.Equal(first, second);
    }

    [Fact]
    public void PicklistValueNames_AvoidReservedAndDuplicates()
    {
        var result = Run();
        var names = Type(result, "NameType").GetMembers().OfType<IPropertySymbol>().Where(p => p.IsStatic).Select(p => p.Name).ToArray();
        Assert.Contains("User", names);
        Assert.Contains("ValueValue", names);
        Assert.Contains("Name", names);
        Assert.Contains("Class", names);
        Assert.Contains("AB", names);
        Assert.Contains("AB2", names);
    }

    [Fact]
    public void UnknownFieldType_WarnsAndUsesJsonElement()
    {
        var result = Run();
        var odd = Type(result, "event_c").GetMembers("Odd").OfType<IPropertySymbol>().Single();
        Assert.Equal("System.Text.Json.JsonElement?", odd.Type.ToDisplayString());
        var warning = Assert.Single(result.AllGeneratorDiagnostics, d => d.Id == "SFGEN004");
        Assert.Contains("'event__c.Odd__c' has type 'wormhole'", warning.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.True(warning.Location.GetLineSpan().StartLinePosition.Line > 0);
    }

    [Fact]
    public void ApiNamesKeptInMetadata()
    {
        var result = Run();
        var source = result.Source("event_c.g.cs");
        Assert.Contains("ApiName = \"class__c\"", source, StringComparison.Ordinal);
        Assert.Contains("MemberName = \"class\"", source, StringComparison.Ordinal);
        Assert.Contains("ApiName = \"Foo__c\"", source, StringComparison.Ordinal);
        Assert.Contains("new(\"Foo__r\", \"Foo__c\", \"Foo_r\"", source, StringComparison.Ordinal);
    }
}

public class TypeNameOptionTests
{
    [Fact]
    public void TypeNamesOption_RenamesFrameworkClashes_AndRejectsBadEntries()
    {
        var files = new[] { "Task.json", "Account.json" }.Select(f => ("/schema/" + f, GeneratorHarness.Schema(f)));
        const string user = """
            using System.Threading.Tasks;
            using Acme.Crm;
            public static class UserCode
            {
                public static async Task<string?> RunAsync() { await Task.Yield(); return new SfTask { Subject = "Call" }.Subject?.Value; }
            }
            """;
        var result = GeneratorHarness.Run(files, new Dictionary<string, string>
        {
            ["SalesforceSchemaNamespace"] = "Acme.Crm",
            ["SalesforceSchemaTypeNames"] = "Task=SfTask; Bad=1x; Nope",
        }, user);
        GeneratorAssert.Compiles(result);
        Assert.Contains("SfTask.g.cs", result.HintNames);
        Assert.Equal(2, result.AllGeneratorDiagnostics.Count(d => d.Id == "SFGEN007"));
        Assert.Contains("TypeName = \"SfTask\"", result.Source("SfTask.g.cs"), StringComparison.Ordinal);
    }
}
