using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Query.Internal;

internal sealed partial class LinqTranslator
{
    /// <summary>Where an operand is used, for the describe's filterable, sortable, groupable and aggregatable flags.</summary>
    private enum Usage
    {
        Filter,
        Sort,
        Group,
        Aggregate,
        Select,
    }

    /// <summary>A record reached from the query's element: the root, or a parent through relationships.</summary>
    /// <param name="Prefix">The path prefix of its fields, for example <c>Account.Owner.</c>.</param>
    /// <param name="Record">Its generated type's info (null for <see cref="SObject"/>-typed relationships).</param>
    /// <param name="Depth">How many relationships lead to it.</param>
    /// <param name="Polymorphic">Whether the relationship may point to several types.</param>
    /// <param name="LookupField">The path of the lookup field (<c>AccountId</c>), for null checks.</param>
    /// <param name="CastPath">For a cast of a polymorphic relationship: the relationship's path (<c>What</c>).</param>
    /// <param name="CastType">For a cast: the object type it was cast to.</param>
    private sealed record RecordPath(string Prefix, RecordInfo? Record, int Depth, bool Polymorphic, string? LookupField, string? CastPath, string? CastType);

    /// <summary>A field reached from the query's element.</summary>
    private sealed record FieldPath(string Path, string Name, FieldMetadata? Field, RecordPath Owner);

    /// <summary>A translated operand: a field, a function of one, or an aggregate.</summary>
    private sealed record Operand(SoqlExpression Soql, FieldMetadata? Field, RecordPath? Owner, bool IsRelationship = false, bool IsAggregate = false);

    private static readonly Regex FieldNamePattern = new(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant);

