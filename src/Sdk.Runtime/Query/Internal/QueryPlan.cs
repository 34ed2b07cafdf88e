using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Sdk.Runtime.Internal;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;
using Sdk.Runtime.Soql.Internal;

namespace Sdk.Runtime.Query.Internal;

/// <summary>What a LINQ query returns.</summary>
internal enum ResultKind
{
    Sequence,
    First,
    FirstOrDefault,
    Single,
    SingleOrDefault,
    Count,
    LongCount,
    Any,
}

/// <summary>A Take (LIMIT) or Skip (OFFSET), with its count in a slot or fixed.</summary>
internal readonly record struct RowOp(bool Skip, int Slot, int Constant)
{
    public int Count(object?[] values) => Slot < 0 ? Constant : Convert.ToInt32(values[Slot], CultureInfo.InvariantCulture);
}

/// <summary>
/// SOQL text with holes: the literal parts of a cached translation and, between them, the slots whose values are written
/// at each execution.
/// </summary>
internal sealed class SoqlTemplate
{
    private readonly string[] _literals;
    private readonly (int Slot, ParameterFormat Format)[] _holes;

    private SoqlTemplate(string[] literals, (int, ParameterFormat)[] holes)
    {
        _literals = literals;
        _holes = holes;
    }

    public static SoqlTemplate Create(string text)
    {
        var literals = new List<string>();
        var holes = new List<(int, ParameterFormat)>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < SoqlParameter.MarkerBase || c > SoqlParameter.MarkerBase + (int)ParameterFormat.IncludesList || i + 1 >= text.Length)
            {
                current.Append(c);
                continue;
            }

            var format = (ParameterFormat)(c - SoqlParameter.MarkerBase);
            var slot = text[++i] - SoqlParameter.SlotBase;
            if (format == ParameterFormat.IncludesList)
            {
                // The writer quoted the marker as one value; the list brings its own quotes.
                current.Length--;
                i++;
            }

            literals.Add(current.ToString());
            holes.Add((slot, format));
            current.Clear();
        }

        literals.Add(current.ToString());
        return new SoqlTemplate([.. literals], [.. holes]);
    }

    public void Render(StringBuilder sb, object?[] values)
    {
        for (var i = 0; i < _holes.Length; i++)
        {
            sb.Append(_literals[i]);
            var (slot, format) = _holes[i];
            var value = values[slot];
            switch (format)
            {
                case ParameterFormat.Value:
                    SoqlLiteral.AppendValue(sb, value);
                    break;
                case ParameterFormat.LikeStartsWith:
                    SoqlLiteral.AppendLikeContent(sb, LikeText(value), isPattern: false);
                    sb.Append('%');
                    break;
                case ParameterFormat.LikeEndsWith:
                    sb.Append('%');
                    SoqlLiteral.AppendLikeContent(sb, LikeText(value), isPattern: false);
                    break;
                case ParameterFormat.LikeContains:
                    sb.Append('%');
                    SoqlLiteral.AppendLikeContent(sb, LikeText(value), isPattern: false);
                    sb.Append('%');
                    break;
                case ParameterFormat.LikeRaw:
                    SoqlLiteral.AppendLikeContent(sb, LikeText(value), isPattern: true);
                    break;
                case ParameterFormat.List:
                    AppendList(sb, value, quoted: false);
                    break;
                case ParameterFormat.IncludesList:
                    AppendList(sb, value, quoted: true);
                    break;
            }
        }

        sb.Append(_literals[^1]);
    }

    private static string LikeText(object? value) => value switch
    {
        string s => s,
        char c => c.ToString(),
        null => throw new ArgumentNullException(nameof(value), "A query compares a field with a null pattern (StartsWith, EndsWith, Contains or Soql.Like need a value)."),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static void AppendList(StringBuilder sb, object? value, bool quoted)
    {
        if (value is string or IPicklistValue or null || value is not IEnumerable items)
        {
            AppendItem(sb, value, quoted);
            return;
        }

        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            AppendItem(sb, item, quoted);
        }
    }

    private static void AppendItem(StringBuilder sb, object? item, bool quoted)
    {
        if (quoted)
        {
            SoqlLiteral.AppendString(sb, item switch
            {
                IPicklistValue p => p.Value,
                null => throw new ArgumentNullException(nameof(item), "INCLUDES and EXCLUDES take picklist values, not null."),
                _ => Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty,
            });
        }
        else
        {
            SoqlLiteral.AppendValue(sb, item);
        }
    }
}

