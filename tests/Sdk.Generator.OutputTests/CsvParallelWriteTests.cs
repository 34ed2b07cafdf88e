using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Sdk.Generator.OutputTests.Org;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;
using Task = System.Threading.Tasks.Task;

namespace Sdk.Generator.OutputTests;

/// <summary>
/// The typed writer formatting pieces of records in parallel (<see cref="CsvRecordWriter{T}.WriteAllAsync(IEnumerable{T}, CancellationToken)"/>):
/// for any records it writes the very bytes that writing them one by one writes, in order, and it reports what it cannot do.
/// </summary>
public class CsvParallelWriteTests
{
    private static readonly string[] Columns = ["Id", "Name", "Amount__c", "Due_Date__c", "Paid_At__c", "Notes__c", "Account__r.AccountNumber", "Extra__c"];

    /// <summary>Records with awkward values: quotes, delimiters, line breaks, text beyond ASCII, nulls, long notes, parents.</summary>
    private static List<Invoice> RandomInvoices(int seed, int count)
    {
        var random = new Random(seed);
        var invoices = new List<Invoice>(count);
        for (var i = 0; i < count; i++)
        {
            var invoice = new Invoice { Name = "INV " + i.ToString(CultureInfo.InvariantCulture) };
            if (random.Next(3) > 0)
            {
                invoice.Id = SalesforceId.Parse("a015e00000" + (10_000 + random.Next(90_000)).ToString(CultureInfo.InvariantCulture));
            }

            invoice.Amount = random.Next(5) == 0 ? null : random.Next(10_000_000) / 100m;
            if (random.Next(4) > 0)
            {
                invoice.Due_Date = new DateOnly(2024, 1, 1).AddDays(random.Next(700));
            }

            if (random.Next(4) > 0)
            {
                invoice.Paid_At = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(random.Next(-5, 6))).AddSeconds(random.Next(50_000_000));
            }

            invoice.Notes = random.Next(12) switch
            {
                0 => "said \"hello\", then left\r\nnext line",
                1 => " leading and trailing ",
                2 => "é 日本 €",
                3 => new string('x', 5_000 + random.Next(5_000)), // long rows: pieces outgrow a buffer
                4 => null,
                _ => "plain",
            };
            if (random.Next(2) == 0)
            {
                invoice.Account_r = new Account { AccountNumber = "A-" + i.ToString(CultureInfo.InvariantCulture) };
            }

            invoices.Add(invoice);
        }

