using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Sdk.Generator;

namespace Sdk.Benchmarks.Generator;

/// <summary>
/// The generator on an org of 1,000 objects × 60 fields through <see cref="CSharpGeneratorDriver"/>: a full run (goal: under
/// 5 s), and a re-run after a C# edit, where every step must be cached.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private ImmutableArray<AdditionalText> _texts;
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warm = null!;
    private CSharpCompilation _edited = null!;

    public int Objects { get; set; } = 1000;

    [GlobalSetup]
    public void Setup()
    {
        var objects = Program.IsSmoke ? 40 : Objects;
        _texts = SyntheticOrg.Create(objects, 60).Select(f => (AdditionalText)new Text(f.Path, f.Text)).ToImmutableArray();
        _compilation = CSharpCompilation.Create("Org", [CSharpSyntaxTree.ParseText("class A {}")]);
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B {}"));
        _warm = CreateDriver().RunGenerators(_compilation);
        var result = _warm.GetRunResult();
        if (result.Results[0].GeneratedSources.Length != objects + 1 || result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException($"The synthetic org did not generate cleanly: {result.Results[0].GeneratedSources.Length} sources, {string.Join("; ", result.Diagnostics.Take(3))}");
        }

        var rerun = _warm.RunGenerators(_edited).GetRunResult().Results[0];
        var uncached = rerun.TrackedSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        if (uncached != 0)
        {
            throw new InvalidOperationException($"{uncached} step outputs were not cached on a no-op re-run.");
        }
    }

    private GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new SchemaGenerator().AsSourceGenerator()], _texts, (CSharpParseOptions)_compilation.SyntaxTrees[0].Options, optionsProvider: null,
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun() => CreateDriver().RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver CachedRerun() => _warm.RunGenerators(_edited);

    private sealed class Text(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
