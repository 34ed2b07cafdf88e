using Microsoft.CodeAnalysis;

namespace Sdk.Generator.Tests.TestSupport;

public static class GeneratorAssert
{
    public static void NoWarnings(GeneratorHarness.GenerationResult result)
    {
        var warnings = result.AllGeneratorDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(warnings.Count == 0, "Generator diagnostics:\n" + string.Join("\n", warnings));
    }

    public static void Compiles(GeneratorHarness.GenerationResult result)
    {
        var errors = result.CompileErrors.Take(20).ToList();
        Assert.True(errors.Count == 0, "Compile errors:\n" + string.Join("\n", errors.Select(e => e + " :: " + Line(e))));
    }

    private static string Line(Diagnostic d)
    {
        var tree = d.Location.SourceTree;
        if (tree is null)
        {
            return string.Empty;
        }

        var line = d.Location.GetLineSpan().StartLinePosition.Line;
        return tree.GetText().Lines[line].ToString().Trim();
    }
}
