using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>
/// Typed records read from a CSV stream with the thread pool's help, in input order. One task reads and decodes the
/// stream into pieces of about <c>chunkChars</c> characters, each cut after a line break outside quotes (counted from the
/// piece's start, which is a row start); each piece is parsed into records on the thread pool while the caller takes the
/// records of earlier ones. At most <c>parallelism</c> + 1 pieces are held, so memory does not grow with the input.
/// </summary>
/// <remarks>
/// A cut is checked, not trusted: the records of a piece count only when the piece before it was parsed to its very end.
/// Anything else — a quote inside an unquoted field that threw the count off, a value that does not fit its field, a
/// malformed row, the last row without a line break, a row longer than any piece — hands the rest of the input, from the
/// first row not yet taken, to the sequential reader, which reads it (and reports any error) exactly as it would have
/// read the whole input, with the same line and record numbers.
/// </remarks>
internal sealed class CsvParallelRecords<T> : IDisposable
    where T : SObject, ISObjectType<T>
{
    /// <summary>The characters of input a piece holds, by default.</summary>
    internal const int DefaultChunkChars = 32 * 1024;

    /// <summary>How many times its size a piece grows while no cut is found (a huge quoted field) before the rest is read sequentially.</summary>
    private const int MaxGrowth = 64;

    private readonly Channel<Chunk> _chunks;
    private readonly System.Collections.Concurrent.ConcurrentBag<CsvStringPool[]> _pools = []; // one set a parse running at once
    private readonly System.Collections.Concurrent.ConcurrentQueue<T[]> _recordArrays = new(); // batches' arrays, emptied once taken
    private readonly CancellationTokenSource _stop = new();
    private readonly CsvDelimiter _delimiter;
    private readonly int _chunkChars;
    private volatile bool _sequential;
    private volatile CsvRecordMap<T>? _mapForWorkers;
    private Chunk? _chunk;
    private Batch? _batch;
    private int _next;
    private CsvReader? _live;
    private long _rows;
    private long _line = 1;
    private bool _disposed;

    public CsvParallelRecords(Stream stream, CsvDelimiter delimiter, bool leaveOpen, int parallelism, int chunkChars = DefaultChunkChars)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _ = Csv.DelimiterChar(delimiter); // validated here, not on the reading task
        _delimiter = delimiter;
        _chunkChars = chunkChars;
        _chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(parallelism) { SingleReader = true, SingleWriter = true });
        var atOnce = Csv.ReadsAtOnce(stream);
#pragma warning disable CA2000 // the reading task owns the text reader and disposes it when it ends
        var text = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 64 * 1024, leaveOpen);
