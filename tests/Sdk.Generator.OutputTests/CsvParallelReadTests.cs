using System.Globalization;
using System.Text;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Tests.TestSupport;
using Task = System.Threading.Tasks.Task;

namespace Sdk.Generator.OutputTests;

/// <summary>
/// The typed reader parsing pieces of a stream in parallel: for any input it gives what the sequential reader gives, in
/// order — the same records, the same errors with the same line and record numbers, at the same places.
/// </summary>
public class CsvParallelReadTests
{
    private const string Header = "Id,Name,Amount__c,Due_Date__c,Account__r.Name,Extra__c";

    /// <summary>Everything a reader gives, in order: each record written back as a row, or an error with its numbers.</summary>
    private static async Task<List<string>> OutcomesAsync(byte[] csv, int parallelism, int chunkChars, bool asyncOnly = false, CsvDelimiter delimiter = CsvDelimiter.Comma)
    {
        var outcomes = new List<string>();
        Stream stream = asyncOnly ? new AsyncOnlyStream(csv) : new MemoryStream(csv);
        using var reader = new CsvRecordReader<Invoice>(stream, delimiter, leaveOpen: false, parallelism, chunkChars);
        IReadOnlyList<string> header;
        try
        {
            header = await reader.ReadHeaderAsync();
        }
        catch (CsvFormatException ex)
        {
            return [$"error line {ex.Line} record {ex.Record}: {ex.Message}"];
        }

        while (true)
        {
            try
            {
                if (await reader.ReadAsync() is not { } record)
                {
                    return outcomes;
                }

                var text = new StringWriter();
                using (var writer = new CsvRecordWriter<Invoice>(text, header))
                {
                    writer.Write(record);
                }

                outcomes.Add(text.ToString()[(text.ToString().IndexOf('\n', StringComparison.Ordinal) + 1)..]);
            }
            catch (CsvFormatException ex)
            {
                outcomes.Add($"error line {ex.Line} record {ex.Record}: {ex.Message}");
                if (ex.Message.Contains("never closed", StringComparison.Ordinal))
                {
                    return outcomes; // the input ended inside the field
                }
            }
        }
    }

