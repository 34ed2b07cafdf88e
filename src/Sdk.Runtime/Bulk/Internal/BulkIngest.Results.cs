using Sdk.Runtime.Bulk.Csv;
using Sdk.Runtime.Errors;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Bulk.Internal;

/// <summary>Tying result rows back to input rows.</summary>
internal sealed partial class BulkIngest<TItem>
{
    /// <summary>Reads the three result files and ties each row to an input row; rows in none of them are unprocessed.</summary>
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
        var unmatched = new List<(List<BulkRecordResult<TItem>> Into, Func<int, BulkRecordResult<TItem>> Make)>();
        var columns = pending.Layout.Columns;

        async Task ReadAsync(string resource, int prefix, List<BulkRecordResult<TItem>> into, Func<CsvReader, int, BulkRecordResult<TItem>> make)
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
                    var hash = map is null ? 0UL : HashRow(reader, map);
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
                        into.Add(make(reader, found));
                    }
                    else
                    {
                        // Values changed on the way (should not happen): tie it to the first row left, below.
                        var copy = make(reader, 0);
                        unmatched.Add((into, i => copy with { Index = rows[i].Index, Item = rows[i].Item }));
                    }
                }
            }
        }

        await ReadAsync("successfulResults/", 2, successful, (r, i) =>
        {
            SalesforceId? id = SalesforceId.TryParse(r.GetSpan(0), null, out var parsed) ? parsed : null;
            shape.Succeeded(rows[i].Item, id);
            return new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Id = id, Created = r.GetSpan(1).Equals("true", StringComparison.OrdinalIgnoreCase) };
        }).ConfigureAwait(false);
        await ReadAsync("failedResults/", 2, failed, (r, i) => new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = BulkErrors.Parse(r.GetString(1)) }).ConfigureAwait(false);
        var reason = job.State == BulkJobState.JobComplete ? null : new SalesforceError(job.State == BulkJobState.Aborted ? "JOB_ABORTED" : "JOB_FAILED", job.ErrorMessage ?? $"The job ended {job.State}.", []);
        await ReadAsync("unprocessedrecords/", 0, unprocessed, (r, i) => new BulkRecordResult<TItem>(rows[i].Index, rows[i].Item, job.Id) { Errors = reason is null ? [] : [reason] }).ConfigureAwait(false);

        var left = Enumerable.Range(0, rows.Count).Where(i => !taken[i]).GetEnumerator();
        foreach (var (into, make) in unmatched)
        {
            if (left.MoveNext())
            {
                into.Add(make(left.Current));
            }
        }

        var missing = new SalesforceError("NOT_IN_RESULTS", $"The row is in none of job {job.Id}'s result files (the job ended {job.State}).", []);
        while (left.MoveNext())
        {
            unprocessed.Add(new BulkRecordResult<TItem>(rows[left.Current].Index, rows[left.Current].Item, job.Id) { Errors = reason is null ? [missing] : [reason] });
        }

        return new JobOutcome(job, successful, failed, unprocessed);
    }

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

    private static ulong HashRow(CsvReader reader, int[] map)
    {
        HashCode a = default, b = default;
        foreach (var f in map)
        {
            RowHasher.Add(ref a, ref b, f < reader.FieldCount ? reader.GetSpan(f) : []);
        }

        return RowHasher.Finish(ref a, ref b);
    }
}
