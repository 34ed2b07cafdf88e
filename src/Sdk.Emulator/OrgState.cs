using System.Collections.Concurrent;
using System.Globalization;
using Sdk.Emulator.Auth;
using Sdk.Emulator.Data;
using Sdk.Emulator.Query;
using Sdk.Emulator.Schema;

namespace Sdk.Emulator;

/// <summary>Everything one local org holds: schema, records, tokens, query cursors, API usage.</summary>
internal sealed class OrgState
{
    public static readonly string OrganizationId = Sdk.Runtime.Records.SalesforceId.Parse("00D5e00000LOCAL").Value;
    public const string LatestVersion = "66.0";

    private long _apiUsage;
    private DateOnly _usageDay;

    public OrgState(LocalOrgOptions options, SchemaSet schema)
    {
        Options = options;
        Time = options.TimeProvider;
        Schema = schema;
        Store = new OrgStore(schema, Time);
        Engine = new SoqlEngine(Store);
        Tokens = new TokenService(OrganizationId[..15], Time, options.TokenLifetime);
        Cursors = new CursorStore(Time);
        _usageDay = Today;
    }

    public LocalOrgOptions Options { get; }

    public TimeProvider Time { get; }

    public SchemaSet Schema { get; }

    public OrgStore Store { get; }

    public SoqlEngine Engine { get; }

    public TokenService Tokens { get; }

    public CursorStore Cursors { get; }

    /// <summary>Bulk API jobs by id.</summary>
    public ConcurrentDictionary<string, Rest.BulkJob> BulkJobs { get; } = new(StringComparer.Ordinal);

    /// <summary>Bulk API 1.0 jobs by id.</summary>
    public ConcurrentDictionary<string, Rest.V1Job> BulkV1Jobs { get; } = new(StringComparer.Ordinal);

    private long _jobNumber;

    /// <summary>The next job number (job ids are made from it).</summary>
    public long NextJobNumber() => Interlocked.Increment(ref _jobNumber);

    public Uri InstanceUrl { get; set; } = new("http://127.0.0.1/");

    public string InstanceBase => InstanceUrl.GetLeftPart(UriPartial.Authority);

    private DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    /// <summary>The API versions the org serves, oldest first.</summary>
    public static IReadOnlyList<string> Versions { get; } = [.. Enumerable.Range(31, 36).Select(v => v.ToString(CultureInfo.InvariantCulture) + ".0")];

    public static bool IsVersion(string version) => Versions.Contains(version, StringComparer.Ordinal);

    /// <summary>The release name of an API version: 66.0 is Spring '26, 65.0 Winter '26, 64.0 Summer '25, …</summary>
    public static string ReleaseLabel(string version)
    {
        var v = (int)decimal.Parse(version, CultureInfo.InvariantCulture);
        var season = ((((66 - v) % 3) + 3) % 3) switch { 0 => "Spring", 1 => "Winter", _ => "Summer" };
        var year = 26 - ((66 - v + 1) / 3);
        return $"{season} '{year:D2}";
    }

    public long ApiUsage
    {
        get
        {
            lock (Cursors)
            {
                return _usageDay == Today ? _apiUsage : 0;
            }
        }
    }

    /// <summary>Counts a request against the daily limit; false when the limit is already used up.</summary>
    public bool TryConsumeApiCall(out long usage)
    {
        lock (Cursors)
        {
            if (_usageDay != Today)
            {
                _usageDay = Today;
                _apiUsage = 0;
            }

            if (_apiUsage >= Options.DailyApiLimit)
            {
                usage = _apiUsage;
                return false;
            }

            usage = ++_apiUsage;
            return true;
        }
    }
}

/// <summary>The remaining records of queries with more than one page, addressed by <c>nextRecordsUrl</c>; idle cursors expire.</summary>
internal sealed class CursorStore(TimeProvider time)
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);
    private const int MaxCursors = 2000;
    private readonly ConcurrentDictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private long _next;

    public string Add(List<OutRecord> records, int totalSize, int batchSize)
    {
        Sweep();
        var id = "01g5e" + Interlocked.Increment(ref _next).ToString("D10", CultureInfo.InvariantCulture) + "LCL";
        _cursors[id] = new Cursor(records, totalSize, batchSize) { LastUsed = time.GetUtcNow() };
        return id;
    }

    public Cursor? Get(string id)
    {
        if (!_cursors.TryGetValue(id, out var cursor) || time.GetUtcNow() - cursor.LastUsed > Idle)
        {
            return null;
        }

        cursor.LastUsed = time.GetUtcNow();
        return cursor;
    }

    public void Remove(string id) => _cursors.TryRemove(id, out _);

    public int Count => _cursors.Count;

    private void Sweep()
    {
        if (_cursors.Count < MaxCursors)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (id, cursor) in _cursors)
        {
            if (now - cursor.LastUsed > Idle)
            {
                _cursors.TryRemove(id, out _);
            }
        }

        foreach (var (id, _) in _cursors.OrderBy(c => c.Value.LastUsed).Take(Math.Max(0, _cursors.Count - MaxCursors + 1)))
        {
            _cursors.TryRemove(id, out _);
        }
    }

    internal sealed class Cursor(List<OutRecord> records, int totalSize, int batchSize)
    {
        public List<OutRecord> Records { get; } = records;

        public int TotalSize { get; } = totalSize;

        public int BatchSize { get; } = batchSize;

        public DateTimeOffset LastUsed { get; set; }
    }
}
