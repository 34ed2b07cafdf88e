using System.Globalization;
using System.Net;
using Sdk.Emulator.Data;
using Sdk.Emulator.Rest;
using Sdk.Emulator.Schema;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;

namespace Sdk.Emulator.Query;

/// <summary>The result of a query before paging: its records, or only its count for <c>SELECT COUNT()</c>.</summary>
internal sealed record QueryOutcome(List<OutRecord> Records, int TotalSize);

/// <summary>
/// Runs SOQL over the local org's records: the text is parsed by the runtime's <see cref="SoqlParser"/>, bound to the schema
/// (with Salesforce's INVALID_FIELD, INVALID_TYPE and MALFORMED_QUERY errors), then evaluated under the store's read lock.
/// </summary>
internal sealed partial class SoqlEngine(OrgStore store)
{
    private readonly OrgStore _store = store;

    private static readonly HashSet<string> AggregateFunctions = new(StringComparer.OrdinalIgnoreCase) { "COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX" };

    /// <summary>Fields every object a polymorphic relationship points to has (the "Name" object of the SOAP API).</summary>
    private static readonly string[] NameObjectFields = ["Id", "Name", "Type", "Alias", "Email", "FirstName", "LastName", "Phone", "Title", "Username", "IsActive", "UserRoleId", "ProfileId", "RecordTypeId", "LastReferencedDate", "LastViewedDate", "SmallPhotoUrl", "MediumPhotoUrl"];

    public QueryOutcome Execute(string soql, bool includeDeleted)
    {
        SoqlQuery query;
        try
        {
            query = SoqlParser.Parse(soql);
        }
        catch (SoqlParseException ex)
        {
            throw SoqlErrors.Malformed(soql, ex);
        }

        var today = DateOnly.FromDateTime(_store.Time.GetUtcNow().UtcDateTime);
        _store.Gate.EnterReadLock();
        try
        {
            var run = new Run(this, soql, includeDeleted, today);
            return run.Execute(query);
        }
        finally
        {
            _store.Gate.ExitReadLock();
        }
    }

    /// <summary>The kind of value an expression yields, for literal checks and comparisons.</summary>
    private sealed record ExprInfo(string Kind, FieldSchema? Field, string Text);

    /// <summary>A field path bound to the schema: relationship hops and the field (resolved by name when a hop is polymorphic).</summary>
    private sealed class BoundPath(string text, string[] relationships, string fieldName, FieldSchema? field, bool isType)
    {
        public string Text { get; } = text;

        public string[] Relationships { get; } = relationships;

        public string FieldName { get; } = fieldName;

        public FieldSchema? Field { get; } = field;

        public bool IsType { get; } = isType;

        public string Canonical => string.Join('.', [.. Relationships, FieldName]);

        public StoredRecord? Owner(OrgStore store, StoredRecord record, int hops)
        {
            var current = record;
            for (var i = 0; i < hops; i++)
            {
                if (current.Schema.Relationship(Relationships[i]) is not { } lookup || current[lookup] is not string id)
                {
                    return null;
                }

                current = store.Find(id);
                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }

        public object? Evaluate(OrgStore store, StoredRecord record)
        {
            var owner = Relationships.Length == 0 ? record : Owner(store, record, Relationships.Length);
            if (owner is null)
            {
                return null;
            }

            if (IsType)
            {
                return owner.Schema.Name;
            }

            var field = Relationships.Length == 0 && Field is not null ? Field : owner.Schema.Field(FieldName);
            return field switch
            {
                null => null,
                { IsCompound: true } => WireFormat.Compound(owner, field),
                _ => owner[field],
            };
        }
    }

    /// <summary>The groups of an aggregate query: the key values and the records of each.</summary>
    private sealed class GroupRow(object?[] keys, List<StoredRecord> records)
    {
        public object?[] Keys { get; } = keys;

        public List<StoredRecord> Records { get; } = records;
    }

    /// <summary>A relative date literal as a range of days.</summary>
    private sealed record DateRange(DateOnly Start, DateOnly End);

