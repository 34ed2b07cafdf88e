using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// spaces; quotes inside are doubled. UTF-8 without a byte order mark. Text is buffered as UTF-8: written to a stream when
/// the buffer fills and on flush or dispose, and to a <see cref="TextWriter"/> at the end of each row. Not thread-safe.
/// </summary>
public sealed class CsvWriter : IDisposable, IAsyncDisposable
{
    private const int BufferSize = 128 * 1024;
    private const int MaxAscii = 0x7F;
    private readonly Stream? _stream;
    private readonly bool _leaveOpen;
    private readonly TextWriter? _writer;
    private readonly char _delimiter;
    private readonly byte[] _newLine;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private char[] _chars = []; // the buffer decoded, for a text writer
    private int _used;
    private bool _rowStarted;
    private bool _disposed;
    private HashCode _hashA;
    private HashCode _hashB;

    /// <summary>Writes CSV to a stream as UTF-8 without a byte order mark.</summary>
    public CsvWriter(Stream stream, CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf, bool leaveOpen = false)
        : this(delimiter, lineEnding)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Writes CSV to text.</summary>
    public CsvWriter(TextWriter writer, CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf)
        : this(delimiter, lineEnding)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    private CsvWriter(CsvDelimiter delimiter, CsvLineEnding lineEnding)
    {
        _delimiter = Csv.DelimiterChar(delimiter);
        _newLine = lineEnding == CsvLineEnding.CrLf ? [(byte)'\r', (byte)'\n'] : [(byte)'\n'];
    }

    /// <summary>A writer of rows into memory only (its buffer grows), with the delimiter and line ending of <paramref name="like"/>.</summary>
    private CsvWriter(CsvWriter like)
    {
        _delimiter = like._delimiter;
        _newLine = like._newLine;
    }

    /// <summary>A writer into memory only (its buffer grows): what it wrote is taken as UTF-8 from <see cref="Formatted"/>.</summary>
    internal static CsvWriter IntoMemory(CsvDelimiter delimiter, CsvLineEnding lineEnding) => new(delimiter, lineEnding);

    /// <summary>
    /// A writer into memory with this writer's delimiter and line ending: it formats rows on another thread, whose
    /// <see cref="Formatted"/> UTF-8 this writer then takes with <see cref="WriteFormattedAsync"/>.
    /// </summary>
    internal CsvWriter NewInMemory() => new(this);

    /// <summary>Whether this writer only holds its rows (see <see cref="NewInMemory"/>).</summary>
    private bool InMemory => _stream is null && _writer is null;

    /// <summary>The UTF-8 of the whole rows written so far, for a writer into memory (valid until it writes again).</summary>
    internal ReadOnlyMemory<byte> Formatted => _buffer.AsMemory(0, _used);

    /// <summary>Empties a writer into memory, to format more rows.</summary>
    internal void ClearFormatted() => _used = 0;

    /// <summary>Writes whole rows formatted by a writer from <see cref="NewInMemory"/>, after what this writer holds.</summary>
    internal async ValueTask WriteFormattedAsync(ReadOnlyMemory<byte> rows, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_rowStarted || HashRows)
        {
            throw new InvalidOperationException("Formatted rows go between rows, without rows hashed.");
        }

        if (_writer is null && _used + rows.Length <= _buffer.Length)
        {
            rows.Span.CopyTo(_buffer.AsSpan(_used));
            _used += rows.Length;
            return;
        }

        await WriteOutAsync(cancellationToken).ConfigureAwait(false);
        if (_writer is null)
        {
            await _stream!.WriteAsync(rows, cancellationToken).ConfigureAwait(false);
            return;
        }

