using System.Runtime.CompilerServices;
using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Bulk.Internal;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk;

/// <summary>Which Bulk API 2.0 resource a job belongs to.</summary>
public enum BulkJobKind
{
    /// <summary><c>jobs/ingest</c>.</summary>
    Ingest,

    /// <summary><c>jobs/query</c>.</summary>
    Query,
}

/// <summary>
/// Bulk API 2.0 (<c>client.Bulk</c>): ingest typed records or CSV in jobs that split by size and run with bounded
/// concurrency, with every input row accounted for; and queries streamed page by page into typed records or raw CSV.
/// </summary>
/// <remarks>
/// Memory: an ingest holds at most one job's CSV (up to <see cref="BulkIngestOptions.MaxUploadBytes"/>) per running job plus
/// the ones being filled (together as much; several only when records name a parent in different ways), and the input
/// items until their results are read (typed records get their ids). A query holds one
/// page's read buffer (or <see cref="BulkQueryOptions.ParallelPages"/> pages), whatever the number of rows.
/// </remarks>
public sealed class BulkClient
{
    private readonly BulkV2Api _api;

    internal BulkClient(SalesforceConnection connection) => _api = new BulkV2Api(connection);

    /// <summary>Inserts records; new ids are set on the records that succeed.</summary>
    public Task<BulkIngestResult<T>> InsertAsync<T>(IEnumerable<T> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.Insert, Async(records), null, options, cancellationToken);

    /// <summary>Inserts records streamed from an async source; new ids are set on the records that succeed.</summary>
    public Task<BulkIngestResult<T>> InsertAsync<T>(IAsyncEnumerable<T> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.Insert, records, null, options, cancellationToken);

    /// <summary>Updates records by <c>Id</c>: their changed fields.</summary>
    public Task<BulkIngestResult<T>> UpdateAsync<T>(IEnumerable<T> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.Update, Async(records), null, options, cancellationToken);

    /// <summary>Updates records streamed from an async source by <c>Id</c>.</summary>
    public Task<BulkIngestResult<T>> UpdateAsync<T>(IAsyncEnumerable<T> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.Update, records, null, options, cancellationToken);

    /// <summary>Creates or updates records matched by an external id field (or <c>Id</c>).</summary>
    public Task<BulkIngestResult<T>> UpsertAsync<T>(IEnumerable<T> records, string externalIdField, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.Upsert, Async(records), externalIdField, options, cancellationToken);

    /// <summary>Creates or updates records streamed from an async source, matched by an external id field.</summary>
    public Task<BulkIngestResult<T>> UpsertAsync<T>(IAsyncEnumerable<T> records, string externalIdField, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.Upsert, records, externalIdField, options, cancellationToken);

    /// <summary>Deletes records by <c>Id</c> (to the recycle bin).</summary>
    public Task<BulkIngestResult<T>> DeleteAsync<T>(IEnumerable<T> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.Delete, Async(records), null, options, cancellationToken);

