using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>The column delimiters Bulk API 2.0 accepts (<c>columnDelimiter</c>).</summary>
public enum CsvDelimiter
{
    /// <summary><c>,</c> (the default).</summary>
    Comma,

    /// <summary>A tab.</summary>
    Tab,

    /// <summary><c>|</c>.</summary>
    Pipe,

    /// <summary><c>;</c>.</summary>
    Semicolon,

    /// <summary><c>^</c>.</summary>
    Caret,

    /// <summary><c>`</c>.</summary>
    Backquote,
}

/// <summary>A CSV text that breaks RFC 4180, with where it broke.</summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public CsvFormatException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CsvFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CsvFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The 1-based line where the problem was found.</summary>
    public long Line { get; init; }

    /// <summary>The 1-based record (row, counting the header) where the problem was found.</summary>
    public long Record { get; init; }
}

/// <summary>
/// A streaming RFC 4180 reader: quoted fields with <c>""</c> escapes, commas and line breaks inside quotes, LF or CRLF line
/// endings, the Bulk API delimiters, UTF-8 with or without a byte order mark, NUL characters kept as they are. It holds one
/// buffer and the current row, so memory does not grow with the input. Not thread-safe.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly TextReader _reader;
    private readonly bool _ownsReader;
    private readonly bool _syncReads;
    private readonly char _delimiter;
    private readonly char[] _buffer;
    private const int MaskBlock = 32;
    private Field[] _fields = new Field[32];
    private int _maskBlock = -1;
    private uint _mask;
    private int _fieldCount;
    private char[] _row = new char[1024];
    private int _rowLength;
    private int _rowFieldStart;
    private int _position;
    private int _length;
    private bool _eof;
    private long _line = 1;

    /// <summary>Reads CSV from a stream (UTF-8; a byte order mark is skipped).</summary>
    /// <param name="stream">The CSV bytes.</param>
    /// <param name="delimiter">The column delimiter.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    public CsvReader(Stream stream, CsvDelimiter delimiter = CsvDelimiter.Comma, bool leaveOpen = false)
        : this(new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, BufferSize, leaveOpen), delimiter, ownsReader: true)
    {
        _syncReads = Csv.ReadsAtOnce(stream);
    }

    /// <summary>Reads CSV from text.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="delimiter">The column delimiter.</param>
    public CsvReader(TextReader reader, CsvDelimiter delimiter = CsvDelimiter.Comma)
        : this(reader, delimiter, ownsReader: false)
    {
        _syncReads = reader is StringReader;
    }

    private CsvReader(TextReader reader, CsvDelimiter delimiter, bool ownsReader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _ownsReader = ownsReader;
        _delimiter = Csv.DelimiterChar(delimiter);
        _buffer = new char[BufferSize];
    }

    /// <summary>
    /// Reads the rows that lie whole in <paramref name="chars"/> from <paramref name="start"/> to <paramref name="end"/>, in
    /// place (a piece of a larger input parsed on its own): only <see cref="TryReadBufferedRow"/> reads it.
    /// </summary>
    internal CsvReader(char[] chars, int start, int end, CsvDelimiter delimiter)
    {
        _reader = TextReader.Null;
        _delimiter = Csv.DelimiterChar(delimiter);
        _buffer = chars;
        _position = start;
        _length = end;
        _eof = true;
    }

    /// <summary>Where the next row starts in the buffer (of a reader over a piece of input).</summary>
    internal int BufferPosition => _position;

    /// <summary>The 1-based line the next row starts on.</summary>
    internal long Line => _line;

    /// <summary>Numbers the rows and lines to come as following <paramref name="rows"/> rows that ended before line <paramref name="line"/>.</summary>
    internal void ContinueNumbering(long rows, long line)
    {
        RowNumber = rows;
        _line = line;
    }

    /// <summary>How many fields the current row has.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>How many rows were read (the header counts).</summary>
    public long RowNumber { get; private set; }

    /// <summary>The field at <paramref name="index"/> of the current row, as characters valid until the next read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once a field of every row: the throw is kept out of line
    public ReadOnlySpan<char> GetSpan(int index)
    {
        if ((uint)index >= (uint)_fieldCount)
        {
            ThrowNoField(index);
        }

        var field = _fields[index];
        return (field.InBuffer ? _buffer : _row).AsSpan(field.Start, field.Length);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowNoField(int index) => throw new ArgumentOutOfRangeException(nameof(index), index, $"The row has {_fieldCount} fields.");

    /// <summary>The field at <paramref name="index"/> of the current row.</summary>
    public string GetString(int index) => GetSpan(index).ToString();

    /// <summary>Every field of the current row.</summary>
    public string[] GetRow()
    {
        var row = new string[_fieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = GetString(i);
        }

        return row;
    }

    /// <summary>Reads the next row; false at the end of the input. A blank last line is not a row.</summary>
    /// <exception cref="CsvFormatException">A quoted field is not closed, or text follows a closing quote.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled, checked on every row (a row already buffered is not returned).</exception>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
        => cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<bool>(cancellationToken)
            : TryReadBufferedRow() ? new ValueTask<bool>(true) : ReadSlowAsync(cancellationToken);

    /// <summary>
    /// The fast path: parses the next row when it lies whole in the buffer (almost always), without the async machinery.
    /// Returns false, having consumed nothing, when the row runs past the buffer's end or the input is exhausted.
    /// </summary>
    internal bool TryReadBufferedRow()
        => Vector256.IsHardwareAccelerated && TryReadPlainRow() || TryReadAnyBufferedRow();

    /// <summary>
    /// The fastest path: a row without quotes whose end is in the buffer, read in one pass over 32-character blocks, each
    /// compared at once for the delimiter, CR, LF and the quote; the fields are cut at the bits of that mask. False,
    /// having consumed nothing, for anything else (a quote anywhere in the row, the buffer's last block reached), which
    /// <see cref="TryReadAnyBufferedRow"/> reads.
    /// </summary>
    private bool TryReadPlainRow()
    {
        var start = _position;
        var fieldStart = start;
        var block = start & ~(MaskBlock - 1);
        if (block + MaskBlock > _length)
        {
            return false;
        }

        var mask = StopMask(block, withQuote: true) & (uint.MaxValue << (start - block));
        _fieldCount = 0;
        while (true)
        {
            while (mask != 0)
            {
                var at = block + System.Numerics.BitOperations.TrailingZeroCount(mask);
                var c = _buffer[at];
                if (c == _delimiter)
                {
                    AddField(new Field(fieldStart, at - fieldStart, InBuffer: true));
                    fieldStart = at + 1;
                }
                else if (c == '"' || (c == '\r' && at + 1 >= _length))
                {
                    return false; // quotes, or a CR whose LF may be in the next read
                }
                else
                {
                    AddField(new Field(fieldStart, at - fieldStart, InBuffer: true));
                    _position = c == '\r' && _buffer[at + 1] == '\n' ? at + 2 : at + 1;
                    _line++;
                    RowNumber++;
                    return true;
                }

                mask &= mask - 1;
            }

            block += MaskBlock;
            if (block + MaskBlock > _length)
            {
                return false;
            }

            mask = StopMask(block, withQuote: true);
        }
    }

    /// <summary>Any row whose end is in the buffer (see <see cref="TryReadBufferedRow"/>).</summary>
    private bool TryReadAnyBufferedRow()
    {
        var rowStart = _position;
        var span = _buffer.AsSpan(rowStart, _length - rowStart);
        if (span.IsEmpty)
        {
            return false;
        }

        StartRow();
        var pos = 0;
        long lines = 0;
        while (true)
        {
            if (pos >= span.Length)
            {
                return false;
            }

            if (span[pos] == '"')
            {
                pos++;
                while (true)
                {
                    var quote = span[pos..].IndexOf('"');
                    if (quote < 0 || pos + quote + 1 >= span.Length)
                    {
                        return false; // the closing quote, or what follows it, is past the buffer
                    }

                    var text = span.Slice(pos, quote);
                    lines += text.Count('\n');
                    Append(text);
                    pos += quote + 1;
                    if (span[pos] != '"')
                    {
                        break;
                    }

                    Append("\"");
                    pos++;
                }

                var after = span[pos];
                if (after == _delimiter)
                {
                    pos++;
                    EndField();
                    continue;
                }

                if (after is not ('\r' or '\n'))
                {
                    return false; // malformed: the slow path reports it with its line
                }
            }
            else
            {
                var stop = NextStop(rowStart + pos);
                if (stop < 0)
                {
                    return false;
                }

                stop -= rowStart + pos;

                // Unquoted: the field is read where it lies in the buffer, which stays as it is until the next read.
                AddField(new Field(rowStart + pos, stop, InBuffer: true));
                pos += stop;
                if (span[pos] == _delimiter)
                {
                    pos++;
                    continue;
                }

                return TryEndRow(pos, span, lines);
            }

            // A quoted field ends at a line end here: it closes the row.
            EndField();
            return TryEndRow(pos, span, lines);
        }
    }

    /// <summary>
    /// The index in the buffer of the first delimiter, CR or LF at or after <paramref name="index"/>, or -1. Thirty-two
    /// characters are compared at once into a bit mask, which the next fields of the block reuse.
    /// </summary>
    private int NextStop(int index)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            var found = _buffer.AsSpan(index, _length - index).IndexOfAny(_delimiter, '\r', '\n');
            return found < 0 ? -1 : index + found;
        }

        while (true)
        {
            var block = index & ~(MaskBlock - 1);
            if (block + MaskBlock > _length)
            {
                var tail = _buffer.AsSpan(index, _length - index).IndexOfAny(_delimiter, '\r', '\n');
                return tail < 0 ? -1 : index + tail;
            }

            if (block != _maskBlock)
            {
                _mask = StopMask(block);
                _maskBlock = block;
            }

            var bits = _mask & (uint.MaxValue << (index - block));
            if (bits != 0)
            {
                return block + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }

            index = block + MaskBlock;
        }
    }

    /// <summary>A bit for each of the 32 characters from <paramref name="block"/> that is the delimiter, CR or LF (or, <paramref name="withQuote"/>, a quote).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint StopMask(int block, bool withQuote = false)
    {
        ref var start = ref Unsafe.As<char, ushort>(ref _buffer[block]);
        var delimiter = Vector256.Create((ushort)_delimiter);
        var cr = Vector256.Create((ushort)'\r');
        var lf = Vector256.Create((ushort)'\n');
        var quote = withQuote ? Vector256.Create((ushort)'"') : lf;
        var low = Vector256.LoadUnsafe(ref start);
        var high = Vector256.LoadUnsafe(ref start, 16);
        var lowBits = (Vector256.Equals(low, delimiter) | Vector256.Equals(low, cr) | Vector256.Equals(low, lf) | Vector256.Equals(low, quote)).ExtractMostSignificantBits();
        var highBits = (Vector256.Equals(high, delimiter) | Vector256.Equals(high, cr) | Vector256.Equals(high, lf) | Vector256.Equals(high, quote)).ExtractMostSignificantBits();
        return lowBits | (highBits << 16);
    }

    /// <summary>
    /// Consumes the line end at <paramref name="pos"/> and moves past the row; false, consuming nothing, when a CR is the
    /// buffer's last character (CR LF needs to see the LF).
    /// </summary>
    private bool TryEndRow(int pos, ReadOnlySpan<char> span, long lines)
    {
        if (span[pos] == '\r')
        {
            if (pos + 1 >= span.Length)
            {
                return false;
            }

            pos += span[pos + 1] == '\n' ? 2 : 1;
        }
        else
        {
            pos++;
        }

        _position += pos;
        _line += lines + 1;
        RowNumber++;
        return true;
    }

    private async ValueTask<bool> ReadSlowAsync(CancellationToken cancellationToken)
    {
        StartRow();
        if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        RowNumber++;
        var startLine = _line;
        while (true)
        {
            // One field.
            if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
            {
                EndField();
                return true;
            }

            if (_buffer[_position] == '"')
            {
                _position++;
                await ReadQuotedAsync(startLine, cancellationToken).ConfigureAwait(false);
                if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
                {
                    EndField();
                    return true;
                }

                var after = _buffer[_position];
                if (after == _delimiter)
                {
                    _position++;
                    EndField();
                    continue;
                }

                if (after is '\r' or '\n')
                {
                    EndField();
                    await SkipLineEndAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }

                throw Error($"'{after}' follows the closing quote of field {_fieldCount + 1}; a quoted field must end at a delimiter or a line end");
            }

            // Unquoted: up to the delimiter or the line end.
            while (true)
            {
                if (_position == _length && !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    EndField();
                    return true;
                }

                var span = _buffer.AsSpan(_position, _length - _position);
                var stop = span.IndexOfAny(_delimiter, '\r', '\n');
                if (stop < 0)
                {
                    Append(span);
                    _position = _length;
                    continue;
                }

                Append(span[..stop]);
                _position += stop;
                var c = _buffer[_position];
                if (c == _delimiter)
                {
                    _position++;
                    EndField();
                    break;
                }

                EndField();
                await SkipLineEndAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    private async ValueTask ReadQuotedAsync(long startLine, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_position == _length && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw Error($"a quoted field opened on line {startLine} is never closed", startLine);
            }

            var span = _buffer.AsSpan(_position, _length - _position);
            var quote = span.IndexOf('"');
            if (quote < 0)
            {
                CountLines(span);
                Append(span);
                _position = _length;
                continue;
            }

            CountLines(span[..quote]);
            Append(span[..quote]);
            _position += quote + 1;
            if (!await EnsureAsync(cancellationToken).ConfigureAwait(false) || _buffer[_position] != '"')
            {
                return; // the closing quote
            }

            Append("\"");
            _position++;
        }
    }

    private void CountLines(ReadOnlySpan<char> text)
    {
        var lf = text.Count('\n');
        _line += lf;
    }

    private async ValueTask SkipLineEndAsync(CancellationToken cancellationToken)
    {
        if (_buffer[_position] == '\r')
        {
            _position++;
            if (await EnsureAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] == '\n')
            {
                _position++;
            }
        }
        else
        {
            _position++;
        }

        _line++;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_rowLength + text.Length > _row.Length)
        {
            Array.Resize(ref _row, Math.Max(_row.Length * 2, _rowLength + text.Length));
        }

        text.CopyTo(_row.AsSpan(_rowLength));
        _rowLength += text.Length;
    }

    private void StartRow()
    {
        _fieldCount = 0;
        _rowLength = 0;
        _rowFieldStart = 0;
    }

    /// <summary>Ends a field whose characters were appended to the row.</summary>
    private void EndField()
    {
        AddField(new Field(_rowFieldStart, _rowLength - _rowFieldStart, InBuffer: false));
        _rowFieldStart = _rowLength;
    }

    private void AddField(Field field)
    {
        if (_fieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[_fieldCount++] = field;
    }

    /// <summary>Where a field's characters are: in the row copy (quoted fields, rows read across buffer fills) or the buffer.</summary>
    private readonly record struct Field(int Start, int Length, bool InBuffer);

    private async ValueTask<bool> EnsureAsync(CancellationToken cancellationToken)
        => _position < _length || await FillAsync(cancellationToken).ConfigureAwait(false);

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            return false;
        }

        _length = await Csv.ReadAsync(_reader, _syncReads, _buffer, cancellationToken).ConfigureAwait(false);

        _position = 0;
        _maskBlock = -1; // the buffer changed: no stop mask is valid
        if (_length == 0)
        {
            _eof = true;
            return false;
        }

        return true;
    }

    private CsvFormatException Error(string what, long? line = null)
        => new($"Invalid CSV at line {line ?? _line}, record {RowNumber}: {what}.") { Line = line ?? _line, Record = RowNumber };

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsReader)
        {
            _reader.Dispose();
        }
    }
}