/// <summary>A cached translation: the SOQL template, what to run, and the guards under which it applies.</summary>
internal sealed class QueryPlan
{
    [ThreadStatic]
    private static StringBuilder? t_builder;

    public required Guard[] Guards { get; init; }

    public required SoqlTemplate Template { get; init; }

    public required RowOp[] RowOps { get; init; }

    public SoqlFor? For { get; init; }

    public bool IncludeDeleted { get; init; }

    public int BatchSizeSlot { get; init; } = -1;

    public required ResultKind Kind { get; init; }

    /// <summary>A <see cref="QueryRunner{TElement}"/> for the element type.</summary>
    public required object Runner { get; init; }

    public bool Matches(object?[] values)
    {
        foreach (var guard in Guards)
        {
            if (!guard.Holds(values))
            {
                return false;
            }
        }

        return true;
    }

    public string Render(object?[] values)
    {
        var sb = t_builder ?? new StringBuilder(256);
        t_builder = null;
        sb.Clear();
        Template.Render(sb, values);
        long? limit = null;
        long offset = 0;
        foreach (var op in RowOps)
        {
            var n = Math.Max(0, op.Count(values));
            if (op.Skip)
            {
                offset += n;
                limit = limit is { } l ? Math.Max(0, l - n) : null;
            }
            else
            {
                limit = limit is { } l ? Math.Min(l, n) : n;
            }
        }

        if (limit is { } lim)
        {
            sb.Append(" LIMIT ").Append(lim);
        }

        if (offset > 0)
        {
            sb.Append(" OFFSET ").Append(offset);
        }

        if (For is { } f)
        {
            sb.Append(f switch { SoqlFor.View => " FOR VIEW", SoqlFor.Reference => " FOR REFERENCE", _ => " FOR UPDATE" });
        }

        var text = sb.ToString();
        if (sb.Capacity <= 8192)
        {
            t_builder = sb;
        }

        return text;
    }

    public QueryOptions Options(object?[] values)
        => !IncludeDeleted && BatchSizeSlot < 0
            ? QueryOptions.Default
            : new QueryOptions { IncludeDeleted = IncludeDeleted, BatchSize = BatchSizeSlot < 0 ? null : Convert.ToInt32(values[BatchSizeSlot], CultureInfo.InvariantCulture) };
}

/// <summary>Runs a translated query and produces its elements.</summary>
/// <typeparam name="TElement">The element type.</typeparam>
internal abstract class QueryRunner<TElement>
{
    /// <summary>The elements; the enumerator's cancellation token applies.</summary>
    public abstract IAsyncEnumerable<TElement> RunAsync(SalesforceConnection connection, string soql, QueryOptions options, object?[] values, CancellationToken cancellationToken = default);
}

/// <summary>Reads generated records and returns them as they are.</summary>
internal sealed class RecordRunner<TRecord> : QueryRunner<TRecord>
{
    public override IAsyncEnumerable<TRecord> RunAsync(SalesforceConnection connection, string soql, QueryOptions options, object?[] values, CancellationToken cancellationToken = default)
        => new QueryResult<TRecord>(connection, soql, options, connection.GetTypeInfo<TRecord>());
}

/// <summary>Reads generated records and projects each with a compiled selector.</summary>
internal sealed class ProjectingRunner<TRecord, TElement>(Func<object?[], TRecord, TElement> projection) : QueryRunner<TElement>
{
    public override async IAsyncEnumerable<TElement> RunAsync(SalesforceConnection connection, string soql, QueryOptions options, object?[] values,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var result = new QueryResult<TRecord>(connection, soql, options, connection.GetTypeInfo<TRecord>());
        await foreach (var record in result.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return projection(values, record);
        }
    }
}

/// <summary>Reads aggregate rows and projects each with a compiled selector.</summary>
internal sealed class AggregateRunner<TElement>(Func<object?[], JsonElement, JsonSerializerOptions, TElement> projection) : QueryRunner<TElement>
{
    public override async IAsyncEnumerable<TElement> RunAsync(SalesforceConnection connection, string soql, QueryOptions options, object?[] values,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var result = new QueryResult<JsonElement>(connection, soql, options, connection.GetTypeInfo<JsonElement>());
        await foreach (var row in result.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return projection(values, row, connection.Json);
        }
    }
}