    /// <summary>One query's execution: bound against the schema as it goes, so errors name the offending token.</summary>
    private sealed partial class Run(SoqlEngine engine, string soql, bool includeDeleted, DateOnly today)
    {
        private OrgStore Store => engine._store;

        public QueryOutcome Execute(SoqlQuery query)
        {
            if (query.Joins.Count > 0)
            {
                throw SoqlErrors.Malformed(soql, "Relationship joins in FROM are not supported by the local org; use parent paths.", query.Joins[0].Path);
            }

            var root = Store.Schema.Find(query.From) ?? throw SoqlErrors.NoSuchObject(soql, query.From);
            if (query.Offset is > 2000)
            {
                throw new ApiException(HttpStatusCode.BadRequest, "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000");
            }

            var rows = Filter(root, query, query.FromAlias, includeDeleted);
            var countOnly = query.Select.Count == 1 && query.Select[0] is SoqlFunctionItem { Function: { Name: var n, Arguments.Count: 0 } } && n.Equals("COUNT", StringComparison.OrdinalIgnoreCase);
            if (countOnly)
            {
                var count = rows.Count();
                count = Math.Max(0, count - (query.Offset ?? 0));
                return new QueryOutcome([], query.Limit is { } limit ? Math.Min(count, limit) : count);
            }

            if (query.GroupBy is not null || query.Select.Any(IsAggregateItem))
            {
                var groups = Aggregate(root, query, query.FromAlias, rows);
                return new QueryOutcome(groups, groups.Count);
            }

            var records = Select(root, query, query.FromAlias, rows, out var _);
            return new QueryOutcome(records, records.Count);
        }

        private static bool IsAggregateItem(SoqlSelectItem item) => item is SoqlFunctionItem f && ContainsAggregate(f.Function);

        private static bool ContainsAggregate(SoqlExpression expression)
            => expression is SoqlFunction f && (AggregateFunctions.Contains(f.Name) || f.Arguments.Any(ContainsAggregate));

        /// <summary>The records of FROM that pass WHERE and USING SCOPE.</summary>
        private IEnumerable<StoredRecord> Filter(ObjectSchema root, SoqlQuery query, string? alias, bool deleted)
        {
            var predicate = query.Where is null ? null : CompileCondition(query.Where, root, alias);
            var mine = query.UsingScope?.Equals("Mine", StringComparison.OrdinalIgnoreCase) == true ? root.Field("OwnerId") : null;
            foreach (var record in Store.TableOf(root).Rows)
            {
                if ((record.IsDeleted && !deleted) || (mine is not null && !Equals(record[mine], Store.UserId)) || (predicate is not null && !predicate(record)))
                {
                    continue;
                }

                yield return record;
            }
        }

        private List<OutRecord> Select(ObjectSchema root, SoqlQuery query, string? alias, IEnumerable<StoredRecord> rows, out int total)
        {
            var columns = query.Select.Select(item => BindColumn(item, root, alias)).ToList();
            var ordered = Order(rows, query.OrderBy, root, alias).ToList();
            total = ordered.Count;
            IEnumerable<StoredRecord> page = ordered;
            if (query.Offset is { } offset)
            {
                page = page.Skip(offset);
            }

            if (query.Limit is { } limit)
            {
                page = page.Take(limit);
            }

            var result = new List<OutRecord>();
            foreach (var record in page)
            {
                var output = new OutRecord(record.Schema.Name, record.Id);
                foreach (var column in columns)
                {
                    column(record, output);
                }

                result.Add(output);
            }

            return result;
        }

        private IEnumerable<StoredRecord> Order(IEnumerable<StoredRecord> rows, SoqlList<SoqlOrderBy> orderBy, ObjectSchema root, string? alias)
        {
            if (orderBy.Count == 0)
            {
                return rows;
            }

            IOrderedEnumerable<StoredRecord>? ordered = null;
            foreach (var item in orderBy)
            {
                var (key, info) = CompileExpression(item.Expression, root, alias);
                if (info.Field is { Sortable: false } field)
                {
                    throw SoqlErrors.InvalidField(soql, info.Text, $"field '{field.Name}' can not be sorted in a query call");
                }

                var comparer = new NullOrderComparer(item.Descending, item.Nulls ?? (item.Descending ? SoqlNulls.Last : SoqlNulls.First));
                ordered = ordered is null ? rows.OrderBy(key, comparer) : ordered.ThenBy(key, comparer);
            }

            return ordered!;
        }