#pragma warning restore CA2000
        _ = Task.Run(() => ProduceAsync(text, atOnce));
    }

    /// <summary>The map of the header, once read.</summary>
    public CsvRecordMap<T>? Map { get; private set; }

    /// <summary>A piece of the input: its characters, and whether it ends at a row end (a cut) with its parse under way.</summary>
    private sealed record Chunk(char[] Chars, int Length, bool Cut, Task<Batch>? Parse);

    /// <summary>The records of a piece, up to <see cref="Consumed"/> characters: all of them when the piece ended at a row end.</summary>
    private sealed record Batch(T[] Records, int Count, int Consumed, long Lines);

    private async Task ProduceAsync(StreamReader text, bool atOnce)
    {
        var token = _stop.Token;
        var buffer = ArrayPool<char>.Shared.Rent(_chunkChars);
        var length = 0;
        try
        {
            var end = false;
            while (!end)
            {
                // Fill the piece (after what the last one left) to its size, or to the end of the input.
                var target = Math.Min(buffer.Length, length + _chunkChars);
                while (length < target && !end)
                {
                    var read = await Csv.ReadAsync(text, atOnce, buffer.AsMemory(length, target - length), token).ConfigureAwait(false);
                    length += read;
                    end = read == 0;
                }

                if (length == 0)
                {
                    break;
                }

                // Sequential reading takes any piece as it is; else a piece ends at its last row end, and the input's end
                // is one (the sequential reader takes a last row without a line break).
                var cut = end || _sequential ? length : LastRowEnd(buffer.AsSpan(0, length));
                var isCut = !_sequential;
                if (cut == 0)
                {
                    if (length < _chunkChars * MaxGrowth)
                    {
                        Grow(ref buffer, length + _chunkChars); // no row ends in it yet: read on into a larger piece
                        continue;
                    }

                    cut = length; // a row longer than any piece: the rest is read sequentially
                    isCut = false;
                    _sequential = true;
                }

                var next = ArrayPool<char>.Shared.Rent(Math.Max(_chunkChars, length - cut + _chunkChars));
                buffer.AsSpan(cut, length - cut).CopyTo(next);
                var chunk = buffer;
                var chunkLength = cut;
                var parse = isCut && _mapForWorkers is { } map ? Task.Run(() => Parse(chunk, 0, chunkLength, map), CancellationToken.None) : null;
                buffer = next; // the piece is the channel's now (and its parse's): not returned to the pool below
                length -= cut;
                await _chunks.Writer.WriteAsync(new Chunk(chunk, chunkLength, isCut, parse), token).ConfigureAwait(false);
            }

            _chunks.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _chunks.Writer.TryComplete(token.IsCancellationRequested ? null : ex);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
            text.Dispose();
        }
    }

    private static void Grow(ref char[] buffer, int size)
    {
        var larger = ArrayPool<char>.Shared.Rent(size);
        buffer.AsSpan().CopyTo(larger);
        ArrayPool<char>.Shared.Return(buffer);
        buffer = larger;
    }

    /// <summary>
    /// Where the last row of a piece ends: after its last line break with an even count of quotes before it (a quoted field's
    /// quotes come in pairs, doubled ones too), or 0 when there is none.
    /// </summary>
    private static int LastRowEnd(ReadOnlySpan<char> text)
    {
        var quotes = text.Count('"');
        var end = text.Length;
        while (true)
        {
            var lf = text[..end].LastIndexOf('\n');
            if (lf < 0)
            {
                return 0;
            }

            quotes -= text[(lf + 1)..end].Count('"');
            if (quotes % 2 == 0)
            {
                return lf + 1;
            }

            end = lf;
        }
    }

    /// <summary>Parses the rows of a piece into records, up to the first that is incomplete or does not read (on the thread pool).</summary>
    private Batch Parse(char[] chars, int start, int length, CsvRecordMap<T> map)
    {
        using var reader = new CsvReader(chars, start, length, _delimiter);
        var pools = _pools.TryTake(out var idle) ? idle : map.NewPools();
        var records = _recordArrays.TryDequeue(out var free) ? free : new T[Math.Max(16, (length - start) / 64)];
        var count = 0;
        try
        {
            while (true)
            {
                var rowStart = reader.BufferPosition;
                var line = reader.Line;
                if (!reader.TryReadBufferedRow())
                {
                    return new Batch(records, count, rowStart, line - 1);
                }

                T record;
                try
                {
                    record = map.Read(reader, pools);
                }
                catch (FormatException)
                {
                    return new Batch(records, count, rowStart, line - 1); // read again in order, where it throws with its numbers
                }

                if (count == records.Length)
                {
                    Array.Resize(ref records, count * 2);
                }

                records[count++] = record;
            }
        }
        finally
        {
            _pools.Add(pools);
        }
    }

    /// <summary>Reads the header (once); null when the input is empty.</summary>
    /// <exception cref="CsvFormatException">The header repeats a column.</exception>
    public async ValueTask<CsvRecordMap<T>?> TryReadHeaderAsync(CancellationToken cancellationToken)
    {
        while (Map is null)
        {
            if (_live is not null)
            {
                if (!await _live.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                SetMap(_live.GetRow());
                break;
            }

            if (!await NextChunkAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (_live is null)
            {
                // The first piece ends at a row end: its first row is the header, the rest is parsed here.
                var chunk = _chunk!;
                using var reader = new CsvReader(chunk.Chars, 0, chunk.Length, _delimiter);
                if (!reader.TryReadBufferedRow())
                {
                    StartSequential(chunk, 0);
                    continue;
                }

                SetMap(reader.GetRow());
                _rows = 1;
                _line = reader.Line;
                _batch = Parse(chunk.Chars, reader.BufferPosition, chunk.Length, Map!);
            }
        }

        return Map;
    }

    private void SetMap(string[] header) => _mapForWorkers = Map = CsvRecordMap<T>.FromHeaderRow(header);

    /// <summary>The next record, or null at the end.</summary>
    public ValueTask<T?> ReadAsync(CancellationToken cancellationToken)
        => _batch is { } batch && _next < batch.Count ? new ValueTask<T?>(batch.Records[_next++]) : ReadSlowAsync(cancellationToken);

    private async ValueTask<T?> ReadSlowAsync(CancellationToken cancellationToken)
    {
        var map = Map ?? await TryReadHeaderAsync(cancellationToken).ConfigureAwait(false) ?? throw CsvRecordMap<T>.NoHeader();
        while (true)
        {
            if (_live is not null)
            {
                return await _live.ReadAsync(cancellationToken).ConfigureAwait(false) ? map.Read(_live) : null;
            }

            if (_batch is { } batch)
            {
                if (_next < batch.Count)
                {
                    return batch.Records[_next++];
                }

                _rows += batch.Count;
                _line += batch.Lines;
                _batch = null;
                Array.Clear(batch.Records, 0, batch.Count); // the records are the caller's now: not held here
                _recordArrays.Enqueue(batch.Records);
                if (batch.Consumed < _chunk!.Length)
                {
                    StartSequential(_chunk, batch.Consumed);
                    continue;
                }
            }

            if (!await NextChunkAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (_live is null)
            {
                _batch = _chunk!.Parse is { } parse ? await parse.WaitAsync(cancellationToken).ConfigureAwait(false) : Parse(_chunk.Chars, 0, _chunk.Length, map);
                _next = 0;
            }
        }
    }

    /// <summary>
    /// Moves to the next piece (releasing the current one); a piece that does not end at a row end starts sequential
    /// reading. False at the end of the input.
    /// </summary>
    private async ValueTask<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        Release(_chunk);
        _chunk = null;
        _next = 0;
        if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_chunks.Reader.TryRead(out var chunk))
        {
            return false;
        }

        _chunk = chunk;
        if (!chunk.Cut)
        {
            StartSequential(chunk, 0);
        }

        return true;
    }

    /// <summary>Reads the rest of the input in order, from <paramref name="position"/> of <paramref name="chunk"/> on.</summary>
    private void StartSequential(Chunk chunk, int position)
    {
        _sequential = true; // the reading task stops starting parses
        _chunk = null;
        _batch = null;
        _live = new CsvReader(new Feed(this, chunk, position), _delimiter);
        _live.ContinueNumbering(_rows, _line);
    }

    /// <summary>Returns a piece's characters to the pool once nothing reads them (its parse may still run after a switch).</summary>
    private static void Release(Chunk? chunk)
    {
        if (chunk is null)
        {
            return;
        }

        if (chunk.Parse is { IsCompleted: false } parse)
        {
            _ = parse.ContinueWith(_ => ArrayPool<char>.Shared.Return(chunk.Chars), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        else
        {
            ArrayPool<char>.Shared.Return(chunk.Chars);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _live?.Dispose();
        Release(_chunk);
        _chunk = null;
        while (_chunks.Reader.TryRead(out var chunk))
        {
            Release(chunk);
        }

        _stop.Dispose();
    }

    /// <summary>The rest of the input as text for the sequential reader: the rest of one piece, then each following piece.</summary>
    private sealed class Feed(CsvParallelRecords<T> owner, Chunk chunk, int position) : TextReader
    {
        private Chunk? _chunk = chunk;
        private int _position = position;

        public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            while (_chunk is { } current && _position == current.Length)
            {
                Release(current);
                _chunk = await owner._chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && owner._chunks.Reader.TryRead(out var next) ? next : null;
                _position = 0;
            }

            if (_chunk is not { } chunk)
            {
                return 0;
            }

            var count = Math.Min(buffer.Length, chunk.Length - _position);
            chunk.Chars.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        protected override void Dispose(bool disposing)
        {
            Release(_chunk);
            _chunk = null;
            base.Dispose(disposing);
        }
    }
}