    private RecordPath? ResolveRecord(Expression expression, QueryState state)
    {
        switch (expression)
        {
            case ParameterExpression p when p == state.Parameter:
                return new RecordPath(string.Empty, state.Root, 0, false, null, null, null);
            case MemberExpression { Expression: { } inner } member when IsSObject(member.Type):
                var owner = ResolveRecord(inner, state);
                if (owner?.Record?.Parent(member.Member.Name) is not { } parent)
                {
                    return null;
                }

                var depth = owner.Depth + 1;
                if (depth > MaxParentDepth)
                {
                    throw NotSupported(expression, $"SOQL follows at most {MaxParentDepth} parent relationships");
                }

                var relationship = parent.Relationship;
                var prefix = owner.Prefix + relationship.RelationshipName;
                return new RecordPath(prefix + ".", RecordInfo.For(parent.MemberType), depth,
                    relationship.Polymorphic || !IsGeneratedType(parent.MemberType), owner.Prefix + relationship.Field, owner.CastPath, owner.CastType);
            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.TypeAs } cast when IsSObject(cast.Type):
                var source = ResolveRecord(cast.Operand, state);
                if (source is null)
                {
                    return null;
                }

                if (cast.Type.IsAssignableFrom(cast.Operand.Type))
                {
                    return source;
                }

                var target = RecordInfo.For(cast.Type) ?? throw NotSupported(expression, $"{cast.Type.Name} is not a generated record type");
                if (source.Depth == 0 || !source.Polymorphic)
                {
                    throw NotSupported(expression, "only a polymorphic relationship (such as What or Who) can be cast to a record type");
                }

                return source with { Record = target, CastPath = source.Prefix.TrimEnd('.'), CastType = target.Name };
            default:
                return null;
        }
    }

    private static bool IsGeneratedType(Type type) => RecordInfo.For(type) is not null;

    private FieldPath? ResolveField(Expression expression, QueryState state)
    {
        switch (expression)
        {
            case MemberExpression { Expression: { } inner } member:
                if (!IsSObject(inner.Type))
                {
                    return null;
                }

                var owner = ResolveRecord(inner, state);
                if (owner is null)
                {
                    return null;
                }

                var name = member.Member.Name;
                if (member.Member.DeclaringType == typeof(SObject))
                {
                    return name switch
                    {
                        nameof(SObject.Id) => new FieldPath(owner.Prefix + "Id", "Id", owner.Record?.Field("Id"), owner),
                        nameof(SObject.SObjectType) when owner.Depth > 0 => new FieldPath(owner.Prefix + "Type", "Type", null, owner),
                        _ => null,
                    };
                }

                return owner.Record?.Field(name) is { } field ? new FieldPath(owner.Prefix + field.ApiName, field.ApiName, field, owner) : null;
            case MethodCallExpression call when IsMethod(call.Method, typeof(Soql), nameof(Soql.Field)):
                var record = ResolveRecord(call.Arguments[0], state)
                    ?? throw NotSupported(call, "the record of Soql.Field must be the query's element or a parent of it");
                var apiName = _slots.TryGetSlot(call.Arguments[1], out var slot) ? _slots.Structural(slot) as string : null;
                if (apiName is null || !FieldNamePattern.IsMatch(apiName))
                {
                    throw NotSupported(call, "the field name of Soql.Field must be a constant API name (letters, digits, underscores)");
                }

                return new FieldPath(record.Prefix + apiName, apiName, record.Record?.Metadata.FindField(apiName), record);
            default:
                return null;
        }
    }

    /// <summary>Removes what does not change the SOQL operand: nullable and numeric conversions, <c>.Value</c> of nullables, picklists and ids.</summary>
    private static Expression Strip(Expression expression)
    {
        while (true)
        {
            switch (expression)
            {
                case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert
                    when !IsSObject(convert.Type) && (convert.Method is null || convert.Method.DeclaringType == typeof(decimal)):
                    expression = convert.Operand;
                    continue;
                case MemberExpression { Member.Name: "Value", Expression: { } inner } when Nullable.GetUnderlyingType(inner.Type) is not null
                    || typeof(IPicklistValue).IsAssignableFrom(inner.Type) || inner.Type == typeof(SalesforceId):
                    expression = inner;
                    continue;
                default:
                    return expression;
            }
        }
    }

    private Operand? TranslateOperand(Expression expression, QueryState state, Usage usage, bool insideFunction = false)
    {
        expression = Strip(expression);
        if (ResolveField(expression, state) is { } path)
        {
            Check(path.Field, path.Path, usage, expression);
            if (state.Group is not null && usage != Usage.Group && usage != Usage.Aggregate && !insideFunction)
            {
                RequireGrouped(new SoqlField(path.Path), state, expression);
            }

            return new Operand(new SoqlField(path.Path), path.Field, path.Owner);
        }

        if (ResolveRecord(expression, state) is { Depth: > 0, LookupField: { } lookup } record && record.CastType is null)
        {
            return new Operand(new SoqlField(lookup), null, record, IsRelationship: true);
        }

        if (DateFunction(expression) is { } function)
        {
            var inner = TranslateOperand(function.Argument, state, usage == Usage.Group ? Usage.Group : Usage.Select, insideFunction: true)
                ?? throw NotSupported(expression, $"{function.Name} applies to a date or datetime field");
            var soql = new SoqlFunction(function.Name, SoqlList.From<SoqlExpression>([inner.Soql]));
            if (state.Group is not null && usage != Usage.Group && usage != Usage.Aggregate)
            {
                RequireGrouped(soql, state, expression);
            }

            return new Operand(soql, inner.Field, inner.Owner);
        }

        if (state.Group is { } group && Aggregate(expression, group, state) is { } aggregate)
        {
            return aggregate;
        }

        return null;
    }

    private static void RequireGrouped(SoqlExpression soql, QueryState state, Expression expression)
    {
        if (!state.GroupKeys.Contains(soql))
        {
            throw NotSupported(expression, $"{SoqlWriterText(soql)} is neither grouped nor aggregated");
        }
    }

    private static string SoqlWriterText(SoqlExpression soql) => soql switch
    {
        SoqlField f => f.Path,
        SoqlFunction fn => fn.Name + "(" + string.Join(", ", fn.Arguments.Select(SoqlWriterText)) + ")",
        _ => soql.ToString(),
    };

    private static void Check(FieldMetadata? field, string path, Usage usage, Expression expression)
    {
        if (field is null)
        {
            return;
        }

        var (allowed, what) = usage switch
        {
            Usage.Filter => (field.Filterable, "filterable, so it cannot be used in WHERE"),
            Usage.Sort => (field.Sortable, "sortable, so it cannot be used in ORDER BY"),
            Usage.Group => (field.Groupable, "groupable, so it cannot be used in GROUP BY"),
            Usage.Aggregate => (field.Aggregatable, "aggregatable, so SUM, AVG, MIN, MAX and COUNT cannot take it"),
            _ => (true, string.Empty),
        };
        if (!allowed)
        {
            throw new NotSupportedException($"The field {path} is not {what} (per the describe metadata); in '{expression}'.");
        }
    }

    /// <summary>A SOQL date function: <c>Soql.CalendarYear(x)</c>, or <c>.Year</c>, <c>.Month</c>, <c>.Day</c>, <c>.DayOfYear</c>, <c>.Hour</c> of a date field.</summary>
    private static (string Name, Expression Argument)? DateFunction(Expression expression)
    {
        switch (expression)
        {
            case MethodCallExpression call when call.Method.DeclaringType == typeof(Soql) && call.Arguments.Count == 1 && SoqlFunctionName(call.Method.Name) is { } name:
                return (name, call.Arguments[0]);
            case MemberExpression { Expression: { } inner } member
                when (inner.Type == typeof(DateTimeOffset) || inner.Type == typeof(DateOnly) || inner.Type == typeof(DateTime)) && MemberFunction(member.Member.Name) is { } fn:
                return (fn, inner);
            default:
                return null;
        }

        static string? SoqlFunctionName(string method) => method switch
        {
            nameof(Soql.CalendarYear) => "CALENDAR_YEAR",
            nameof(Soql.CalendarQuarter) => "CALENDAR_QUARTER",
            nameof(Soql.CalendarMonth) => "CALENDAR_MONTH",
            nameof(Soql.DayInMonth) => "DAY_IN_MONTH",
            nameof(Soql.DayInWeek) => "DAY_IN_WEEK",
            nameof(Soql.DayInYear) => "DAY_IN_YEAR",
            nameof(Soql.WeekInYear) => "WEEK_IN_YEAR",
            nameof(Soql.WeekInMonth) => "WEEK_IN_MONTH",
            nameof(Soql.HourInDay) => "HOUR_IN_DAY",
            nameof(Soql.DayOnly) => "DAY_ONLY",
            nameof(Soql.FiscalYear) => "FISCAL_YEAR",
            nameof(Soql.FiscalQuarter) => "FISCAL_QUARTER",
            nameof(Soql.FiscalMonth) => "FISCAL_MONTH",
            _ => null,
        };

        static string? MemberFunction(string member) => member switch
        {
            "Year" => "CALENDAR_YEAR",
            "Month" => "CALENDAR_MONTH",
            "Day" => "DAY_IN_MONTH",
            "DayOfYear" => "DAY_IN_YEAR",
            "Hour" => "HOUR_IN_DAY",
            _ => null,
        };
    }

    /// <summary>An aggregate of a group: <c>g.Count()</c>, <c>g.Sum(o =&gt; o.Amount)</c>, <c>g.CountDistinct(o =&gt; o.AccountId)</c>, …</summary>
    private Operand? Aggregate(Expression expression, GroupingExpression group, QueryState state)
    {
        if (expression is not MethodCallExpression call || call.Arguments.Count == 0 || call.Arguments[0] != group)
        {
            return null;
        }

        var name = call.Method.Name;
        if (call.Method.DeclaringType == typeof(Enumerable) && name is nameof(Enumerable.Count) or nameof(Enumerable.LongCount))
        {
            if (call.Arguments.Count != 1)
            {
                throw NotSupported(call, "SOQL counts whole groups; filter the records with Where before GroupBy");
            }

            return new Operand(new SoqlFunction("COUNT", SoqlList.From<SoqlExpression>([new SoqlField("Id")])), null, null, IsAggregate: true);
        }

        string? function = call.Method.DeclaringType == typeof(Enumerable)
            ? name switch
            {
                nameof(Enumerable.Sum) => "SUM",
                nameof(Enumerable.Average) => "AVG",
                nameof(Enumerable.Min) => "MIN",
                nameof(Enumerable.Max) => "MAX",
                _ => null,
            }
            : IsMethod(call.Method, typeof(Soql), nameof(Soql.CountDistinct)) ? "COUNT_DISTINCT" : null;
        if (function is null || call.Arguments.Count != 2 || call.Arguments[1] is not LambdaExpression selector)
        {
            throw NotSupported(call, $"{name} of a group has no SOQL equivalent (use Count, Sum, Average, Min, Max or CountDistinct with a field)");
        }

        var argument = Binder.Bind(selector, group.Element);
        var inner = Strip(argument);
        var path = ResolveField(inner, state)
            ?? throw NotSupported(call, $"{function} takes a field");
        Check(path.Field, path.Path, Usage.Aggregate, call);
        return new Operand(new SoqlFunction(function, SoqlList.From<SoqlExpression>([new SoqlField(path.Path)])), path.Field, path.Owner, IsAggregate: true);
    }
}