        /// <summary>Binds a path as written (an alias prefix removed) to the object, or fails as Salesforce does.</summary>
        private BoundPath BindPath(string text, ObjectSchema root, string? alias)
        {
            var segments = text.Split('.');
            if (alias is not null && segments.Length > 1 && segments[0].Equals(alias, StringComparison.OrdinalIgnoreCase))
            {
                segments = segments[1..];
            }

            ObjectSchema? current = root;
            IReadOnlyList<string> candidates = [];
            var relationships = new string[segments.Length - 1];
            for (var i = 0; i < segments.Length - 1; i++)
            {
                if (current is null)
                {
                    relationships[i] = segments[i];
                    continue;
                }

                var lookup = current.Relationship(segments[i]) ?? throw SoqlErrors.NoSuchRelationship(soql, segments[i], text);
                relationships[i] = lookup.RelationshipName!;
                if (lookup.ReferenceTo.Count == 1 && Store.Schema.Find(lookup.ReferenceTo[0]) is { } next)
                {
                    current = next;
                }
                else
                {
                    candidates = lookup.ReferenceTo;
                    current = null;
                }
            }

            var last = segments[^1];
            if (current is not null)
            {
                var field = current.Field(last) ?? throw SoqlErrors.NoSuchColumn(soql, last, current.Name);
                return new BoundPath(text, relationships, field.Name, field, false);
            }

            if (last.Equals("Type", StringComparison.OrdinalIgnoreCase))
            {
                return new BoundPath(text, relationships, "Type", null, true);
            }

            var known = candidates.Select(Store.Schema.Find).OfType<ObjectSchema>().Select(o => o.Field(last)).OfType<FieldSchema>().FirstOrDefault();
            var standard = NameObjectFields.FirstOrDefault(f => f.Equals(last, StringComparison.OrdinalIgnoreCase));
            if (known is null && standard is null)
            {
                throw SoqlErrors.NoSuchColumn(soql, last, "Name");
            }

            return new BoundPath(text, relationships, known?.Name ?? standard!, known, false);
        }

        /// <summary>An expression over a record: a field path or a date function of one.</summary>
        private (Func<StoredRecord, object?> Evaluate, ExprInfo Info) CompileExpression(SoqlExpression expression, ObjectSchema root, string? alias)
        {
            switch (expression)
            {
                case SoqlField field:
                    var path = BindPath(field.Path, root, alias);
                    var store = Store;
                    return (r => path.Evaluate(store, r), new ExprInfo(path.IsType ? "string" : Kind(path.Field), path.Field, field.Path));
                case SoqlFunction function when function.Arguments.Count == 1 && DateFunction(function.Name) is { } date:
                    var (inner, info) = CompileExpression(function.Arguments[0], root, alias);
                    if (info.Kind is not ("date" or "datetime"))
                    {
                        throw SoqlErrors.Malformed(soql, $"{function.Name} only works on date and dateTime fields", info.Text);
                    }

                    return (r => date.Apply(inner(r)), new ExprInfo(date.Kind, null, info.Text));
                case SoqlFunction { Name: var name } function when name.Equals("convertTimezone", StringComparison.OrdinalIgnoreCase) && function.Arguments.Count == 1:
                    return CompileExpression(function.Arguments[0], root, alias);
                case SoqlFunction function:
                    throw SoqlErrors.Malformed(soql, $"{function.Name} cannot be used here", function.Name);
                default:
                    throw SoqlErrors.Malformed(soql, "a field was expected");
            }
        }

        private static string Kind(FieldSchema? field) => field?.Type switch
        {
            null => "any",
            "int" or "double" or "currency" or "percent" or "long" => "number",
            "boolean" => "boolean",
            "date" => "date",
            "datetime" => "datetime",
            "time" => "time",
            "multipicklist" => "multipicklist",
            "id" or "reference" => "id",
            _ => "string",
        };

