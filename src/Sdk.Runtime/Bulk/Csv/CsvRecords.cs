using System.Runtime.CompilerServices;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Csv;

/// <summary>
/// Reads typed records from CSV by header name, with the generated code of <typeparamref name="T"/> (no reflection):
/// fields by API name, <c>Id</c>, parent fields such as <c>Account.Name</c> into the parent record, and any other column kept
/// in <see cref="SObject.AdditionalFields"/>. Empty fields are null. Memory does not grow with the input: it holds one
/// buffer and one row, or, when reading a stream in parallel, a few pieces of the input and their records.
/// </summary>
/// <typeparam name="T">A generated record type.</typeparam>
public sealed class CsvRecordReader<T> : IDisposable
    where T : SObject, ISObjectType<T>
{
    private readonly CsvReader? _reader;
    private readonly CsvParallelRecords<T>? _parallel;
    private CsvRecordMap<T>? _map;

    /// <summary>
    /// Reads from a UTF-8 stream (a byte order mark is skipped). With more than one processor, up to four pieces of the input
    /// are parsed on the thread pool while earlier records are taken, in order; see the other constructor.
    /// </summary>
    public CsvRecordReader(Stream stream, CsvDelimiter delimiter = CsvDelimiter.Comma, bool leaveOpen = false)
        : this(stream, delimiter, leaveOpen, Math.Min(Environment.ProcessorCount, 4))
    {
    }

    /// <summary>Reads from a UTF-8 stream (a byte order mark is skipped).</summary>
    /// <param name="stream">The CSV bytes.</param>
    /// <param name="delimiter">The column delimiter.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <param name="parallelism">
    /// How many pieces of about 32K characters are parsed ahead on the thread pool, while the caller takes the records of
    /// earlier ones in input order; 1 parses each row on the caller's thread as it is read. Memory holds at most this many
    /// pieces (and their records) more. Parsing in parallel finishes sooner but spends more processor time in all (records
    /// made on one core and read on another, more garbage collection): where cores are busy with other work, 1 may be better.
    /// </param>
    public CsvRecordReader(Stream stream, CsvDelimiter delimiter, bool leaveOpen, int parallelism)
        : this(stream, delimiter, leaveOpen, parallelism, CsvParallelRecords<T>.DefaultChunkChars)
    {
    }

    /// <summary>Reads in pieces of <paramref name="chunkChars"/> characters (tests use small ones).</summary>
    internal CsvRecordReader(Stream stream, CsvDelimiter delimiter, bool leaveOpen, int parallelism, int chunkChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        if (parallelism > 1)
        {
            _parallel = new CsvParallelRecords<T>(stream, delimiter, leaveOpen, parallelism, chunkChars);
        }
        else
        {
            _reader = new CsvReader(stream, delimiter, leaveOpen);
        }
    }

    /// <summary>Reads from text.</summary>
    public CsvRecordReader(TextReader reader, CsvDelimiter delimiter = CsvDelimiter.Comma)
        => _reader = new CsvReader(reader, delimiter);

    /// <summary>The header, once the first record was read (or <see cref="ReadHeaderAsync"/> was called).</summary>
    public IReadOnlyList<string> Header => (_parallel?.Map ?? _map)?.Header ?? [];

    /// <summary>Reads the header row (done by the first <see cref="ReadAsync"/> when not called).</summary>
    /// <exception cref="CsvFormatException">The input is empty or the header repeats a column.</exception>
    public async ValueTask<IReadOnlyList<string>> ReadHeaderAsync(CancellationToken cancellationToken = default)
        => (await TryReadHeaderAsync(cancellationToken).ConfigureAwait(false) ?? throw CsvRecordMap<T>.NoHeader()).Header;

    /// <summary>Reads the header row once; null when the input is empty (a result page without rows).</summary>
    /// <exception cref="CsvFormatException">The header repeats a column.</exception>
    internal async ValueTask<CsvRecordMap<T>?> TryReadHeaderAsync(CancellationToken cancellationToken)
    {
        if (_parallel is not null)
        {
            return await _parallel.TryReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_map is null && await _reader!.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _map = CsvRecordMap<T>.FromHeaderRow(_reader.GetRow());
        }

        return _map;
    }

    /// <summary>Reads the next record, or null at the end.</summary>
    /// <exception cref="CsvFormatException">Malformed CSV, or a value that does not fit its field (the column and record are named).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled, checked on every record (records already parsed are not returned).</exception>
    public ValueTask<T?> ReadAsync(CancellationToken cancellationToken = default)
        => cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<T?>(cancellationToken)
            : _parallel is not null ? _parallel.ReadAsync(cancellationToken)
            : _map is { } map && _reader!.TryReadBufferedRow() ? new ValueTask<T?>(map.Read(_reader)) : ReadSlowAsync(cancellationToken);

    /// <summary>The header not read yet, or a row that runs past the buffer: the asynchronous way.</summary>
    private async ValueTask<T?> ReadSlowAsync(CancellationToken cancellationToken)
    {
        var map = await TryReadHeaderAsync(cancellationToken).ConfigureAwait(false) ?? throw CsvRecordMap<T>.NoHeader();
        return await _reader!.ReadAsync(cancellationToken).ConfigureAwait(false) ? map.Read(_reader) : null;
    }

    /// <summary>Reads every record, streaming.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            yield return record;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _reader?.Dispose();
        _parallel?.Dispose();
    }
}

