using System.Buffers;
using System.Text;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>The line ending of CSV written for Bulk API (<c>lineEnding</c>, <c>Sforce-Line-Ending</c>).</summary>
public enum CsvLineEnding
{
    /// <summary><c>\n</c> (the Bulk API default).</summary>
    Lf,

    /// <summary><c>\r\n</c>.</summary>
    CrLf,
}

/// <summary>
/// An RFC 4180 writer: a field is quoted when it holds the delimiter, a quote, a line break, or leading or trailing
/// spaces; quotes inside are doubled. UTF-8 without a byte order mark. Not thread-safe.
/// </summary>
public sealed class CsvWriter : IDisposable, IAsyncDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly char _delimiter;
    private readonly string _newLine;
    private readonly SearchValues<char> _special;
    private bool _rowStarted;
    private HashCode _hashA;
    private HashCode _hashB;

    /// <summary>Writes CSV to a stream as UTF-8 without a byte order mark.</summary>
    public CsvWriter(Stream stream, CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf, bool leaveOpen = false)
        : this(new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen), delimiter, lineEnding, ownsWriter: true)
    {
    }

    /// <summary>Writes CSV to text.</summary>
    public CsvWriter(TextWriter writer, CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf)
        : this(writer, delimiter, lineEnding, ownsWriter: false)
    {
    }

    private CsvWriter(TextWriter writer, CsvDelimiter delimiter, CsvLineEnding lineEnding, bool ownsWriter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
        _delimiter = Csv.DelimiterChar(delimiter);
        _newLine = lineEnding == CsvLineEnding.CrLf ? "\r\n" : "\n";
        _special = SearchValues.Create([_delimiter, '"', '\r', '\n']);
    }

    /// <summary>Writes one field of the current row.</summary>
    public void WriteField(ReadOnlySpan<char> value)
    {
        if (_rowStarted)
        {
            _writer.Write(_delimiter);
        }

        if (CountBytes)
        {
            BytesWritten += (_rowStarted ? 1 : 0) + (Ascii.IsValid(value) ? value.Length : Encoding.UTF8.GetByteCount(value));
        }

        _rowStarted = true;
        if (HashRows)
        {
            RowHasher.Add(ref _hashA, ref _hashB, value);
        }

        var quote = value.IndexOfAny(_special) >= 0 || (value.Length > 0 && (value[0] == ' ' || value[^1] == ' '));
        if (!quote)
        {
            _writer.Write(value);
            return;
        }

        if (CountBytes)
        {
            BytesWritten += 2 + value.Count('"');
        }

        _writer.Write('"');
        while (true)
        {
            var at = value.IndexOf('"');
            if (at < 0)
            {
                _writer.Write(value);
                break;
            }

            _writer.Write(value[..(at + 1)]);
            _writer.Write('"');
            value = value[(at + 1)..];
        }

        _writer.Write('"');
    }

    /// <summary>Writes one field of the current row.</summary>
    public void WriteField(string? value) => WriteField(value.AsSpan());

    /// <summary>Ends the current row.</summary>
    public void EndRow()
    {
        _writer.Write(_newLine);
        if (CountBytes)
        {
            BytesWritten += _newLine.Length;
        }

        _rowStarted = false;
        if (HashRows)
        {
            LastRowHash = RowHasher.Finish(ref _hashA, ref _hashB);
        }
    }

    /// <summary>How many UTF-8 bytes were written, when <see cref="CountBytes"/> is on: what upload limits are checked against.</summary>
    internal long BytesWritten { get; private set; }

    /// <summary>Whether <see cref="BytesWritten"/> is kept (bulk uploads; off for plain writing).</summary>
    internal bool CountBytes { get; set; }

    /// <summary>Whether each row's field values are hashed (to tie Bulk API result rows back to input rows).</summary>
    internal bool HashRows { get; set; }

    /// <summary>The hash of the last row's field values, when <see cref="HashRows"/> is on.</summary>
    internal ulong LastRowHash { get; private set; }

    /// <summary>Writes a whole row.</summary>
    public void WriteRow(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            WriteField(field);
        }

        EndRow();
    }

    /// <summary>Flushes what was written to the underlying writer.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _writer.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
        else
        {
            _writer.Flush();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsWriter)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A 64-bit hash of a row's field values, the same whether computed while writing or from parsed fields.</summary>
internal static class RowHasher
{
    public static void Add(ref HashCode a, ref HashCode b, ReadOnlySpan<char> field)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(field);
        a.AddBytes(bytes);
        a.Add(field.Length);
        b.Add(field.Length ^ 0x5bd1e995);
        b.AddBytes(bytes);
    }

    public static ulong Finish(ref HashCode a, ref HashCode b)
    {
        var hash = ((ulong)(uint)a.ToHashCode() << 32) | (uint)b.ToHashCode();
        a = default;
        b = default;
        return hash;
    }
}

/// <summary>What the reader and writer share.</summary>
internal static class Csv
{
    public static char DelimiterChar(CsvDelimiter delimiter) => delimiter switch
    {
        CsvDelimiter.Comma => ',',
        CsvDelimiter.Tab => '\t',
        CsvDelimiter.Pipe => '|',
        CsvDelimiter.Semicolon => ';',
        CsvDelimiter.Caret => '^',
        CsvDelimiter.Backquote => '`',
        _ => throw new ArgumentOutOfRangeException(nameof(delimiter), delimiter, "Not a delimiter Bulk API accepts."),
    };
}