    /// <summary>Deletes records by <c>Id</c> permanently (needs the "Bulk API Hard Delete" permission).</summary>
    public Task<BulkIngestResult<T>> HardDeleteAsync<T>(IEnumerable<T> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
        => IngestAsync(BulkOperation.HardDelete, Async(records), null, options, cancellationToken);

    /// <summary>
    /// Runs any ingest operation over typed records. Each row carries the record's changed fields that the operation may send
    /// (createable for insert, updateable for update), explicit nulls as <c>#N/A</c>, parent records as
    /// <c>Relationship.ExternalId__c</c> columns; <c>Id</c> for update and delete.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="records">The records, streamed.</param>
    /// <param name="externalIdField">The external id field (upsert only).</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the run (jobs already created keep running on the server).</param>
    /// <exception cref="BulkIngestInterruptedException{T}">Taking the records stopped with an error (the source threw, or a
    /// record was null or too large), or a job's outcome could not be read (it did not finish within
    /// <see cref="BulkIngestOptions.Timeout"/>, or polling or reading its results failed); the other jobs ran to their end,
    /// and its result accounts for every row taken.</exception>
    public Task<BulkIngestResult<T>> IngestAsync<T>(BulkOperation operation, IAsyncEnumerable<T> records, string? externalIdField = null,
        BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
    {
        ArgumentNullException.ThrowIfNull(records);
        var external = CheckExternalId(operation, externalIdField);
        if (external is not null && !external.Equals("Id", StringComparison.OrdinalIgnoreCase) && T.Metadata.FindField(external) is null)
        {
            throw new ArgumentException($"{T.SObjectName} has no field '{external}' to upsert by.", nameof(externalIdField));
        }

        var run = new BulkIngest<T>(_api, operation, T.SObjectName, external, options ?? new BulkIngestOptions(), new TypedIngestShape<T>(operation, external));
        return run.RunAsync(records, cancellationToken);
    }

    /// <summary>
    /// Ingests a CSV stream as it is (UTF-8, the header naming fields as Bulk API expects), split into jobs as needed. The
    /// results carry each row's values as uploaded.
    /// </summary>
    /// <param name="sObject">The object's API name.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="csv">The CSV, read once, streaming.</param>
    /// <param name="externalIdField">The external id field (upsert only).</param>
    /// <param name="options">Options; <see cref="BulkIngestOptions.Delimiter"/> is the input's delimiter too.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="BulkIngestInterruptedException{T}">The CSV is malformed (the <see cref="CsvFormatException"/> naming the line
    /// and record is inside), or a job's outcome could not be read; jobs already started finish first, and its result accounts
    /// for every row read before.</exception>
    public Task<BulkIngestResult<BulkCsvRow>> IngestCsvAsync(string sObject, BulkOperation operation, Stream csv, string? externalIdField = null,
        BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sObject);
        ArgumentNullException.ThrowIfNull(csv);
        var external = CheckExternalId(operation, externalIdField);
        options ??= new BulkIngestOptions();
        var run = new BulkIngest<BulkCsvRow>(_api, operation, sObject, external, options, new CsvRowShape());
        return run.RunAsync(CsvRows(csv, options.Delimiter, cancellationToken), cancellationToken);
    }

    /// <summary>Runs a SOQL query as a bulk job and streams the rows into typed records, page by page.</summary>
    /// <param name="soql">The query (no subqueries: Bulk API does not support them).</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <exception cref="BulkJobFailedException">The job failed on the server (an invalid query, for example).</exception>
    /// <exception cref="BulkJobTimeoutException">The job did not complete in time.</exception>
    public async IAsyncEnumerable<T> QueryAsync<T>(string soql, BulkQueryOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : SObject, ISObjectType<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        options ??= new BulkQueryOptions();
        var query = new BulkQuery(_api, options);
        var job = await query.RunJobAsync(soql, cancellationToken).ConfigureAwait(false);
        long rows = 0;
        var withCaller = false; // true while a record is with the caller: leaving then is the caller's choice, not an error
        var done = false;
        try
        {
            await foreach (var page in query.PagesAsync(job, cancellationToken).ConfigureAwait(false))
            {
                using (page)
                using (var reader = new CsvRecordReader<T>(page.Body, options.Delimiter, leaveOpen: true, options.ParseParallelism))
                {
                    if (!await ResultCsv.HasHeaderAsync(reader, page.Path, cancellationToken).ConfigureAwait(false))
                    {
                        continue; // a page without even a header
                    }

                    while (await ResultCsv.ReadAsync(reader, page.Path, cancellationToken).ConfigureAwait(false) is { } record)
                    {
                        rows++;
                        withCaller = true;
                        yield return record;
                        withCaller = false;
                    }
                }
            }

            done = true;
        }
        finally
        {
            if (!done && withCaller)
            {
                await query.StoppedEarlyAsync(job, rows).ConfigureAwait(false); // a job read in part is deleted too, when asked
            }
        }

        await query.FinishAsync(job, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a SOQL query as a bulk job and writes its rows as one CSV (one header) to a stream.</summary>
    /// <returns>The job and how many rows were written.</returns>
    public async Task<(BulkJobInfo Job, long Rows)> QueryCsvAsync(string soql, Stream destination, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new BulkQueryOptions();
        var query = new BulkQuery(_api, options);
        var job = await query.RunJobAsync(soql, cancellationToken).ConfigureAwait(false);
        var first = true;
        long rows = 0;
        await foreach (var page in query.PagesAsync(job, cancellationToken).ConfigureAwait(false))
        {
            using (page)
            {
                rows += await BulkQuery.CopyPageAsync(page.Body, destination, skipHeader: !first, cancellationToken).ConfigureAwait(false);
                first = false;
            }
        }

        await query.FinishAsync(job, rows, cancellationToken).ConfigureAwait(false);
        return (job, rows);
    }

    /// <summary>Gets a job's current state and counts.</summary>
    public Task<BulkJobInfo> GetJobAsync(string jobId, BulkJobKind kind = BulkJobKind.Ingest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return _api.GetJobAsync(kind == BulkJobKind.Query, jobId, cancellationToken);
    }

    /// <summary>Aborts a job: rows not yet processed stay unprocessed.</summary>
    public Task<BulkJobInfo> AbortJobAsync(string jobId, BulkJobKind kind = BulkJobKind.Ingest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return _api.SetStateAsync(kind == BulkJobKind.Query, jobId, "Aborted", cancellationToken);
    }

    /// <summary>Deletes a finished job and its data from the org.</summary>
    public Task DeleteJobAsync(string jobId, BulkJobKind kind = BulkJobKind.Ingest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return _api.DeleteJobAsync(kind == BulkJobKind.Query, jobId, cancellationToken);
    }

    /// <summary>Lists the org's jobs of a kind, following pages.</summary>
    public IAsyncEnumerable<BulkJobInfo> ListJobsAsync(BulkJobKind kind = BulkJobKind.Ingest, CancellationToken cancellationToken = default)
        => _api.ListJobsAsync(kind == BulkJobKind.Query, cancellationToken);

    internal static IAsyncEnumerable<T> QueryFromLinq<T>(SalesforceConnection connection, string soql, bool includeDeleted, BulkQueryOptions? options)
        where T : SObject, ISObjectType<T>
    {
        options ??= new BulkQueryOptions();
        if (includeDeleted)
        {
            options.IncludeDeleted = true;
        }

        return new BulkClient(connection).QueryAsync<T>(soql, options);
    }

    private static string? CheckExternalId(BulkOperation operation, string? externalIdField)
    {
        if (operation == BulkOperation.Upsert)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(externalIdField);
            return externalIdField;
        }

        return externalIdField is null ? null : throw new ArgumentException("An external id field is only for upserts.", nameof(externalIdField));
    }

#pragma warning disable CS1998 // an iterator over a synchronous source
    internal static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            yield return record;
        }
    }
#pragma warning restore CS1998

    private static async IAsyncEnumerable<BulkCsvRow> CsvRows(Stream csv, CsvDelimiter delimiter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new CsvReader(csv, delimiter, leaveOpen: true);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        var header = reader.GetRow();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.FieldCount != header.Length)
            {
                throw new CsvFormatException($"Invalid CSV at record {reader.RowNumber}: it has {reader.FieldCount} fields where the header has {header.Length}.") { Record = reader.RowNumber };
            }

            yield return new BulkCsvRow(header, reader.GetRow());
        }
    }

    /// <summary>CSV rows as read: one header for the whole input.</summary>
    private sealed class CsvRowShape : IngestShape<BulkCsvRow>
    {
        private Rows? _layout;

        public override IngestLayout<BulkCsvRow> Layout(BulkCsvRow first) => _layout ??= new Rows(first.Header);

        private sealed class Rows(IReadOnlyList<string> header) : IngestLayout<BulkCsvRow>
        {
            public override IReadOnlyList<string> Columns => header;

            public override bool Covers(BulkCsvRow item) => true;

            public override void Write(CsvWriter writer, BulkCsvRow item) => writer.WriteRow(item.Values);
        }
    }
}