        var count = Decode(rows.Span);
        await _writer.WriteAsync(_chars.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one field of the current row.</summary>
    public void WriteField(ReadOnlySpan<char> value)
    {
        // The usual field: room in the buffer, no rows hashed, ASCII with nothing to quote. It is narrowed
        // straight into place after the delimiter while it is checked; anything else goes the general way.
        var buffer = _buffer;
        var used = _used;
        if (used + value.Length < buffer.Length && !HashRows)
        {
            ref var start = ref MemoryMarshal.GetArrayDataReference(buffer);
            Unsafe.Add(ref start, used) = (byte)_delimiter; // overwritten by the field when it is the row's first
            var at = used + (_rowStarted ? 1 : 0);
            if (NarrowPlain(value, ref Unsafe.Add(ref start, at), _delimiter) && !EdgeSpace(value))
            {
                _used = at + value.Length;
                _rowStarted = true;
                return;
            }
        }

        WriteFieldAnyway(value);
    }

    /// <summary>A field the general way: the buffer grown or written out, the row hashed when asked, quotes.</summary>
    private void WriteFieldAnyway(ReadOnlySpan<char> value)
    {
        var target = StartPlainField(value.Length);
        if (NarrowPlain(value, ref MemoryMarshal.GetReference(target), _delimiter) && !EdgeSpace(value))
        {
            EndField(value.Length, value);
            return;
        }

        _used -= _rowStarted ? 1 : 0; // the delimiter taken back
        if (value.ContainsAny(_delimiter, '"') || value.ContainsAny('\r', '\n') || EdgeSpace(value))
        {
            WriteQuoted(value);
        }
        else
        {
            WriteEncoded(value); // not ASCII, nothing to quote
        }
    }

    /// <summary>Whether the text starts or ends with a space (which quotes keep).</summary>
    private static bool EdgeSpace(ReadOnlySpan<char> value) => !value.IsEmpty && (value[0] == ' ' || value[^1] == ' ');

    /// <summary>
    /// Narrows <paramref name="source"/> to the bytes at <paramref name="to"/> (room for as many as it has characters) and
    /// tells whether it is ASCII without any of the characters that need quotes (the delimiter, a quote, CR, LF): one pass,
    /// eight characters at a time, or sixteen (<see cref="NarrowPlain256"/>) for a field that long. When false, what was
    /// written is to be overwritten.
    /// </summary>
    private static bool NarrowPlain(ReadOnlySpan<char> source, ref byte to, char delimiter)
    {
        var length = source.Length;
        ref var from = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(source));
        if (!Vector128.IsHardwareAccelerated || length < Vector128<ushort>.Count)
        {
            var plain = true;
            for (var i = 0; i < length; i++)
            {
                var c = Unsafe.Add(ref from, i);
                Unsafe.Add(ref to, i) = (byte)c;
                plain &= c <= MaxAscii && c != delimiter && c != '"' && c != '\r' && c != '\n';
            }

            return plain;
        }

        if (Vector256.IsHardwareAccelerated && length >= Vector256<ushort>.Count)
        {
            return NarrowPlain256(ref from, ref to, length, delimiter);
        }

        var d = Vector128.Create((ushort)delimiter);
        var q = Vector128.Create((ushort)'"');
        var cr = Vector128.Create((ushort)'\r');
        var lf = Vector128.Create((ushort)'\n');
        var high = Vector128.Create(unchecked((ushort)~MaxAscii));
        var found = Vector128<ushort>.Zero;
        var last = length - Vector128<ushort>.Count;
        for (var i = 0; ; i += Vector128<ushort>.Count)
        {
            var at = Math.Min(i, last); // the last block overlaps the one before it
            var chars = Vector128.LoadUnsafe(ref from, (nuint)at);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, at), Vector128.Narrow(chars, chars).AsUInt64().ToScalar());
            found |= Vector128.Equals(chars, d) | Vector128.Equals(chars, q) | Vector128.Equals(chars, cr) | Vector128.Equals(chars, lf) | (chars & high);
            if (i >= last)
            {
                return found == Vector128<ushort>.Zero;
            }
        }
    }

    /// <summary><see cref="NarrowPlain"/> 16 characters at a time, for fields of at least 16.</summary>
    private static bool NarrowPlain256(ref ushort from, ref byte to, int length, char delimiter)
    {
        var d = Vector256.Create((ushort)delimiter);
        var q = Vector256.Create((ushort)'"');
        var cr = Vector256.Create((ushort)'\r');
        var lf = Vector256.Create((ushort)'\n');
        var high = Vector256.Create(unchecked((ushort)~MaxAscii));
        var found = Vector256<ushort>.Zero;
        var last = length - Vector256<ushort>.Count;
        for (var i = 0; ; i += Vector256<ushort>.Count)
        {
            var at = Math.Min(i, last); // the last block overlaps the one before it
            var chars = Vector256.LoadUnsafe(ref from, (nuint)at);
            Vector256.Narrow(chars, chars).GetLower().StoreUnsafe(ref to, (nuint)at);
            found |= Vector256.Equals(chars, d) | Vector256.Equals(chars, q) | Vector256.Equals(chars, cr) | Vector256.Equals(chars, lf) | (chars & high);
            if (i >= last)
            {
                return found == Vector256<ushort>.Zero;
            }
        }
    }

    /// <summary>A field with text beyond ASCII and nothing to quote, encoded in place.</summary>
    private void WriteEncoded(ReadOnlySpan<char> value)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(value.Length) + 1);
        if (_rowStarted)
        {
            _buffer[_used++] = (byte)_delimiter;
        }

        _used += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used));
        Written(value);
    }

    private void WriteQuoted(ReadOnlySpan<char> value)
    {
        var original = value;
        Ensure(Encoding.UTF8.GetMaxByteCount(value.Length) + value.Length + 3); // a quote doubles: one byte more
        if (_rowStarted)
        {
            _buffer[_used++] = (byte)_delimiter;
        }

        _buffer[_used++] = (byte)'"';
        while (true)
        {
            var at = value.IndexOf('"');
            var piece = at < 0 ? value : value[..(at + 1)];
            _used += Encoding.UTF8.GetBytes(piece, _buffer.AsSpan(_used));
            if (at < 0)
            {
                break;
            }

            _buffer[_used++] = (byte)'"';
            value = value[(at + 1)..];
        }

        _buffer[_used++] = (byte)'"';
        Written(original);
    }

    /// <summary>Writes one field of the current row.</summary>
    public void WriteField(string? value) => WriteField(value.AsSpan());

    /// <summary>Writes the row <paramref name="from"/> has just read, then <paramref name="emptyAfter"/> empty fields, and ends it.</summary>
    internal void CopyRow(CsvReader from, int emptyAfter)
    {
        for (var f = 0; f < from.FieldCount; f++)
        {
            WriteField(from.GetSpan(f));
        }

        for (var f = 0; f < emptyAfter; f++)
        {
            WriteEmptyField();
        }

        EndRow();
    }

    /// <summary>Writes an empty field.</summary>
    internal void WriteEmptyField()
    {
        _ = StartPlainField(0);
        EndPlainField(0);
    }

    /// <summary>
    /// Starts a field whose text never needs quoting (numbers, dates, ASCII constants), for the caller to write in place as
    /// ASCII: at most <paramref name="maxLength"/> bytes into the span returned, then <see cref="EndPlainField"/>.
    /// </summary>
    internal Span<byte> StartPlainField(int maxLength)
    {
        Ensure(maxLength + 1);
        if (_rowStarted)
        {
            _buffer[_used++] = (byte)_delimiter;
        }

        return _buffer.AsSpan(_used, maxLength);
    }

    /// <summary>Ends the field started by <see cref="StartPlainField"/>, of <paramref name="length"/> ASCII bytes.</summary>
    internal void EndPlainField(int length)
    {
        if (!HashRows)
        {
            EndField(length, default);
            return;
        }

        // The row hash is of the text (as the reader sees it): widen the ASCII back.
        Span<char> text = length <= 128 ? stackalloc char[length] : new char[length];
        Ascii.ToUtf16(_buffer.AsSpan(_used, length), text, out _);
        EndField(length, text);
    }

    private void EndField(int length, ReadOnlySpan<char> value)
    {
        _used += length;
        Written(value);
    }

    /// <summary>Marks a field written, and hashes its value when rows are hashed.</summary>
    private void Written(ReadOnlySpan<char> value)
    {
        if (HashRows)
        {
            RowHasher.Add(ref _hashA, ref _hashB, value);
        }

        _rowStarted = true;
    }

    /// <summary>Ends the current row.</summary>
    public void EndRow()
    {
        Ensure(_newLine.Length);
        _newLine.CopyTo(_buffer.AsSpan(_used));
        _used += _newLine.Length;
        _rowStarted = false;
        if (HashRows)
        {
            LastRowHash = RowHasher.Finish(ref _hashA, ref _hashB);
        }

        if (_writer is not null)
        {
            WriteOut(); // text sees whole rows as they end
        }
    }

    /// <summary>Whether each row's field values are hashed (to tie Bulk API result rows back to input rows).</summary>
    internal bool HashRows { get; set; }

    /// <summary>
    /// Set when a text value written was <c>#N/A</c> itself (see <see cref="Records.SObjectCsv.WriteString"/>), which Bulk API
    /// reads as null: a bulk ingest does not send such a row. Cleared by the reader of it.
    /// </summary>
    internal bool NullTextWritten { get; set; }

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

    /// <summary>Room for <paramref name="count"/> more bytes: the buffer written out when full, grown for a longer field.</summary>
    private void Ensure(int count)
    {
        if (_used + count <= _buffer.Length)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (InMemory)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_used + count, 2 * _buffer.Length));
            _buffer.AsSpan(0, _used).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
            return;
        }

        WriteOut();
        if (count > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(count);
        }
    }

    /// <summary>Hands the buffered text to the stream, or decoded to the text writer (the buffer always ends between fields).</summary>
    private void WriteOut()
    {
        if (_writer is not null)
        {
            var count = Decode(_buffer.AsSpan(0, _used)); // before reading _chars, which it may replace
            _writer.Write(_chars, 0, count);
        }
        else
        {
            _stream!.Write(_buffer, 0, _used);
        }

        _used = 0;
    }

    private async ValueTask WriteOutAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            var count = Decode(_buffer.AsSpan(0, _used));
            await _writer.WriteAsync(_chars.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _stream!.WriteAsync(_buffer.AsMemory(0, _used), cancellationToken).ConfigureAwait(false);
        }

        _used = 0;
    }

    /// <summary>UTF-8 (the buffer's, or rows formatted elsewhere) as characters in <see cref="_chars"/>; returns their count.</summary>
    private int Decode(ReadOnlySpan<byte> utf8)
    {
        if (_chars.Length < utf8.Length)
        {
            ReturnChars();
            _chars = ArrayPool<char>.Shared.Rent(utf8.Length);
        }

        return Encoding.UTF8.GetChars(utf8, _chars);
    }

    private void ReturnBuffers()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        ReturnChars();
    }

    private void ReturnChars()
    {
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }
    }

    /// <summary>Writes what is buffered to the stream or text writer, and flushes that.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await WriteOutAsync(cancellationToken).ConfigureAwait(false);
        await (_writer is not null ? _writer.FlushAsync(cancellationToken) : _stream!.FlushAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (InMemory)
            {
                return;
            }

            WriteOut();
            if (_writer is not null)
            {
                _writer.Flush();
            }
            else if (_leaveOpen)
            {
                _stream!.Flush();
            }
        }
        finally
        {
            ReturnBuffers();
            if (_stream is not null && !_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await WriteOutAsync(CancellationToken.None).ConfigureAwait(false);
            if (_writer is not null)
            {
                await _writer.FlushAsync().ConfigureAwait(false);
            }
            else if (_leaveOpen)
            {
                await _stream!.FlushAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            ReturnBuffers();
            if (_stream is not null && !_leaveOpen)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
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

    /// <summary>The hash of the row just read: its fields at <paramref name="columns"/> (empty past its end), or all of them.</summary>
    public static ulong Of(CsvReader reader, int[]? columns = null)
    {
        HashCode a = default, b = default;
        var count = columns?.Length ?? reader.FieldCount;
        for (var i = 0; i < count; i++)
        {
            var f = columns is null ? i : columns[i];
            Add(ref a, ref b, f < reader.FieldCount ? reader.GetSpan(f) : []);
        }

        return Finish(ref a, ref b);
    }
}

/// <summary>What the reader and writer share.</summary>
internal static class Csv
{
    /// <summary>
    /// Whether a stream answers reads at once: a file opened for synchronous I/O answers ReadAsync with a synchronous read
    /// on a pool thread, and memory answers at once, so reading such a source directly saves a thread switch for every
    /// buffer. Not pipes or sockets, which block.
    /// </summary>
    public static bool ReadsAtOnce(Stream stream) => stream is FileStream { IsAsync: false, CanSeek: true } or MemoryStream or UnmanagedMemoryStream;

    /// <summary>Reads text into <paramref name="buffer"/>: directly when the source answers at once, else asynchronously.</summary>
    public static ValueTask<int> ReadAsync(TextReader reader, bool atOnce, Memory<char> buffer, CancellationToken cancellationToken)
    {
        if (!atOnce)
        {
            return reader.ReadAsync(buffer, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(reader.Read(buffer.Span));
    }

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