        /// <summary>A date function: its result kind and how it computes from a date or datetime.</summary>
        private sealed record DateFn(string Kind, Func<object?, object?> Apply);

        private static DateFn? DateFunction(string name)
        {
            static DateTime? Day(object? v) => v switch
            {
                DateOnly d => d.ToDateTime(TimeOnly.MinValue),
                DateTimeOffset dto => dto.UtcDateTime,
                _ => null,
            };

            static object? Int(DateTime? d, Func<DateTime, int> f) => d is { } day ? (decimal)f(day) : null;

            return name.ToUpperInvariant() switch
            {
                "CALENDAR_YEAR" or "FISCAL_YEAR" => new("number", v => Int(Day(v), d => d.Year)),
                "CALENDAR_QUARTER" or "FISCAL_QUARTER" => new("number", v => Int(Day(v), d => ((d.Month - 1) / 3) + 1)),
                "CALENDAR_MONTH" or "FISCAL_MONTH" => new("number", v => Int(Day(v), d => d.Month)),
                "DAY_IN_MONTH" => new("number", v => Int(Day(v), d => d.Day)),
                "DAY_IN_WEEK" => new("number", v => Int(Day(v), d => (int)d.DayOfWeek + 1)),
                "DAY_IN_YEAR" => new("number", v => Int(Day(v), d => d.DayOfYear)),
                "WEEK_IN_MONTH" => new("number", v => Int(Day(v), d => ((d.Day - 1) / 7) + 1)),
                "WEEK_IN_YEAR" => new("number", v => Int(Day(v), d => ((d.DayOfYear - 1) / 7) + 1)),
                "HOUR_IN_DAY" => new("number", v => Int(Day(v), d => d.Hour)),
                "DAY_ONLY" => new("date", v => Day(v) is { } d ? DateOnly.FromDateTime(d) : null),
                _ => null,
            };
        }

        /// <summary>Sorts with nulls first or last, text case-insensitively.</summary>
        private sealed class NullOrderComparer(bool descending, SoqlNulls nulls) : IComparer<object?>
        {
            public int Compare(object? x, object? y)
            {
                if (x is null || y is null)
                {
                    if (x is null && y is null)
                    {
                        return 0;
                    }

                    var nullFirst = nulls == SoqlNulls.First;
                    return x is null ? (nullFirst ? -1 : 1) : (nullFirst ? 1 : -1);
                }

                var result = Values.Compare(x, y);
                return descending ? -result : result;
            }
        }
    }

    /// <summary>Comparisons as SOQL makes them: text case-insensitively, numbers, dates, instants, booleans.</summary>
    internal static class Values
    {
        public static new bool Equals(object? a, object? b)
        {
            if (a is null || b is null)
            {
                return a is null && b is null;
            }

            return (a, b) switch
            {
                (string x, string y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase),
                (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks == y.UtcTicks,
                _ => Compare(a, b) == 0,
            };
        }

        public static int Compare(object a, object b) => (a, b) switch
        {
            (string x, string y) => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
            (decimal x, decimal y) => x.CompareTo(y),
            (DateOnly x, DateOnly y) => x.CompareTo(y),
            (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks.CompareTo(y.UtcTicks),
            (DateTimeOffset x, DateOnly y) => DateOnly.FromDateTime(x.UtcDateTime).CompareTo(y),
            (DateOnly x, DateTimeOffset y) => x.CompareTo(DateOnly.FromDateTime(y.UtcDateTime)),
            (bool x, bool y) => x.CompareTo(y),
            (TimeOnly x, TimeOnly y) => x.CompareTo(y),
            (int x, int y) => x.CompareTo(y),
            _ => string.Compare(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase),
        };

        /// <summary>An id literal in its 18-character form (so 15- and 18-character ids compare equal).</summary>
        public static string NormalizeId(string text) => SalesforceId.TryParse(text, out var id) ? id.Value : text;
    }
}
