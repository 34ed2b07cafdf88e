using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>
/// Writes typed records as CSV rows with the thread pool's help, in input order. The records are taken in pieces of
/// about <see cref="DefaultPieceBytes"/> of CSV; each piece is formatted into memory on the thread pool while later records are
/// taken, and the pieces are written to the destination in order. At most <c>parallelism</c> pieces are formatted at
/// once (and held with their records), so memory does not grow with the input.
/// </summary>
/// <remarks>
/// A record is read on another thread after the enumerator handed it over, so records must be distinct objects that
/// nothing changes until the write ends. An enumerator that hands over one object again and again, changed each time,
/// is caught when it hands the same object twice in a row: that is an error (with parallelism 1 it is fine).
/// </remarks>
internal sealed class CsvParallelWriter<T> : IDisposable
    where T : SObject, ISObjectType<T>
{
    /// <summary>The CSV a piece aims at by default: its record count follows the size of the rows formatted so far.</summary>
    internal const int DefaultPieceBytes = 256 * 1024;

    private const int FirstPieceRecords = 16;
    private const int MaxPieceRecords = 4096;

    /// <summary>How many records ahead of the one being formatted have their memory fetched (see <see cref="MemoryPrefetch{T}"/>).</summary>
    private const int PrefetchAhead = 8;
    private readonly CsvWriter _destination;
    private readonly CsvRecordMap<T> _map;
    private readonly CsvFieldSelection _selection;
    private readonly int _parallelism;
    private readonly int _pieceBytes;
    private readonly Queue<(Task Format, Piece Piece)> _formatting = new();
    private readonly Stack<Piece> _free = new();
    private readonly List<Piece> _all = [];
    private int _pieceRecords;
    private Piece? _piece;
    private T? _last;
    private long _rows;

    public CsvParallelWriter(CsvWriter destination, CsvRecordMap<T> map, CsvFieldSelection selection, int parallelism, int pieceBytes)
    {
        _destination = destination;
        _map = map;
        _selection = selection;
        _parallelism = parallelism;
        _pieceBytes = pieceBytes;
        _pieceRecords = FirstPieceRecords;
    }

    /// <summary>Records and the rows formatted from them.</summary>
    private sealed class Piece(CsvWriter destination)
    {
        /// <summary>The records, each in a struct: storing into a <c>T[]</c> checks the record's type, which reads its memory on the taking thread.</summary>
        public Held[] Records { get; } = new Held[MaxPieceRecords];

        public int Count { get; set; }

        public CsvWriter Rows { get; } = destination.NewInMemory();
    }

    /// <summary>A record held in a piece.</summary>
    private struct Held
    {
        public T Record;
    }

    public Task<long> WriteAsync(IEnumerable<T> records, CancellationToken cancellationToken)
        => RunAsync(async () =>
        {
            foreach (var record in records)
            {
                if (Add(record))
                {
                    await StartAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    public Task<long> WriteAsync(IAsyncEnumerable<T> records, CancellationToken cancellationToken)
        => RunAsync(async () =>
        {
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (Add(record))
                {
                    await StartAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    /// <summary>Takes every record (<paramref name="takeAll"/>), then writes the pieces left; after an error, drops them.</summary>
    private async Task<long> RunAsync(Func<Task> takeAll, CancellationToken cancellationToken)
    {
        try
        {
            await takeAll().ConfigureAwait(false);
            await FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbandonAsync().ConfigureAwait(false);
            throw;
        }

        return _rows;
    }

    /// <summary>Takes a record into the current piece; true when the piece is full.</summary>
    private bool Add(T record)
    {
        if (record is null)
        {
            throw NullRecord(_rows);
        }

        if (ReferenceEquals(record, _last))
        {
            throw new InvalidOperationException(
                $"Records {_rows} and {_rows + 1} of the records to write are the same {T.SObjectName} object. Records are formatted on other threads after " +
                "they are handed over, so each must be its own object, unchanged until the write ends; to write an object that is reused, set Parallelism to 1.");
        }

        _last = record;
        var piece = _piece ??= Take();
        piece.Records[piece.Count++].Record = record;
        _rows++;
        return piece.Count >= _pieceRecords;
    }

    /// <summary>The error for a null record after <paramref name="before"/> others.</summary>
    internal static ArgumentException NullRecord(long before) => new($"Record {before + 1} of the records to write is null.", "records");

    /// <summary>Starts formatting the current piece, once fewer than the parallelism are: the oldest written out first.</summary>
    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (_formatting.Count >= _parallelism)
        {
            await WriteOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        var piece = _piece!;
        _piece = null;
        _formatting.Enqueue((Task.Run(() => Format(piece), cancellationToken), piece));
    }

    private void Format(Piece piece)
    {
        // Locals: this object's other fields change on the caller's thread meanwhile (a shared cache line).
        var (records, count, rows, map, selection) = (piece.Records, piece.Count, piece.Rows, _map, _selection);
        for (var i = 0; i < Math.Min(PrefetchAhead, count); i++)
        {
            MemoryPrefetch<T>.Record(records[i].Record);
        }

        for (var i = 0; i < count; i++)
        {
            if (i + PrefetchAhead < count)
            {
                MemoryPrefetch<T>.Record(records[i + PrefetchAhead].Record);
            }

            map.Write(rows, records[i].Record, selection);
        }

        Array.Clear(records, 0, count); // the records are not held past their rows
    }

    private async ValueTask WriteOldestAsync(CancellationToken cancellationToken)
    {
        var (format, piece) = _formatting.Dequeue();
        try
        {
            await format.ConfigureAwait(false);
            var rows = piece.Rows.Formatted;
            _pieceRecords = Math.Clamp(_pieceBytes / Math.Max(1, rows.Length / piece.Count), 1, MaxPieceRecords);
            await _destination.WriteFormattedAsync(rows, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            piece.Rows.ClearFormatted();
            piece.Count = 0;
            _free.Push(piece);
        }
    }

    private async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (_piece is { Count: > 0 })
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
        }

        while (_formatting.Count > 0)
        {
            await WriteOldestAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After an error: waits for the pieces being formatted (which use their buffers) and drops them.</summary>
    private async ValueTask AbandonAsync()
    {
        while (_formatting.TryDequeue(out var running))
        {
            try
            {
                await running.Format.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the first error is the one thrown; a piece's own error after it would hide it
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private Piece Take()
    {
        if (_free.TryPop(out var piece))
        {
            return piece;
        }

        piece = new Piece(_destination);
        _all.Add(piece);
        return piece;
    }

    public void Dispose()
    {
        foreach (var piece in _all)
        {
            piece.Rows.Dispose();
        }
    }
}
