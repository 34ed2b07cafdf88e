using System.Globalization;
using BenchmarkDotNet.Attributes;
using CsvHelper;
using Sdk.Benchmarks.Org;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Records;
using NarrowAccount = Sdk.Benchmarks.Narrow.Account;
using SdkCsvWriter = Sdk.Runtime.Bulk.Csv.CsvWriter;
using SdkRecordWriter = Sdk.Runtime.Bulk.Csv.CsvRecordWriter<Sdk.Benchmarks.Org.Account>;

namespace Sdk.Benchmarks.Bulk;

/// <summary>
/// A Bulk-style Account CSV (1,000,000 rows, 164 MiB; 2,000 in the smoke run), read into typed records, written from
/// typed records, and read and written back, by the generated mappers of this SDK and by CsvHelper 34 (its
/// source-generated <c>[CsvRecord]</c> mapping, SIMD reader). In each category (read, write, round trip) the baseline is
/// CsvHelper. Reads and round trips stream from and to files and hold no rows; writes write 100,000 records held in
/// memory (read once in the setup) ten times over. The output file is on a memory file system where there is one (see
/// <see cref="OutputDirectory"/>).
/// <para>The SDK reads and writes the generated <c>Account</c> of the standard describe (68 fields), and, in the "narrow"
/// benchmarks, the same describe generated with only the columns' 13 fields (<c>SalesforceSchemaFields</c>, project
/// Sdk.Benchmarks.Narrow), as CsvHelper's class has.</para>
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CsvBenchmarks
{
    internal static readonly string[] Columns =
        ["Id", "Name", "Type", "BillingCity", "Phone", "Website", "Industry", "AnnualRevenue", "NumberOfEmployees", "Description", "OwnerId", "CreatedDate", "IsPartner"];

    private string _path = string.Empty;
    private string _output = string.Empty;
    private readonly List<Account> _records = [];
    private readonly List<NarrowAccount> _narrow = [];
    private List<AccountRow> _rows = [];
    private IReadOnlyList<string> _header = [];

    public int Rows => Program.IsSmoke ? 2_000 : 1_000_000;

    [GlobalSetup(Targets = [nameof(Read_Sdk), nameof(Read_SdkSequential), nameof(Read_SdkFieldsOnly), nameof(Read_SdkNarrow), nameof(Read_CsvHelper), nameof(RoundTrip_Sdk), nameof(RoundTrip_SdkNarrow), nameof(RoundTrip_CsvHelper)])]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"sdk-bench-accounts-{Rows}.csv");
        _output = Path.Combine(OutputDirectory(), $"sdk-bench-accounts-{Rows}.out.csv");
        if (!File.Exists(_path))
        {
            WriteInput(_path, Rows);
        }
    }

    /// <summary>
    /// Where the writes go: a memory file system when there is one (<c>/dev/shm</c>), else the temp directory. On a disk
    /// file system, creating the output over the last one and closing it are costs of the file system, the same for both
    /// libraries and nothing of their CSV: on this project's machines (ext4) <c>File.Create</c> over the 164 MiB output
    /// took about 75 ms to truncate it and <c>close</c> about 80 ms (strace), half of CsvHelper's whole write.
    /// </summary>
    private static string OutputDirectory() => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>The input, and the records the write benchmarks write: the first 100,000 of the file (all of it in the smoke run), read by each.</summary>
    /// <remarks>Only for those: held records would be a live heap that every collection of the other benchmarks works around.</remarks>
    [GlobalSetup(Targets = [nameof(Write_Sdk), nameof(Write_SdkOneByOne), nameof(Write_SdkNarrow), nameof(Write_CsvHelper)])]
    public void SetupWrite()
    {
        Setup();
        var held = Math.Min(Rows, 100_000);
        _header = Hold(_path, _records, held);
        Hold(_path, _narrow, held);

        using var rows = CsvHelper.CsvReader.Create(File.OpenRead(_path), CsvReaderOptions.Default with { Separator = ',' }, false);
        _rows = rows.GetRecords<AccountRow>().Take(held).ToList();
    }

    private static IReadOnlyList<string> Hold<T>(string path, List<T> records, int count)
        where T : SObject, ISObjectType<T>
    {
        using var reader = new CsvRecordReader<T>(File.OpenRead(path));
        var header = reader.ReadHeaderAsync().AsTask().GetAwaiter().GetResult();
        while (records.Count < count && reader.ReadAsync().AsTask().GetAwaiter().GetResult() is { } record)
        {
            records.Add(record);
        }

        return header;
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_output);

    /// <summary>The input: varied values, a quoted description with a comma and quotes every 10th row, nulls as empty fields.</summary>
    internal static void WriteInput(string path, int rows)
    {
        using var writer = new SdkCsvWriter(File.Create(path));
        writer.WriteRow(Columns);
        var industries = new[] { "Banking", "Energy", "Media", "Retail", "" };
        for (var i = 0; i < rows; i++)
        {
            writer.WriteField(Id("001", i));
            writer.WriteField("Account " + i.ToString(CultureInfo.InvariantCulture));
            writer.WriteField(i % 3 == 0 ? "Customer" : "Prospect");
            writer.WriteField(i % 7 == 0 ? string.Empty : "Springfield");
            writer.WriteField("+1 555 " + (i % 10_000).ToString("D4", CultureInfo.InvariantCulture));
            writer.WriteField("https://example.com/a/" + i.ToString(CultureInfo.InvariantCulture));
            writer.WriteField(industries[i % industries.Length]);
            writer.WriteField(i % 5 == 0 ? string.Empty : (i * 12.5m).ToString(CultureInfo.InvariantCulture));
            writer.WriteField((i % 5000).ToString(CultureInfo.InvariantCulture));
            writer.WriteField(i % 10 == 0 ? $"Key account, \"tier {i % 4}\"" : "Regular");
            writer.WriteField(Id("005", i % 50));
            writer.WriteField(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteField(i % 2 == 0 ? "true" : "false");
            writer.EndRow();
        }
    }

    private static string Id(string prefix, int n) => global::Sdk.Runtime.Records.SalesforceId.Parse(prefix + "5e00000" + n.ToString("D5", CultureInfo.InvariantCulture)[^5..]).Value;

    [Benchmark(Description = "read: SDK generated mapper (parallel)")]
    [BenchmarkCategory("read")]
    public async Task<decimal> Read_Sdk()
    {
        using var reader = new CsvRecordReader<Account>(File.OpenRead(_path));
        return await SumAsync(reader);
    }

    /// <summary>What every read benchmark computes from its records, so that each record is used.</summary>
    private static async Task<decimal> SumAsync(CsvRecordReader<Account> reader)
    {
        decimal sum = 0;
        while (await reader.ReadAsync() is { } account)
        {
            sum += (account.AnnualRevenue ?? 0) + (account.NumberOfEmployees ?? 0);
        }

        return sum;
    }

    [Benchmark(Description = "read: SDK generated mapper, narrow Account (parallel)")]
    [BenchmarkCategory("read")]
    public async Task<decimal> Read_SdkNarrow()
    {
        decimal sum = 0;
        using var reader = new CsvRecordReader<NarrowAccount>(File.OpenRead(_path));
        while (await reader.ReadAsync() is { } account)
        {
            sum += (account.AnnualRevenue ?? 0) + (account.NumberOfEmployees ?? 0);
        }

        return sum;
    }

    [Benchmark(Description = "read: SDK generated mapper, parallelism 1")]
    [BenchmarkCategory("read")]
    public async Task<decimal> Read_SdkSequential()
    {
        using var reader = new CsvRecordReader<Account>(File.OpenRead(_path), CsvDelimiter.Comma, leaveOpen: false, parallelism: 1);
        return await SumAsync(reader);
    }

    [Benchmark(Description = "read: SDK CsvReader, fields only")]
    [BenchmarkCategory("read")]
    public async Task<long> Read_SdkFieldsOnly()
    {
        long chars = 0;
        using var reader = new global::Sdk.Runtime.Bulk.Csv.CsvReader(File.OpenRead(_path));
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                chars += reader.GetSpan(i).Length;
            }
        }

        return chars;
    }

    [Benchmark(Baseline = true, Description = "read: CsvHelper GetRecords<T>")]
    [BenchmarkCategory("read")]
    public decimal Read_CsvHelper()
    {
        decimal sum = 0;
        using var reader = CsvHelper.CsvReader.Create(File.OpenRead(_path), CsvReaderOptions.Default with { Separator = ',' }, false);
        foreach (var account in reader.GetRecords<AccountRow>())
        {
            sum += (account.AnnualRevenue ?? 0) + (account.NumberOfEmployees ?? 0);
        }

        return sum;
    }

    [Benchmark(Description = "write: SDK generated mapper, WriteAllAsync (parallel)")]
    [BenchmarkCategory("write")]
    public async Task<long> Write_Sdk()
    {
        await using var writer = new SdkRecordWriter(File.Create(_output), _header, CsvFieldSelection.Set);
        return await writer.WriteAllAsync(Passes(_records));
    }

    [Benchmark(Description = "write: SDK generated mapper, narrow Account, WriteAllAsync (parallel)")]
    [BenchmarkCategory("write")]
    public async Task<long> Write_SdkNarrow()
    {
        await using var writer = new global::Sdk.Runtime.Bulk.Csv.CsvRecordWriter<NarrowAccount>(File.Create(_output), _header, CsvFieldSelection.Set);
        return await writer.WriteAllAsync(Passes(_narrow));
    }

    [Benchmark(Description = "write: SDK generated mapper, Write one by one")]
    [BenchmarkCategory("write")]
    public async Task<long> Write_SdkOneByOne()
    {
        await using var writer = new SdkRecordWriter(File.Create(_output), _header, CsvFieldSelection.Set);
        long rows = 0;
        foreach (var account in Passes(_records))
        {
            writer.Write(account);
            rows++;
        }

        return rows;
    }

    /// <summary>The held records over and over, <see cref="Rows"/> in all.</summary>
    private IEnumerable<T> Passes<T>(List<T> held) => Enumerable.Range(0, Rows / held.Count).SelectMany(_ => held);

    [Benchmark(Baseline = true, Description = "write: CsvHelper WriteRecords")]
    [BenchmarkCategory("write")]
    public long Write_CsvHelper()
    {
        using var writer = CsvHelper.CsvWriter.Create(File.Create(_output), CsvWriterOptions.Default with { NewLine = "\n" }, false);
        writer.WriteRecords(Passes(_rows));
        return Rows - (Rows % _rows.Count); // the rows of whole passes
    }

    [Benchmark(Description = "read + write back: SDK")]
    [BenchmarkCategory("round trip")]
    public Task<long> RoundTrip_Sdk() => RoundTripAsync<Account>(_path, _output, afterRow: null);

    [Benchmark(Description = "read + write back: SDK, narrow Account")]
    [BenchmarkCategory("round trip")]
    public Task<long> RoundTrip_SdkNarrow() => RoundTripAsync<NarrowAccount>(_path, _output, afterRow: null);

    /// <summary>Streams every record of <paramref name="path"/> into <paramref name="output"/>; returns the row count.</summary>
    private static async Task<long> RoundTripAsync<T>(string path, string output, Action<long>? afterRow)
        where T : SObject, ISObjectType<T>
    {
        using var reader = new CsvRecordReader<T>(File.OpenRead(path));
        await reader.ReadHeaderAsync();
        await using var writer = new global::Sdk.Runtime.Bulk.Csv.CsvRecordWriter<T>(File.Create(output), reader.Header, CsvFieldSelection.Set);
        return await writer.WriteAllAsync(afterRow is null ? reader.ReadAllAsync() : Counted(reader.ReadAllAsync(), afterRow));
    }

    private static async IAsyncEnumerable<T> Counted<T>(IAsyncEnumerable<T> items, Action<long> afterRow)
    {
        long rows = 0;
        await foreach (var item in items)
        {
            yield return item;
            afterRow(++rows);
        }
    }

    [Benchmark(Baseline = true, Description = "read + write back: CsvHelper")]
    [BenchmarkCategory("round trip")]
    public long RoundTrip_CsvHelper()
    {
        using var reader = CsvHelper.CsvReader.Create(File.OpenRead(_path), CsvReaderOptions.Default with { Separator = ',' }, false);
        using var writer = CsvHelper.CsvWriter.Create(File.Create(_output), CsvWriterOptions.Default with { NewLine = "\n" }, false);
        long rows = 0;
        writer.WriteRecords(Count(reader.GetRecords<AccountRow>(), () => rows++));
        return rows;
    }

    private static IEnumerable<T> Count<T>(IEnumerable<T> items, Action counted)
    {
        foreach (var item in items)
        {
            counted();
            yield return item;
        }
    }

    /// <summary>The peak managed heap while streaming the whole file through the SDK's reader and writer (prints MB).</summary>
    internal static async Task<long> PeakHeapOfRoundTripAsync(string path, string output)
    {
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        await RoundTripAsync<Account>(path, output, rows =>
        {
            if (rows % 100_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        });
        return peak;
    }
}

/// <summary>The same Account columns for CsvHelper's source-generated mapping.</summary>
[CsvRecord]
public sealed partial class AccountRow
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? BillingCity { get; set; }

    public string? Phone { get; set; }

    public string? Website { get; set; }

    public string? Industry { get; set; }

    public decimal? AnnualRevenue { get; set; }

    public int? NumberOfEmployees { get; set; }

    public string? Description { get; set; }

    public string? OwnerId { get; set; }

    public DateTimeOffset? CreatedDate { get; set; }

    public bool? IsPartner { get; set; }
}
