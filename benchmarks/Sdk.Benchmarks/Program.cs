using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

namespace Sdk.Benchmarks;

/// <summary>
/// Runs the suites. <c>--smoke</c> runs every benchmark once, in process, to prove the suites still work (CI);
/// without it BenchmarkDotNet measures as usual (see benchmarks/README.md).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--org-memory"))
        {
            const int records = 100_000;
            var bytes = Emulator.LocalOrgStoreBenchmarks.RetainedBytesAsync(records).GetAwaiter().GetResult();
            Console.WriteLine($"local org: {records:N0} Account records retain {bytes / 1048576.0:F1} MiB ({bytes / records:N0} bytes a record)");
            return 0;
        }

        if (args.Contains("--csv-memory"))
        {
            const int rows = 1_000_000;
            var path = Path.Combine(Path.GetTempPath(), "sdk-bench-accounts-memory.csv");
            Bulk.CsvBenchmarks.WriteInput(path, rows);
            var peak = Bulk.CsvBenchmarks.PeakHeapOfRoundTripAsync(path, path + ".out").GetAwaiter().GetResult();
            Console.WriteLine($"CSV round trip of {rows:N0} rows ({new FileInfo(path).Length / 1048576.0:F0} MiB): managed heap peaked {peak / 1048576.0:F1} MiB above its start");
            File.Delete(path);
            File.Delete(path + ".out");
            return 0;
        }

        var smoke = args.Contains("--smoke");
        args = args.Where(a => a != "--smoke").ToArray();
        IConfig config = DefaultConfig.Instance;
        if (smoke)
        {
            Environment.SetEnvironmentVariable("SDK_BENCH_SMOKE", "1");
            config = config.AddJob(Job.Dry.WithToolchain(InProcessNoEmitToolchain.Instance).WithId("smoke"))
                .WithOptions(ConfigOptions.DisableOptimizationsValidator)
                .AddFilter(new SimpleFilter(b => b.Job.Id == "smoke")); // only the smoke job, not the suites' own measuring jobs
            if (args.Length == 0)
            {
                args = ["--filter", "*"];
            }
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }

    /// <summary>Whether the run is the CI smoke run (smaller inputs).</summary>
    public static bool IsSmoke => Environment.GetEnvironmentVariable("SDK_BENCH_SMOKE") == "1";
}
