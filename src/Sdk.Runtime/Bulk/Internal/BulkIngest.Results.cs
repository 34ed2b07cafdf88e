using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>Tying result rows back to input rows.</summary>
internal sealed partial class BulkIngest<TItem>
{
    /// <summary>
    /// Reads the three result files and ties each row to an input row; rows in none of them are unprocessed. When a file
    /// cannot be read, the rows tied so far keep their outcome, and the others' is unknown (the outcome's fault says why).
    /// </summary>
    private async Task<JobOutcome> ResultsAsync(PendingJob pending, BulkJobInfo job, CancellationToken cancellationToken)
    {
        var rows = pending.Rows;
        var heads = new Dictionary<ulong, int>(rows.Count);
        var next = new int[rows.Count];
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            next[i] = heads.TryGetValue(rows[i].Hash, out var head) ? head : -1;
            heads[rows[i].Hash] = i;
        }

        var taken = new bool[rows.Count];
        var successful = new List<BulkRecordResult<TItem>>();
        var failed = new List<BulkRecordResult<TItem>>();
        var unprocessed = new List<BulkRecordResult<TItem>>();
        var unmatched = new List<(List<BulkRecordResult<TItem>> Into, Echo Echo, Func<Echo, int, BulkRecordResult<TItem>> Make)>();
        var columns = pending.Layout.Columns;

        // Reads one result file: each row's own columns (read) are tied to the input row its values hash to (make).
        async Task ReadAsync(string resource, int prefix, List<BulkRecordResult<TItem>> into, Func<CsvReader, Echo> read, Func<Echo, int, BulkRecordResult<TItem>> make)
        {
            var uri = await api.JobUriAsync(false, job.Id, "/" + resource, cancellationToken).ConfigureAwait(false);
            var (response, body, _) = await api.OpenResultAsync(uri, cancellationToken).ConfigureAwait(false);
            using (response)
            using (var reader = new CsvReader(body, options.Delimiter))
            {
                if (!await ResultCsv.ReadAsync(reader, uri.AbsolutePath, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var map = ColumnMap(reader, prefix, columns);
                while (await ResultCsv.ReadAsync(reader, uri.AbsolutePath, cancellationToken).ConfigureAwait(false))
                {
                    var hash = map is null ? 0UL : RowHasher.Of(reader, map);
                    var found = map is not null && heads.TryGetValue(hash, out var i) ? i : -1;
                    if (found >= 0)
                    {
                        if (next[found] >= 0)
                        {
                            heads[hash] = next[found];
                        }
                        else
                        {
                            heads.Remove(hash);
                        }

                        taken[found] = true;
                        into.Add(make(read(reader), found));
                    }
                    else
                    {
                        unmatched.Add((into, read(reader), make)); // values changed on the way back (should not happen): below
                    }
                }
            }
        }

        var reason = job.State == BulkJobState.JobComplete ? null : new SalesforceError(job.State == BulkJobState.Aborted ? "JOB_ABORTED" : "JOB_FAILED", job.ErrorMessage ?? $"The job ended {job.State}.", []);
        try
        {
            await ReadAsync("successfulResults/", 2, successful,
                r => new Echo(SalesforceId.TryParse(r.GetSpan(0), null, out var id) ? id : null, r.GetSpan(1).Equals("true", StringComparison.OrdinalIgnoreCase), null),
                (echo, i) =>
                {
                    shape.Succeeded(rows[i].Item, echo.Id);
                    return new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Id = echo.Id, Created = echo.Created };
                }).ConfigureAwait(false);
            await ReadAsync("failedResults/", 2, failed, r => new Echo(null, false, r.GetString(1)),
                (echo, i) => new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = BulkErrors.Parse(echo.Error!) }).ConfigureAwait(false);
            await ReadAsync("unprocessedrecords/", 0, unprocessed, _ => default,
                (_, i) => new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = reason is null ? [] : [reason] }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
        {
            // What was read stands (a result row says what happened to its row); the rows not reached have an unknown outcome.
            // When every row was reached before the file that failed, nothing is missing: the outcome is whole.
            if (Array.IndexOf(taken, false) >= 0)
            {
                var unknown = UnknownError(job, ex);
                unprocessed.AddRange(Enumerable.Range(0, rows.Count).Where(i => !taken[i]).Select(i => new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = [unknown] }));
                return new JobOutcome(job, successful, failed, unprocessed) { Fault = ex };
            }
        }

        var left = Enumerable.Range(0, rows.Count).Where(i => !taken[i]).ToList();
        if (unmatched.Count == 1 && left.Count == 1)
        {
            // The only result row that matches nothing, and the only row left: they are the same row.
            var (into, echo, make) = unmatched[0];
            into.Add(make(echo, left[0]));
            left.Clear();
        }

        // Rows left are in no result file; or, when result rows match no input row (more than one), possibly among those,
        // which cannot be told apart: their outcome is unknown, and no id is guessed onto them.
        var missing = unmatched.Count == 0
            ? new SalesforceError("NOT_IN_RESULTS", $"The row is in none of job {job.Id}'s result files (the job ended {job.State}).", [])
            : new SalesforceError("NOT_MATCHED", $"Job {job.Id}'s result files hold {unmatched.Count:N0} rows whose values match no row sent (they changed on the way back); " +
                "this row may be one of them, so it may have been processed: check before sending it again." +
                (unmatched.Any(u => u.Echo.Id is not null) ? $" Records they name: {string.Join(", ", unmatched.Where(u => u.Echo.Id is not null).Take(10).Select(u => u.Echo.Id!.Value.Value))}." : string.Empty), []);
        foreach (var i in left)
        {
            unprocessed.Add(new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = reason is null || unmatched.Count > 0 ? [missing] : [reason] });
        }

        return new JobOutcome(job, successful, failed, unprocessed);
    }

    /// <summary>What a result row says of its row besides the values it echoes: the record's id and whether it was created, or the error.</summary>
    private readonly record struct Echo(SalesforceId? Id, bool Created, string? Error);

    /// <summary>For each uploaded column, its position in a result file; null when a column is missing.</summary>
    private static int[]? ColumnMap(CsvReader header, int prefix, IReadOnlyList<string> columns)
    {
        var map = new int[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            map[c] = -1;
            for (var f = prefix; f < header.FieldCount; f++)
            {
                if (header.GetSpan(f).Equals(columns[c], StringComparison.OrdinalIgnoreCase))
                {
                    map[c] = f;
                    break;
                }
            }

            if (map[c] < 0)
            {
                return null;
            }
        }

        return map;
    }
}