        return invoices;
    }

    private static CsvRecordWriter<Invoice> NewWriter(Stream stream, int parallelism, int? pieceBytes = null, CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf)
        => new(stream, Columns, CsvFieldSelection.Set, delimiter, lineEnding, leaveOpen: true)
        {
            Parallelism = parallelism,
            PieceBytes = pieceBytes ?? CsvParallelWriter<Invoice>.DefaultPieceBytes,
        };

    private static byte[] OneByOne(IEnumerable<Invoice> invoices, CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf)
    {
        var stream = new MemoryStream();
        using (var writer = NewWriter(stream, 1, delimiter: delimiter, lineEnding: lineEnding))
        {
            foreach (var invoice in invoices)
            {
                writer.Write(invoice);
            }
        }

        return stream.ToArray();
    }

    private static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var n = 0;
        foreach (var item in items)
        {
            if (++n % 97 == 0)
            {
                await Task.Yield(); // some records arrive later, on another thread
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(700, 2)]
    [InlineData(64 * 1024, 3)]
    [InlineData(null, 4)]
    public async Task WriteAll_SameBytesAsOneByOne_SyncAndAsyncRecords(int? pieceBytes, int parallelism)
    {
        var invoices = RandomInvoices(1, 3_000);
        var expected = OneByOne(invoices);
        Assert.Contains("\"said \"\"hello\"\", then left\r\nnext line\""u8.ToArray(), [.. expected]);

        var fromList = new MemoryStream();
        await using (var writer = NewWriter(fromList, parallelism, pieceBytes))
        {
            Assert.Equal(3_000, await writer.WriteAllAsync(invoices));
        }

        Assert.Equal(expected, fromList.ToArray());

        var fromAsync = new MemoryStream();
        await using (var writer = NewWriter(fromAsync, parallelism, pieceBytes))
        {
            Assert.Equal(3_000, await writer.WriteAllAsync(Async(invoices)));
        }

        Assert.Equal(expected, fromAsync.ToArray());
    }

    [Fact]
    public async Task WriteAll_BetweenSingleWrites_OtherDelimiterAndLineEnding_AndToText()
    {
        var invoices = RandomInvoices(2, 1_500);
        var expected = OneByOne(invoices, CsvDelimiter.Semicolon, CsvLineEnding.CrLf);

        var stream = new MemoryStream();
        await using (var writer = NewWriter(stream, 2, pieceBytes: 2_000, CsvDelimiter.Semicolon, CsvLineEnding.CrLf))
        {
            writer.Write(invoices[0]); // buffered before the pieces: written first
            Assert.Equal(1_498, await writer.WriteAllAsync(invoices.Skip(1).Take(1_498)));
            writer.Write(invoices[^1]);
        }

        Assert.Equal(expected, stream.ToArray());

        var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var writer = new CsvRecordWriter<Invoice>(text, Columns, CsvFieldSelection.Set, CsvDelimiter.Semicolon, CsvLineEnding.CrLf) { Parallelism = 3, PieceBytes = 5_000 })
        {
            Assert.Equal(1_500, await writer.WriteAllAsync(Async(invoices)));
        }

        Assert.Equal(Encoding.UTF8.GetString(expected), text.ToString());
    }

    [Fact]
    public async Task TheSameObjectTwiceInARow_IsAnError_UnlessParallelismIsOne()
    {
        // An enumerator that hands over one object, changed each time: formatted later on other threads, every row would
        // show its last state. It is caught, and named.
        static IEnumerable<Invoice> Reused()
        {
            var invoice = new Invoice();
            for (var i = 0; i < 100; i++)
            {
                invoice.Name = "INV " + i.ToString(CultureInfo.InvariantCulture);
                yield return invoice;
            }
        }

        await using (var parallel = NewWriter(new MemoryStream(), 2))
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => parallel.WriteAllAsync(Reused()));
            Assert.Contains("Records 1 and 2 of the records to write are the same Invoice__c object", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Parallelism to 1", ex.Message, StringComparison.Ordinal);
        }

        var stream = new MemoryStream();
        await using (var sequential = NewWriter(stream, 1))
        {
            Assert.Equal(100, await sequential.WriteAllAsync(Async(Reused())));
        }

        var rows = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(",INV 0,,,,,,", rows[1]); // each row as the object was when it was handed over
        Assert.Equal(",INV 99,,,,,,", rows[100]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ANullRecord_IsNamedByItsNumber(int parallelism)
    {
        var invoices = RandomInvoices(3, 40).Append(null!).ToList();
        await using var writer = NewWriter(new MemoryStream(), parallelism, pieceBytes: 100);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAllAsync(invoices));
        Assert.StartsWith("Record 41 of the records to write is null.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("records", ex.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task AFailingSource_AndCancellation_Surface(int parallelism)
    {
        var invoices = RandomInvoices(4, 2_000);
        static IEnumerable<Invoice> FailingAfter(IEnumerable<Invoice> items, int count)
        {
            foreach (var item in items.Take(count))
            {
                yield return item;
            }

            throw new IOException("source gone");
        }

        var stream = new MemoryStream();
        await using (var writer = NewWriter(stream, parallelism, pieceBytes: 1_000))
        {
            var ex = await Assert.ThrowsAsync<IOException>(() => writer.WriteAllAsync(FailingAfter(invoices, 1_200)));
            Assert.Equal("source gone", ex.Message);
        }

        // What was written before the failure: whole rows, in order, as writing them one by one writes them.
        var written = Encoding.UTF8.GetString(stream.ToArray());
        Assert.StartsWith(written, Encoding.UTF8.GetString(OneByOne(invoices.Take(1_200))), StringComparison.Ordinal);
        Assert.EndsWith("\n", written, StringComparison.Ordinal);

        using var cancel = new CancellationTokenSource();
        await using (var writer = NewWriter(new MemoryStream(), parallelism, pieceBytes: 1_000))
        {
            var source = Async(invoices.Select((invoice, i) =>
            {
                if (i == 500)
                {
                    cancel.Cancel();
                }

                return invoice;
            }));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAllAsync(source, cancel.Token));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task NoRecords_TheHeaderAlone(int parallelism)
    {
        var stream = new MemoryStream();
        await using (var writer = NewWriter(stream, parallelism))
        {
            Assert.Equal(0, await writer.WriteAllAsync([]));
            Assert.Equal(0, await writer.WriteAllAsync(Async(Array.Empty<Invoice>())));
        }

        Assert.Equal(string.Join(',', Columns) + "\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The parallel write's prefetch covers a whole record: its size is learned from an empty record of the type, not guessed.</summary>
    [Fact]
    public void Prefetch_CoversAWholeRecord()
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var references = typeof(Invoice).GetFields(Instance).Count(field => !field.FieldType.IsValueType);
        var bytes = MemoryPrefetch<Invoice>.Bytes;
        Assert.InRange(bytes, 16 + (8 * references), 4096); // an object header and a reference per field, at the least
        Assert.True(references > 8, $"Invoice has {references} reference fields: too few to tell a measured size from one cache line");
    }

    [Fact]
    public void Parallelism_BelowOne_IsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => NewWriter(new MemoryStream(), 0));
        Assert.Equal("value", ex.ParamName);
        Assert.Equal(Math.Min(Environment.ProcessorCount, 4), new CsvRecordWriter<Invoice>(new MemoryStream(), Columns).Parallelism);
    }
}