/// <summary>
/// Writes typed records as CSV in Bulk API's formats with the generated code of <typeparamref name="T"/> (no reflection):
/// null as <c>#N/A</c>, fields not selected as empty, parent records as <c>Relationship.Field</c> columns.
/// </summary>
/// <typeparam name="T">A generated record type.</typeparam>
public sealed class CsvRecordWriter<T> : IDisposable, IAsyncDisposable
    where T : SObject, ISObjectType<T>
{
    private readonly CsvWriter _writer;
    private readonly CsvRecordMap<T> _map;
    private readonly CsvFieldSelection _selection;

    /// <summary>Writes to a stream (UTF-8, no byte order mark) and writes the header at once.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="columns">The header: field API names, <c>Id</c>, or parent paths such as <c>Account.External_Id__c</c>.</param>
    /// <param name="selection">Which fields of each record to write (others are left empty).</param>
    /// <param name="delimiter">The column delimiter.</param>
    /// <param name="lineEnding">The line ending.</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    public CsvRecordWriter(Stream stream, IReadOnlyList<string> columns, CsvFieldSelection selection = CsvFieldSelection.Set,
        CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf, bool leaveOpen = false)
        : this(new CsvWriter(stream, delimiter, lineEnding, leaveOpen), columns, selection)
    {
    }

    /// <summary>Writes to text and writes the header at once.</summary>
    public CsvRecordWriter(TextWriter writer, IReadOnlyList<string> columns, CsvFieldSelection selection = CsvFieldSelection.Set,
        CsvDelimiter delimiter = CsvDelimiter.Comma, CsvLineEnding lineEnding = CsvLineEnding.Lf)
        : this(new CsvWriter(writer, delimiter, lineEnding), columns, selection)
    {
    }

    private CsvRecordWriter(CsvWriter writer, IReadOnlyList<string> columns, CsvFieldSelection selection)
    {
        _writer = writer;
        _map = new CsvRecordMap<T>(columns);
        _selection = selection;
        _writer.WriteRow(columns);
    }

    /// <summary>The header.</summary>
    public IReadOnlyList<string> Columns => _map.Header;

    /// <summary>The columns that hold a record's fields (what a header needs for records like it).</summary>
    /// <param name="record">A record.</param>
    /// <param name="selection">Set or changed fields.</param>
    public static IReadOnlyList<string> ColumnsOf(T record, CsvFieldSelection selection = CsvFieldSelection.Set)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CsvRecordMap<T>.ColumnsOf(record, selection, includeId: record.Id is { IsEmpty: false }, static _ => true);
    }

    /// <summary>
    /// How many pieces of records <see cref="WriteAllAsync(IEnumerable{T}, CancellationToken)"/> formats at once on the thread
    /// pool (each about 256 KB of CSV), while it takes later records and writes earlier pieces, in order. 1 formats each
    /// record on the caller's thread. By default the processor count, at most 4 (1 on one processor).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int Parallelism
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = Math.Min(Environment.ProcessorCount, 4);

    /// <summary>The CSV a piece of a parallel write aims at (tests use small ones).</summary>
    internal int PieceBytes { get; init; } = CsvParallelWriter<T>.DefaultPieceBytes;

    /// <summary>Writes one record as a row.</summary>
    public void Write(T record)
    {
        ArgumentNullException.ThrowIfNull(record);
        WriteRow(record);
    }

    /// <summary>
    /// Writes every record as a row, in order, formatting pieces of them on the thread pool (see <see cref="Parallelism"/>).
    /// Memory holds a few pieces, not the input.
    /// </summary>
    /// <param name="records">
    /// The records: each its own object, not changed until this returns (they are read on other threads). With
    /// <see cref="Parallelism"/> above 1, an enumerator that hands over the same object twice in a row is an error.
    /// </param>
    /// <param name="cancellationToken">Stops the write; rows already formatted may have been written.</param>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="ArgumentException">A record is null.</exception>
    /// <exception cref="InvalidOperationException">The same record object twice in a row, with <see cref="Parallelism"/> above 1.</exception>
    public async Task<long> WriteAllAsync(IEnumerable<T> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (Parallelism == 1)
        {
            long rows = 0;
            foreach (var record in records)
            {
                WriteOne(record, rows++, cancellationToken);
            }

            return rows;
        }

        using var parallel = new CsvParallelWriter<T>(_writer, _map, _selection, Parallelism, PieceBytes);
        return await parallel.WriteAsync(records, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="WriteAllAsync(IEnumerable{T}, CancellationToken)"/>
    public async Task<long> WriteAllAsync(IAsyncEnumerable<T> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (Parallelism == 1)
        {
            long rows = 0;
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                WriteOne(record, rows++, cancellationToken);
            }

            return rows;
        }

        using var parallel = new CsvParallelWriter<T>(_writer, _map, _selection, Parallelism, PieceBytes);
        return await parallel.WriteAsync(records, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One record of <see cref="WriteAllAsync(IEnumerable{T}, CancellationToken)"/> on the caller's thread.</summary>
    private void WriteOne(T record, long before, CancellationToken cancellationToken)
    {
        if (record is null)
        {
            throw CsvParallelWriter<T>.NullRecord(before);
        }

        if ((before & 1023) == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        WriteRow(record);
    }

    /// <summary>
    /// Writes a record's row, asking the processor first for all of the record's memory (see
    /// <see cref="MemoryPrefetch{T}"/>): the row reads fields spread over the whole record, and with many records held these
    /// reads then wait on memory at once rather than one after another.
    /// </summary>
    private void WriteRow(T record)
    {
        MemoryPrefetch<T>.Record(record);
        _map.Write(_writer, record, _selection);
    }

    /// <summary>Flushes buffered text.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _writer.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
