using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sdk.Generator.Tests.TestSupport;

namespace Sdk.Generator.Tests;

public class CachingTests
{
    private static readonly string[] Steps =
    [
        TrackingNames.Files, TrackingNames.Parse, TrackingNames.Objects, TrackingNames.SelectedObjects, TrackingNames.NameFacts, TrackingNames.NameTable,
        TrackingNames.Options, TrackingNames.ObjectSources, TrackingNames.RegistryEntries,
    ];

    private static List<(string Path, string Text)> Files() =>
        new[] { "Account.json", "Invoice__c.json", "Task.json" }.Select(f => ("/schema/" + f, GeneratorHarness.Schema(f))).ToList();

    private static IEnumerable<(string Step, object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorDriver driver, string step)
        => driver.GetRunResult().Results[0].TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs.Select(o => (step, o.Value, o.Reason)))
            : [];

    [Fact]
    public void EditingCSharp_EveryStepCached()
    {
        var compilation = GeneratorHarness.CreateCompilation("class A {}");
        var driver = GeneratorHarness.CreateDriver(Files()).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { void M() {} }", GeneratorHarness.ParseOptions)));
        foreach (var step in Steps)
        {
            var outputs = Outputs(driver, step).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{o.Step}: {o.Reason}"));
        }
    }

    [Fact]
    public void EditingOneFile_RegeneratesThatObjectOnly()
    {
        var texts = Files().Select(f => new GeneratorHarness.InMemoryText(f.Path, f.Text)).ToList();
        var compilation = GeneratorHarness.CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(texts).RunGenerators(compilation);
        var invoice = texts.Single(f => f.Path.EndsWith("Invoice__c.json", StringComparison.Ordinal));
        var text = invoice.GetText()!.ToString();
        var edited = text.Replace("\"label\": \"Amount\"", "\"label\": \"Amount (net)\"", StringComparison.Ordinal);
        Assert.NotEqual(text, edited);
        driver = driver.ReplaceAdditionalText(invoice, new GeneratorHarness.InMemoryText(invoice.Path, edited));
        driver = driver.RunGenerators(compilation);

        var sources = Outputs(driver, TrackingNames.ObjectSources).ToList();
        var modified = sources.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).ToList();
        var generated = Assert.Single(modified);
        Assert.Contains("Amount (net)", ((dynamic)generated.Value).Source, StringComparison.Ordinal);
        Assert.Equal(2, sources.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.All(Outputs(driver, TrackingNames.NameTable), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.All(Outputs(driver, TrackingNames.RegistryEntries), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.Equal(1, Outputs(driver, TrackingNames.Parse).Count(o => o.Reason == IncrementalStepRunReason.Modified));
    }

    [Fact]
    public void Models_HoldNoSymbolsSyntaxOrCompilation()
    {
        var driver = GeneratorHarness.CreateDriver(Files()).RunGenerators(GeneratorHarness.CreateCompilation());
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var step in Steps)
        {
            foreach (var output in Outputs(driver, step))
            {
                Walk(output.Value, step, visited);
            }
        }

        Assert.True(visited.Count > 100);
    }

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Location or Compilation or SemanticModel or SyntaxTree, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable sequence)
        {
            var i = 0;
            foreach (var item in sequence)
            {
                Walk(item, $"{path}[{i++}]", visited);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                Walk(property.GetValue(value), path + "." + property.Name, visited);
            }
        }
    }
}
