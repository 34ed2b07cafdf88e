using System.Text;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Tests.TestSupport;

namespace Sdk.Runtime.Tests.Bulk;

/// <summary>The RFC 4180 reader and writer: round trips of awkward values, Bulk's delimiters and line endings, real Bulk CSVs, errors.</summary>
public class CsvTests
{
    private static async Task<List<string[]>> ReadAllAsync(string text, CsvDelimiter delimiter = CsvDelimiter.Comma)
    {
        using var reader = new CsvReader(new StringReader(text), delimiter);
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetRow());
        }

        return rows;
    }

    /// <summary>Each delimiter and line ending, read from memory (read directly) and from an asynchronous-only stream.</summary>
    public static TheoryData<CsvDelimiter, CsvLineEnding, bool> Formats()
    {
        var data = new TheoryData<CsvDelimiter, CsvLineEnding, bool>();
        foreach (var delimiter in Enum.GetValues<CsvDelimiter>())
        {
            foreach (var ending in Enum.GetValues<CsvLineEnding>())
            {
                data.Add(delimiter, ending, false);
                data.Add(delimiter, ending, true);
            }
        }

        return data;
    }

    [Fact]
    public async Task Cancellation_StopsAtTheNextRow_ThoughTheRowsAreBuffered()
    {
        var text = "A,B\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"{i},x\n"));
        using var reader = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        using var cts = new CancellationTokenSource();
        var rows = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await reader.ReadAsync(cts.Token))
            {
                if (++rows == 5)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(5, rows);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task RoundTrip_AwkwardValues_AcrossBufferBoundaries(CsvDelimiter delimiter, CsvLineEnding ending, bool asyncSource)
    {
        var random = new Random(42);
        string[] pieces = ["plain", ",", "\t", "|", ";", "^", "`", "\"", "\"\"", "\n", "\r\n", "\r", " ", "\0", "é", "日本", "#N/A", ""];
        var rows = Enumerable.Range(0, 6_000).Select(_ => Enumerable.Range(0, 5).Select(_ => string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => pieces[random.Next(pieces.Length)]))).ToArray()).ToList();

        using var stream = new MemoryStream();
        await using (var writer = new CsvWriter(stream, delimiter, ending, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                writer.WriteRow(row);
            }
        }

        Assert.True(stream.Length > 128 * 1024, "the text must cross the reader's buffer several times");
        Assert.NotEqual(0xEF, stream.GetBuffer()[0]); // no byte order mark
        stream.Position = 0;
        using var reader = new CsvReader(asyncSource ? new AsyncOnlyStream(stream.ToArray()) : stream, delimiter);
        var read = 0;
        while (await reader.ReadAsync())
        {
            Assert.Equal(rows[read], reader.GetRow());
            read++;
        }

        Assert.Equal(rows.Count, read);
    }

    /// <summary>
    /// Rows without quotes are cut in one pass over blocks of characters; rows with quotes (around a field or inside one) go
    /// the general way. Interleaved, of every length around the block size, with each line ending, they read as written, and
    /// the line and record numbers stay right: an error after them names its line, counting the line breaks inside quotes.
    /// </summary>
    [Theory]
    [InlineData(CsvDelimiter.Comma, "\n")]
    [InlineData(CsvDelimiter.Comma, "\r\n")]
    [InlineData(CsvDelimiter.Tab, "\r")]
    [InlineData(CsvDelimiter.Pipe, "\r\n")]
    [InlineData(CsvDelimiter.Backquote, "\n")]
    public async Task Reader_PlainAndQuotedRowsInterleaved_SameFieldsAndNumbers(CsvDelimiter delimiter, string ending)
    {
        var d = delimiter switch { CsvDelimiter.Tab => "\t", CsvDelimiter.Pipe => "|", CsvDelimiter.Backquote => "`", _ => "," };
        var random = new Random(2211);
        var rows = new List<string[]>();
        var text = new StringBuilder();
        var lines = 0;
        for (var i = 0; i < 4_000; i++)
        {
            var fields = Enumerable.Range(0, random.Next(1, 6)).Select(_ => new string((char)('a' + random.Next(26)), random.Next(0, 40))).ToArray();
            var written = (string[])fields.Clone();
            switch (random.Next(4))
            {
                case 0: // a quoted field with a line break inside
                    var k = random.Next(fields.Length);
                    fields[k] += "\n" + d + "x";
                    written[k] = "\"" + fields[k] + "\"";
                    lines++;
                    break;
                case 1: // a quote inside an unquoted field is text
                    var m = random.Next(fields.Length);
                    fields[m] = written[m] = "in\"side" + fields[m];
                    break;
            }

            rows.Add(fields);
            text.Append(string.Join(d, written)).Append(ending);
            lines++;
        }

        text.Append("a").Append(d).Append("\"unclosed").Append(ending);
        using var reader = new CsvReader(new StringReader(text.ToString()), delimiter);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(rows[i], reader.GetRow());
            Assert.Equal(i + 1, reader.RowNumber);
        }

        var error = await Assert.ThrowsAsync<CsvFormatException>(async () => await reader.ReadAsync());
        Assert.Equal(lines + 1, error.Line);
        Assert.Equal(rows.Count + 1, error.Record);
    }

    [Fact]
    public async Task Reader_FileOpenedForSynchronousReads_ReadsAllRows_AndHonoursCancellation()
    {
        var path = Path.Combine(Path.GetTempPath(), $"csv-{Guid.NewGuid():N}.csv");
        try
        {
            var rows = Enumerable.Range(0, 20_000).Select(i => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"name \"{i}\"\nline two" }).ToList();
            await using (var writer = new CsvWriter(File.Create(path)))
            {
                rows.ForEach(writer.WriteRow);
            }

            using (var reader = new CsvReader(File.OpenRead(path)))
            {
                var read = 0;
                while (await reader.ReadAsync())
                {
                    Assert.Equal(rows[read++], reader.GetRow());
                }

                Assert.Equal(rows.Count, read);
            }

            using var cancelled = new CsvReader(File.OpenRead(path));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.ReadAsync(new CancellationToken(canceled: true)).AsTask());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Writer_Stream_LongFieldsAndSurrogatePairsAcrossItsBuffer_HashedAsTheReaderSeesThem()
    {
        // Fields longer than the writer's buffer, quotes to double, and emoji whose two UTF-16 halves fall on either side
        // of a buffer boundary (odd lengths shift them): the bytes are exactly UTF-8 of the text, and each row's hash (what
        // ties a bulk result row to its input) is the hash of the values read back.
        var rows = Enumerable.Range(0, 400).Select(i => new[]
        {
            new string('x', i % 7) + string.Concat(Enumerable.Repeat("😀", 50 + i)),
            i % 50 == 0 ? new string('"', 40_000 + i) : "plain",
            i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
        var expected = new StringWriter();
        using (var text = new CsvWriter(expected))
        {
            rows.ForEach(text.WriteRow);
        }

        using var stream = new MemoryStream();
        var hashes = new List<ulong>();
        await using (var writer = new CsvWriter(stream, leaveOpen: true) { HashRows = true })
        {
            foreach (var row in rows)
            {
                writer.WriteRow(row);
                hashes.Add(writer.LastRowHash);
            }
        }

        Assert.Equal(Encoding.UTF8.GetBytes(expected.ToString()), stream.ToArray());
        stream.Position = 0;
        using var reader = new CsvReader(stream);
        HashCode a = default, b = default;
        for (var i = 0; await reader.ReadAsync(); i++)
        {
            Assert.Equal(rows[i], reader.GetRow());
            for (var f = 0; f < reader.FieldCount; f++)
            {
                RowHasher.Add(ref a, ref b, reader.GetSpan(f));
            }

            Assert.Equal(hashes[i], RowHasher.Finish(ref a, ref b));
        }

        Assert.Equal(400, hashes.Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Writer_RowsFormattedInMemory_GoWhereTheyAreHandedOver_OnlyBetweenRows(bool toText)
    {
        // A writer into memory (what a parallel write formats a piece with) grows past its first buffer and keeps every byte;
        // its rows land between the destination's own, in a stream or decoded into text.
        string[][] rows = [["a", "b"], ["x", "é 日本"], [new string('y', 300_000), "\"q\""], ["c", string.Empty]];
        var expected = new StringWriter();
        using (var all = new CsvWriter(expected, CsvDelimiter.Pipe, CsvLineEnding.CrLf))
        {
            Array.ForEach(rows, all.WriteRow);
        }

        var stream = new MemoryStream();
        var text = new StringWriter();
        await using (var destination = toText ? new CsvWriter(text, CsvDelimiter.Pipe, CsvLineEnding.CrLf) : new CsvWriter(stream, CsvDelimiter.Pipe, CsvLineEnding.CrLf, leaveOpen: true))
        {
            destination.WriteRow(rows[0]);
            using var memory = destination.NewInMemory();
            memory.WriteRow(rows[1]);
            memory.WriteRow(rows[2]);
            await destination.WriteFormattedAsync(memory.Formatted, CancellationToken.None);
            memory.ClearFormatted();
            Assert.True(memory.Formatted.IsEmpty);
            destination.WriteRow(rows[3]);

            destination.WriteField("mid-row");
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => destination.WriteFormattedAsync("r\r\n"u8.ToArray(), CancellationToken.None).AsTask());
            Assert.Equal("Formatted rows go between rows, without rows hashed.", ex.Message);
            destination.EndRow();
        }

        var written = toText ? text.ToString() : Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(expected + "mid-row\r\n", written);

        await using var hashing = new CsvWriter(new MemoryStream()) { HashRows = true };
        await Assert.ThrowsAsync<InvalidOperationException>(() => hashing.WriteFormattedAsync("r\n"u8.ToArray(), CancellationToken.None).AsTask());
    }

    [Fact]
    public void Writer_TextSeesEachRowAsItEnds_AndIsDoneAfterDispose()
    {
        var text = new StringWriter();
        var writer = new CsvWriter(text);
        writer.WriteField("a");
        writer.WriteField("b");
        Assert.Equal(string.Empty, text.ToString()); // a row in progress stays in the writer
        writer.EndRow();
        Assert.Equal("a,b\n", text.ToString());
        writer.Dispose();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.WriteField("c"));
    }

    [Theory]
    [InlineData(CsvDelimiter.Comma)]
    [InlineData(CsvDelimiter.Tab)]
    [InlineData(CsvDelimiter.Pipe)]
    [InlineData(CsvDelimiter.Semicolon)]
    [InlineData(CsvDelimiter.Caret)]
    [InlineData(CsvDelimiter.Backquote)]
    public void Writer_QuotesAsTheRuleSays_WhereverTheSpecialCharacterIs(CsvDelimiter delimiter)
    {
        // Every length from 0 to 40 (the writer scans 8 characters at a time, the last block overlapping) with at most one
        // character that may need quotes at every position, alone and after a character beyond ASCII: the same text as a
        // plain rule-by-rule writer gives, to a text writer and as UTF-8 to a stream.
        var separator = DelimiterOf(delimiter);
        char[] specials = [',', '\t', '|', ';', '^', '`', '"', '\r', '\n', ' ', 'é', '\0', '\u007F', '\u0080', '€'];
        var expected = new StringBuilder();
        var text = new StringWriter();
        var bytes = new MemoryStream();
        using (var writer = new CsvWriter(text, delimiter))
        using (var utf8 = new CsvWriter(bytes, delimiter, leaveOpen: true))
        {
            for (var length = 0; length <= 40; length++)
            {
                for (var at = -1; at < length; at++)
                {
                    foreach (var special in at < 0 ? ['x'] : specials)
                    {
                        foreach (var accented in length > 1 && at != 0 ? [false, true] : new[] { false })
                        {
                            var chars = Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))).ToArray();
                            if (at >= 0)
                            {
                                chars[at] = special;
                            }

                            if (accented)
                            {
                                chars[0] = 'ü';
                            }

                            var value = new string(chars);
                            foreach (var w in new[] { writer, utf8 })
                            {
                                w.WriteField("first");
                                w.WriteField(value);
                                w.EndRow();
                            }

                            var quote = value.IndexOfAny([separator, '"', '\r', '\n']) >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
                            expected.Append("first").Append(separator)
                                .Append(quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value).Append('\n');
                        }
                    }
                }
            }
        }

        Assert.Equal(expected.ToString(), text.ToString());
        Assert.Equal(Encoding.UTF8.GetBytes(expected.ToString()), bytes.ToArray());
    }

    private static char DelimiterOf(CsvDelimiter delimiter) => delimiter switch
    {
        CsvDelimiter.Tab => '\t',
        CsvDelimiter.Pipe => '|',
        CsvDelimiter.Semicolon => ';',
        CsvDelimiter.Caret => '^',
        CsvDelimiter.Backquote => '`',
        _ => ',',
    };

    /// <summary>
    /// Every character that needs care (the delimiter, a quote, CR, LF, text beyond ASCII, a surrogate pair) at every
    /// position of fields of 1 to 40 characters: the writer checks and narrows a field in blocks of 8 and 16 characters,
    /// the last block overlapping the one before, so each length and position crosses a different block boundary.
    /// </summary>
    [Theory]
    [InlineData(CsvDelimiter.Comma)]
    [InlineData(CsvDelimiter.Tab)]
    public void Writer_EverySpecialCharacter_AtEveryPosition_OfFieldsUpTo40Characters(CsvDelimiter delimiter)
    {
        var d = DelimiterOf(delimiter);
        var specials = new[] { d.ToString(), "\"", "\r", "\n", "é", "€", "😀", "x" }; // "x": plain, for the unquoted path
        var stream = new MemoryStream();
        var expected = new StringBuilder();
        using (var writer = new CsvWriter(stream, delimiter, leaveOpen: true))
        {
            for (var length = 1; length <= 40; length++)
            {
                foreach (var special in specials)
                {
                    for (var at = 0; at + special.Length <= length; at++)
                    {
                        var field = new string('a', at) + special + new string('b', length - at - special.Length);
                        writer.WriteField("row");
                        writer.WriteField(field);
                        writer.EndRow();
                        var quoted = field.Contains(d) || field.Contains('"') || field.Contains('\r') || field.Contains('\n');
                        expected.Append("row").Append(d).Append(quoted ? "\"" + field.Replace("\"", "\"\"") + "\"" : field).Append('\n');
                    }
                }
            }
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Writer_QuotesOnlyWhatNeedsIt()
    {
        var text = new StringWriter();
        using (var writer = new CsvWriter(text))
        {
            writer.WriteRow(["plain", "a,b", "say \"hi\"", " lead", "trail ", "line\nbreak", "", "tab\tok"]);
        }

        Assert.Equal("plain,\"a,b\",\"say \"\"hi\"\"\",\" lead\",\"trail \",\"line\nbreak\",,tab\tok\n", text.ToString());
        var tabs = new StringWriter();
        using (var writer = new CsvWriter(tabs, CsvDelimiter.Tab, CsvLineEnding.CrLf))
        {
            writer.WriteRow(["a,b", "c\td"]);
        }

        Assert.Equal("a,b\t\"c\td\"\r\n", tabs.ToString());
    }

    [Fact]
    public async Task Reader_CrLf_Bom_QuotedLineBreaks_NoFinalNewline()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Id,Name\r\n001,\"Acme\r\nInc\"\r\n002,\"\"\"Quoted\"\"\"\r\n003,")).ToArray();
        using var reader = new CsvReader(new MemoryStream(bytes));
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetRow());
        }

        Assert.Equal(["Id", "Name"], rows[0]); // the byte order mark is not part of the first header
        Assert.Equal(["001", "Acme\r\nInc"], rows[1]);
        Assert.Equal(["002", "\"Quoted\""], rows[2]);
        Assert.Equal(["003", ""], rows[3]);
        Assert.Equal(4, rows.Count);
        Assert.Equal(4, reader.RowNumber);
    }

    [Fact]
    public async Task Reader_RealBulkResults()
    {
        var failed = await ReadAllAsync(TestClients.Fixture("bulk-v2/bulk-api-injest-fail-7508Z00000lSXvxQAG.200.csv"));
        Assert.Equal(["sf__Id", "sf__Error", "Name", "Description", "NumberOfEmployees"], failed[0]);
        Assert.Equal(["", "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --", "", "Description of TestAccount1", "30"], failed[1]);
        Assert.Equal(3, failed.Count);

        var succeeded = await ReadAllAsync(TestClients.Fixture("bulk-v2/bulk-api-ingest-7508Z00000lSXvxQAG.200.csv"));
        Assert.Equal("sf__Created", succeeded[0][1]);
        Assert.Equal(["0018Z00002rGc7YQAS", "true", "TestAccount1", "Description of TestAccount1", "30"], succeeded[1]);

        var query = await ReadAllAsync(TestClients.Fixture("bulk-v2/bulk-api-query-get-7508Z00000lTqQCQA0-result.200.csv"));
        Assert.Equal(["Id"], query[0]);
        Assert.All(query.Skip(1), row => Assert.Equal(18, Assert.Single(row).Length));
    }

    [Fact]
    public async Task Reader_MalformedInput_SaysWhereItBroke()
    {
        var open = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("Id,Name\n001,Fine\n002,\"never closed\n003,x\n"));
        Assert.Equal(3, open.Line);
        Assert.Equal(3, open.Record);
        Assert.Contains("never closed", open.Message);

        var trailing = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("Id,Name\n001,\"Acme\"x\n"));
        Assert.Equal(2, trailing.Record);
        Assert.Contains("'x' follows the closing quote of field 2", trailing.Message);
    }

    [Fact]
    public async Task Reader_SpansAreTheFieldsWithoutCopies_NulKept()
    {
        using var reader = new CsvReader(new StringReader("a\0b,,c\n"));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(3, reader.FieldCount);
        Assert.True(reader.GetSpan(0).SequenceEqual("a\0b"));
        Assert.Equal(0, reader.GetSpan(1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetSpan(3));
        Assert.False(await reader.ReadAsync());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("1.50")]
    [InlineData("-12.5")]
    [InlineData("123456789012345678")]
    [InlineData("1234567890123456789")]
    [InlineData("0.000000000000000001")]
    [InlineData("1e5")]
    [InlineData("+3")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1.2.3")]
    [InlineData("1,000")]
    [InlineData(" 7")]
    [InlineData("-")]
    [InlineData("79228162514264337593543950335")]
    public void Decimals_ReadAsTheGeneralParserReadsThem_ValueAndScale(string text)
    {
        var expected = decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : (decimal?)null;
        if (expected is null)
        {
            Assert.Throws<FormatException>(() => Sdk.Runtime.Records.SObjectCsv.Decimal(text));
            return;
        }

        var read = Sdk.Runtime.Records.SObjectCsv.Decimal(text);
        Assert.Equal(expected, read);
        Assert.Equal(decimal.GetBits(expected.Value), decimal.GetBits(read!.Value)); // the same scale: 1.50 stays 1.50
    }

    [Fact]
    public void Decimals_RandomPlainNumbers_MatchTheGeneralParserExactly()
    {
        var random = new Random(20261121);
        for (var n = 0; n < 20_000; n++)
        {
            var integer = random.NextInt64(0, 1_000_000_000_000);
            var text = (random.Next(4) == 0 ? "-" : string.Empty) + integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (random.Next(2) == 0)
            {
                text += "." + random.Next(0, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var read = Sdk.Runtime.Records.SObjectCsv.Decimal(text);
            var expected = decimal.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(decimal.GetBits(expected).SequenceEqual(decimal.GetBits(read!.Value)), text);
        }
    }

    [Fact]
    public void Decimals_WrittenAsTheGeneralFormatterWritesThem()
    {
        // Random 64-bit mantissas with every scale and sign, the edges, and zero and 96-bit numbers (the general formatter's).
        var random = new Random(1121);
        var values = new List<decimal> { 0m, -0.00m, 1m, -1m, 0.5m, 1.50m, 0.0001m, 100m, decimal.MaxValue, decimal.MinValue, 1e-28m, ulong.MaxValue, -(decimal)ulong.MaxValue };
        for (var n = 0; n < 20_000; n++)
        {
            var mantissa = (ulong)random.NextInt64() >> random.Next(64);
            values.Add(new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), random.Next(8) == 0 ? random.Next() : 0, random.Next(2) == 0, (byte)random.Next(29)));
        }

        var text = new StringWriter();
        using (var writer = new CsvWriter(text))
        {
            foreach (var value in values)
            {
                Sdk.Runtime.Records.SObjectCsv.WriteDecimal(writer, value);
            }
        }

        Assert.Equal(string.Join(',', values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))), text.ToString());
    }

    [Fact]
    public void DateTimes_WrittenInUtcWithMilliseconds()
    {
        var random = new Random(2111);
        var values = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(-5)) };
        for (var n = 0; n < 20_000; n++)
        {
            var utc = new DateTime(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), DateTimeKind.Utc);
            values.Add(new DateTimeOffset(utc).ToOffset(TimeSpan.FromMinutes(random.Next(-14 * 60, (14 * 60) + 1))));
        }

        var text = new StringWriter();
        using (var writer = new CsvWriter(text))
        {
            foreach (var value in values)
            {
                Sdk.Runtime.Records.SObjectCsv.WriteDateTime(writer, value);
            }
        }

        Assert.Equal(string.Join(',', values.Select(v => v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture))), text.ToString());
    }

    /// <summary>Every day from 0001-01-01 to 9999-12-31 (leap years, centuries, the 400-year cycle), and random times of day.</summary>
    [Fact]
    public void DatesAndTimes_WrittenAsTheFormatterWritesThem()
    {
        var days = Enumerable.Range(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber - DateOnly.MinValue.DayNumber + 1).Select(DateOnly.FromDayNumber).ToList();
        var random = new Random(3111);
        var times = new List<TimeOnly> { TimeOnly.MinValue, TimeOnly.MaxValue, new(12, 0) };
        times.AddRange(Enumerable.Range(0, 20_000).Select(_ => new TimeOnly(random.NextInt64(TimeOnly.MaxValue.Ticks))));
        var text = new StringWriter();
        using (var writer = new CsvWriter(text))
        {
            days.ForEach(day => Sdk.Runtime.Records.SObjectCsv.WriteDate(writer, day));
            writer.EndRow();
            times.ForEach(time => Sdk.Runtime.Records.SObjectCsv.WriteTime(writer, time));
            writer.EndRow();
        }

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(
            string.Join(',', days.Select(d => d.ToString("yyyy-MM-dd", invariant))) + "\n" + string.Join(',', times.Select(t => t.ToString("HH:mm:ss.fff'Z'", invariant))) + "\n",
            text.ToString());
    }
}