    private static async Task AssertSameAsSequentialAsync(string csv, params int[] chunkSizes)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        var expected = await OutcomesAsync(bytes, parallelism: 1, chunkChars: 0);
        foreach (var chunk in chunkSizes)
        {
            Assert.Equal(expected, await OutcomesAsync(bytes, parallelism: 3, chunk));
            Assert.Equal(expected, await OutcomesAsync(bytes, parallelism: 2, chunk, asyncOnly: true));
        }
    }

    /// <summary>A random field: plain, or quoted with delimiters, doubled quotes and line breaks, or unquoted with a stray quote.</summary>
    private static string Field(Random random, string plain)
    {
        return random.Next(10) switch
        {
            0 => "\"" + plain + ", \"\"q\"\"\nnext line\r\nand é 日本\"",
            1 => plain + "\"inch", // a quote inside an unquoted field: kept as it is, and the quote count is off by one
            2 => string.Empty,
            _ => plain,
        };
    }

    private static string RandomCsv(Random random, int rows, string newLine)
    {
        var csv = new StringBuilder(Header).Append(newLine);
        for (var i = 0; i < rows; i++)
        {
            csv.Append(random.Next(4) == 0 ? string.Empty : "a015e00000ABCDEAA5").Append(',')
                .Append(Field(random, "Name " + i.ToString(CultureInfo.InvariantCulture))).Append(',')
                .Append(random.Next(5) == 0 ? string.Empty : (random.Next(100_000) / 100m).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(random.Next(3) == 0 ? string.Empty : "2024-01-" + (1 + random.Next(28)).ToString("D2", CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(random, "Acme")).Append(',')
                .Append(Field(random, "x")).Append(newLine);
        }

        return csv.ToString();
    }

    [Theory]
    [InlineData(1, "\n")]
    [InlineData(2, "\r\n")]
    [InlineData(3, "\n")]
    public async Task RandomAwkwardInput_SameRecordsAsSequential_ForAnyPieceSize(int seed, string newLine)
    {
        var csv = RandomCsv(new Random(seed), 3_000, newLine);
        await AssertSameAsSequentialAsync(csv, 64, 700, 16 * 1024);
        var outcomes = await OutcomesAsync(Encoding.UTF8.GetBytes(csv), 3, 700);
        Assert.Equal(3_000, outcomes.Count);
        Assert.DoesNotContain(outcomes, o => o.StartsWith("error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ByteOrderMark_NoFinalLineBreak_OtherDelimiter()
    {
        var csv = RandomCsv(new Random(4), 500, "\n").Replace(',', ';');
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.TrimEnd('\n'))).ToArray();
        var expected = await OutcomesAsync(bytes, 1, 0, delimiter: CsvDelimiter.Semicolon);
        Assert.Equal(500, expected.Count);
        Assert.Equal(expected, await OutcomesAsync(bytes, 3, 256, delimiter: CsvDelimiter.Semicolon));
        Assert.Equal(expected, await OutcomesAsync(bytes, 2, 100_000, delimiter: CsvDelimiter.Semicolon));
    }

    [Fact]
    public async Task BadValuesAndMalformedRows_SameErrorsAtTheSameRecords_AndReadingGoesOn()
    {
        var random = new Random(5);
        var rows = RandomCsv(random, 2_000, "\n").Split('\n').ToList();
        rows[300] = "a015e00000ABCDEAA5,Bad amount,12abc,,,"; // a value that does not fit: an error, then the next record
        rows[900] = "notanid,Bad id,1,,,";
        rows[1500] = "a015e00000ABCDEAA5,\"Closed\"then text,1,,,"; // text after a closing quote
        var csv = string.Join('\n', rows);
        await AssertSameAsSequentialAsync(csv, 97, 4096);
        var outcomes = await OutcomesAsync(Encoding.UTF8.GetBytes(csv), 3, 4096);
        Assert.Contains(outcomes, o => o.StartsWith("error", StringComparison.Ordinal) && o.Contains("'12abc' is not a number", StringComparison.Ordinal));
        Assert.Contains(outcomes, o => o.StartsWith("error", StringComparison.Ordinal) && o.Contains("'notanid' is not an id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFieldLongerThanAnyPiece_AndAQuoteNeverClosed()
    {
        // 44,000 characters in one field: pieces of 1,000 grow to hold it; pieces of 64 give up at 64 times their size and
        // the rest is read sequentially.
        var longField = "\"" + string.Concat(Enumerable.Repeat("line, with \"\"quotes\"\"\n", 2_000)) + "\"";
        var csv = Header + "\n" + "a015e00000ABCDEAA5,first,1,,,\n" + $"a015e00000ABCDEAA5,{longField},2,,,\n" + "a015e00000ABCDEAA5,last,3,,,\n";
        await AssertSameAsSequentialAsync(csv, 64, 1000);
        await AssertSameAsSequentialAsync(csv + "a015e00000ABCDEAA5,\"never closed\n,4,,,\nmore\n", 64, 1000);
    }

    [Fact]
    public async Task EmptyInput_HeaderOnly_HeaderWithoutLineBreak_DuplicateColumns()
    {
        await AssertSameAsSequentialAsync(string.Empty, 64);
        await AssertSameAsSequentialAsync(Header + "\n", 64);
        await AssertSameAsSequentialAsync(Header, 64);
        await AssertSameAsSequentialAsync("Name,name\nx,y\n", 64);
        Assert.StartsWith("error line 1 record 0", (await OutcomesAsync([], 2, 64))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadingFailure_SurfacesInOrder_CancellationAndDisposeMidway()
    {
        var csv = Encoding.UTF8.GetBytes(RandomCsv(new Random(6), 5_000, "\n"));
        using (var reader = new CsvRecordReader<Invoice>(new AsyncOnlyStream(csv, 3_001, failAfter: csv.Length / 2), CsvDelimiter.Comma, false, 2, 1024))
        {
            var read = 0;
            var failure = await Assert.ThrowsAsync<IOException>(async () =>
            {
                while (await reader.ReadAsync() is not null)
                {
                    read++;
                }
            });
            Assert.Equal("disk gone", failure.Message);
            Assert.InRange(read, 1_000, 2_600); // the records before the failure came first
        }

        using (var reader = new CsvRecordReader<Invoice>(new MemoryStream(csv), CsvDelimiter.Comma, false, 2, 1024))
        {
            Assert.NotNull(await reader.ReadAsync());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await reader.ReadAsync(new CancellationToken(canceled: true)) is not null)
                {
                }
            });
        }

        var open = new MemoryStream(csv);
        var early = new CsvRecordReader<Invoice>(open, CsvDelimiter.Comma, leaveOpen: true, 2, 1024);
        Assert.NotNull(await early.ReadAsync());
        early.Dispose();
        early.Dispose();
        Assert.True(open.CanRead); // left open as asked
    }

    /// <summary>
    /// A cancelled token stops the reading at the next record, though the records after it are already parsed (the whole
    /// input is in the buffer, or in pieces parsed ahead): before, they kept coming until the next read from the stream.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Cancellation_StopsAtTheNextRecord_WithRecordsParsedAhead(int parallelism)
    {
        var csv = Encoding.UTF8.GetBytes(RandomCsv(new Random(7), 400, "\n"));
        using var reader = new CsvRecordReader<Invoice>(new MemoryStream(csv), CsvDelimiter.Comma, false, parallelism, 64 * 1024);
        using var cts = new CancellationTokenSource();
        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await reader.ReadAsync(cts.Token) is not null)
            {
                if (++read == 10)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(10, read);
    }

    [Fact]
    public async Task RecordsTaken_AreNotHeldByTheReader()
    {
        // The reader reuses its pieces' arrays of records: once the caller took a piece's records, they are the caller's only.
        // Plain rows, so that every piece is parsed in parallel (a stray quote would send the rest to the sequential reader).
        var csv = Encoding.UTF8.GetBytes(Header + "\n" + string.Concat(Enumerable.Range(0, 3_000).Select(i => $"a015e00000ABCDEAA5,Name {i},{i}.5,2024-01-02,Acme,x\n")));
        using var reader = new CsvRecordReader<Invoice>(new MemoryStream(csv), CsvDelimiter.Comma, leaveOpen: false, parallelism: 2, chunkChars: 1024);
        var taken = await TakeAsync(reader, 2_000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(string.Empty, string.Join(",", taken.Take(1_500).Select((r, i) => r.IsAlive ? i.ToString(CultureInfo.InvariantCulture) : null).OfType<string>())); // long before the piece being read
        Assert.Equal(1_000, (await TakeAsync(reader, 2_000)).Length); // and the rest comes, the arrays reused
    }

    /// <summary>Takes up to <paramref name="count"/> records, keeping only weak references to them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<WeakReference[]> TakeAsync(CsvRecordReader<Invoice> reader, int count)
    {
        var taken = new List<WeakReference>(count);
        while (taken.Count < count && await reader.ReadAsync() is { } record)
        {
            taken.Add(new WeakReference(record));
        }

        return [.. taken];
    }
}
