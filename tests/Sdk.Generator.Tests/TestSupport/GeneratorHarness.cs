using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Sdk.Generator.Tests.TestSupport;

/// <summary>Runs the generator through <see cref="CSharpGeneratorDriver"/> on in-memory files and compiles the result.</summary>
public static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var list = paths.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        list.Add(MetadataReference.CreateFromFile(typeof(Sdk.Runtime.SalesforceClient).Assembly.Location));
        return [.. list.DistinctBy(r => Path.GetFileName(((PortableExecutableReference)r).FilePath))];
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "describe", name));

    public static string Schema(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", name));

    /// <summary>A schema of <c>Schemas</c> with <paramref name="count"/> copies of its field <paramref name="template"/>, named <c>{prefix}0__c</c>, <c>{prefix}1__c</c>, ….</summary>
    public static string SchemaWithCopies(string name, string template, string prefix, int count)
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(Schema(name))!.AsObject();
        var fields = schema["fields"]!.AsArray();
        var field = fields.First(f => (string?)f!["name"] == template)!;
        for (var i = 0; i < count; i++)
        {
            var copy = field.DeepClone();
            copy["name"] = $"{prefix}{i}__c";
            copy["label"] = $"{prefix}{i}";
            fields.Add(copy);
        }

        return schema.ToJsonString();
    }

    public static IEnumerable<string> FixtureNames() => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "describe"), "*.json").Select(Path.GetFileName).Order()!;

    public static CSharpCompilation CreateCompilation(string userCode = "")
        => CSharpCompilation.Create("Consumer",
            [CSharpSyntaxTree.ParseText(userCode, ParseOptions)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IEnumerable<(string Path, string Text)> files, IDictionary<string, string>? properties = null, IDictionary<string, IDictionary<string, string>>? fileMetadata = null)
        => CreateDriver(files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)), properties, fileMetadata);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> additionalTexts, IDictionary<string, string>? properties = null, IDictionary<string, IDictionary<string, string>>? fileMetadata = null)
    {
        var texts = additionalTexts.ToImmutableArray();
        return CSharpGeneratorDriver.Create(
            [new SchemaGenerator().AsSourceGenerator()],
            texts,
            ParseOptions,
            new OptionsProvider(properties ?? new Dictionary<string, string>(), fileMetadata ?? new Dictionary<string, IDictionary<string, string>>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>MSBuild properties as the generator sees them (for <see cref="GeneratorDriver.WithUpdatedAnalyzerConfigOptions"/>).</summary>
    public static AnalyzerConfigOptionsProvider OptionsFor(IDictionary<string, string> properties)
        => new OptionsProvider(properties, new Dictionary<string, IDictionary<string, string>>());

    public static GenerationResult Run(IEnumerable<(string Path, string Text)> files, IDictionary<string, string>? properties = null, string userCode = "")
    {
        var driver = CreateDriver(files, properties).RunGeneratorsAndUpdateCompilation(CreateCompilation(userCode), out var output, out var generatorDiagnostics);
        return new GenerationResult(driver, driver.GetRunResult(), output, generatorDiagnostics);
    }

    public sealed record GenerationResult(GeneratorDriver Driver, GeneratorDriverRunResult RunResult, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        public IEnumerable<Diagnostic> CompileErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

        public IEnumerable<Diagnostic> AllGeneratorDiagnostics => RunResult.Diagnostics;

        public string Source(string hintName) => RunResult.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SourceText.ToString();

        public IEnumerable<string> HintNames => RunResult.Results.SelectMany(r => r.GeneratedSources).Select(s => s.HintName);

        /// <summary>Emits the compilation, loads it and returns what the user code's <c>Check.Run.Go()</c> returns.</summary>
        public object? RunCheck()
        {
            using var image = new MemoryStream();
            var emit = Output.Emit(image);
            Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
            return System.Reflection.Assembly.Load(image.ToArray()).GetType("Check.Run")!.GetMethod("Go")!.Invoke(null, null);
        }
    }

    public sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class OptionsProvider(IDictionary<string, string> global, IDictionary<string, IDictionary<string, string>> perFile) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global.ToDictionary(p => "build_property." + p.Key, p => p.Value));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => new Options(perFile.TryGetValue(textFile.Path, out var m) ? m.ToDictionary(p => "build_metadata.AdditionalFiles." + p.Key, p => p.Value) : new Dictionary<string, string>());
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
