using System.Runtime.CompilerServices;

namespace Sdk.Generator.Tests.TestSupport;

/// <summary>
/// Compares generated files with the checked-in files under Baselines/&lt;Scenario&gt;/. Run the tests with UPDATE_BASELINES=1 to
/// rewrite them (then review the diff). Verify is not available from this package registry; this small helper replaces it.
/// </summary>
public static class Baselines
{
    public static void Verify(string scenario, IEnumerable<(string HintName, string Source)> generated, [CallerFilePath] string callerPath = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Baselines", scenario);
        var update = Environment.GetEnvironmentVariable("UPDATE_BASELINES") == "1";
        var files = generated.OrderBy(g => g.HintName, StringComparer.Ordinal).ToList();
        if (update)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            foreach (var (hint, source) in files)
            {
                File.WriteAllText(Path.Combine(directory, hint), source);
            }

            return;
        }

        Assert.True(Directory.Exists(directory), $"No baselines for scenario '{scenario}' at {directory}; run with UPDATE_BASELINES=1.");
        var expectedNames = Directory.GetFiles(directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedNames, files.Select(f => f.HintName).ToList());
        foreach (var (hint, source) in files)
        {
            var expected = File.ReadAllText(Path.Combine(directory, hint)).ReplaceLineEndings("\n");
            var actual = source.ReplaceLineEndings("\n");
            if (expected != actual)
            {
                var expectedLines = expected.Split('\n');
                var actualLines = actual.Split('\n');
                var line = Enumerable.Range(0, Math.Min(expectedLines.Length, actualLines.Length)).FirstOrDefault(i => expectedLines[i] != actualLines[i], Math.Min(expectedLines.Length, actualLines.Length));
                Assert.Fail($"{scenario}/{hint} differs from its baseline at line {line + 1}:\n  expected: {expectedLines.ElementAtOrDefault(line)}\n  actual:   {actualLines.ElementAtOrDefault(line)}\nRun with UPDATE_BASELINES=1 to accept the new output.");
            }
        }
    }
}
