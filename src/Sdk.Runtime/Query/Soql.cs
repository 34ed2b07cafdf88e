using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Query;

/// <summary>
/// SOQL functions for LINQ queries: <c>Soql.Like(a.Name, "Acme%")</c>, date functions for grouping
/// (<c>GroupBy(o =&gt; Soql.CalendarYear(o.CloseDate))</c>), <c>toLabel</c>, <c>FORMAT</c>, <c>convertCurrency</c> in projections,
/// and <see cref="Field{T}"/> for fields the generated types do not have.
/// Functions with a .NET meaning compute it when they run outside a query; those that only the server can compute
/// (labels, formatting, currency conversion) throw there.
/// </summary>
[SuppressMessage("Naming", "CA1724:Type names should not match namespaces", Justification = "Soql.Like reads as SOQL; the Soql namespace holds the syntax tree.")]
public static class Soql
{
    /// <summary>SOQL <c>LIKE</c> with a pattern as given: <c>%</c> and <c>_</c> are wildcards, <c>\%</c> and <c>\_</c> literal.</summary>
    /// <param name="value">The field.</param>
    /// <param name="pattern">The pattern (values are escaped as string literals, wildcards kept).</param>
    public static bool Like(string? value, string pattern) => SoqlLikeMatcher.IsMatch(value, pattern);

    /// <summary>
    /// A field by API name, for fields the generated type does not have (or records of a type that was not generated):
    /// <c>Soql.Field&lt;string&gt;(c.Account.Owner, "Name")</c> is <c>Account.Owner.Name</c>.
    /// </summary>
    /// <typeparam name="T">The .NET type to read the value as.</typeparam>
    /// <param name="record">The record (the query's element or a parent).</param>
    /// <param name="apiName">The field's API name.</param>
    [RequiresDynamicCode(Internal.LinqRequirements.DynamicCode)]
    [RequiresUnreferencedCode(Internal.LinqRequirements.UnreferencedCode)]
    public static T? Field<T>(SObject? record, string apiName)
    {
        ArgumentNullException.ThrowIfNull(apiName);
        if (record is null)
        {
            return default;
        }

        var value = record.GetFieldValue(apiName);
        if (value is null && record.AdditionalFields.TryGetValue(apiName, out var element))
        {
            return element.ValueKind == JsonValueKind.Null ? default : element.Deserialize<T>(Sdk.Runtime.Internal.JsonOptionsFactory.Default);
        }

        return value is null ? default : value is T t ? t : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary><c>CALENDAR_YEAR(field)</c>.</summary>
    public static int? CalendarYear(DateTimeOffset? value) => value?.UtcDateTime.Year;

    /// <summary><c>CALENDAR_YEAR(field)</c>.</summary>
    public static int? CalendarYear(DateOnly? value) => value?.Year;

    /// <summary><c>CALENDAR_QUARTER(field)</c>: 1 to 4.</summary>
    public static int? CalendarQuarter(DateTimeOffset? value) => value is { } v ? ((v.UtcDateTime.Month - 1) / 3) + 1 : null;

    /// <summary><c>CALENDAR_QUARTER(field)</c>: 1 to 4.</summary>
    public static int? CalendarQuarter(DateOnly? value) => value is { } v ? ((v.Month - 1) / 3) + 1 : null;

    /// <summary><c>CALENDAR_MONTH(field)</c>: 1 to 12.</summary>
    public static int? CalendarMonth(DateTimeOffset? value) => value?.UtcDateTime.Month;

    /// <summary><c>CALENDAR_MONTH(field)</c>: 1 to 12.</summary>
    public static int? CalendarMonth(DateOnly? value) => value?.Month;

    /// <summary><c>DAY_IN_MONTH(field)</c>.</summary>
    public static int? DayInMonth(DateTimeOffset? value) => value?.UtcDateTime.Day;

    /// <summary><c>DAY_IN_MONTH(field)</c>.</summary>
    public static int? DayInMonth(DateOnly? value) => value?.Day;

    /// <summary><c>DAY_IN_WEEK(field)</c>: 1 (Sunday) to 7 (Saturday).</summary>
    public static int? DayInWeek(DateTimeOffset? value) => value is { } v ? (int)v.UtcDateTime.DayOfWeek + 1 : null;

    /// <summary><c>DAY_IN_WEEK(field)</c>: 1 (Sunday) to 7 (Saturday).</summary>
    public static int? DayInWeek(DateOnly? value) => value is { } v ? (int)v.DayOfWeek + 1 : null;

    /// <summary><c>DAY_IN_YEAR(field)</c>.</summary>
    public static int? DayInYear(DateTimeOffset? value) => value?.UtcDateTime.DayOfYear;

    /// <summary><c>DAY_IN_YEAR(field)</c>.</summary>
    public static int? DayInYear(DateOnly? value) => value?.DayOfYear;

    /// <summary><c>WEEK_IN_YEAR(field)</c>: 1 to 53, the first week starting January 1.</summary>
    public static int? WeekInYear(DateTimeOffset? value) => value is { } v ? ((v.UtcDateTime.DayOfYear - 1) / 7) + 1 : null;

    /// <summary><c>WEEK_IN_YEAR(field)</c>: 1 to 53, the first week starting January 1.</summary>
    public static int? WeekInYear(DateOnly? value) => value is { } v ? ((v.DayOfYear - 1) / 7) + 1 : null;

    /// <summary><c>WEEK_IN_MONTH(field)</c>: 1 to 5, the first week starting on the 1st.</summary>
    public static int? WeekInMonth(DateTimeOffset? value) => value is { } v ? ((v.UtcDateTime.Day - 1) / 7) + 1 : null;

    /// <summary><c>WEEK_IN_MONTH(field)</c>: 1 to 5, the first week starting on the 1st.</summary>
    public static int? WeekInMonth(DateOnly? value) => value is { } v ? ((v.Day - 1) / 7) + 1 : null;

    /// <summary><c>HOUR_IN_DAY(field)</c>, in UTC.</summary>
    public static int? HourInDay(DateTimeOffset? value) => value?.UtcDateTime.Hour;

    /// <summary><c>DAY_ONLY(field)</c>: the date of a datetime, in UTC.</summary>
    public static DateOnly? DayOnly(DateTimeOffset? value) => value is { } v ? DateOnly.FromDateTime(v.UtcDateTime) : null;

    /// <summary><c>FISCAL_YEAR(field)</c>; the org's fiscal year settings apply, so it is computed only by the server.</summary>
    public static int? FiscalYear(DateTimeOffset? value) => throw ServerOnly(nameof(FiscalYear));

    /// <summary><c>FISCAL_YEAR(field)</c>; computed only by the server.</summary>
    public static int? FiscalYear(DateOnly? value) => throw ServerOnly(nameof(FiscalYear));

    /// <summary><c>FISCAL_QUARTER(field)</c>; computed only by the server.</summary>
    public static int? FiscalQuarter(DateTimeOffset? value) => throw ServerOnly(nameof(FiscalQuarter));

    /// <summary><c>FISCAL_QUARTER(field)</c>; computed only by the server.</summary>
    public static int? FiscalQuarter(DateOnly? value) => throw ServerOnly(nameof(FiscalQuarter));

    /// <summary><c>FISCAL_MONTH(field)</c>; computed only by the server.</summary>
    public static int? FiscalMonth(DateTimeOffset? value) => throw ServerOnly(nameof(FiscalMonth));

    /// <summary><c>FISCAL_MONTH(field)</c>; computed only by the server.</summary>
    public static int? FiscalMonth(DateOnly? value) => throw ServerOnly(nameof(FiscalMonth));

    /// <summary><c>toLabel(field)</c> in a projection: the value's label in the querying user's language.</summary>
    public static string? ToLabel<T>(T value) => throw ServerOnly(nameof(ToLabel));

    /// <summary><c>FORMAT(field)</c> in a projection: the value formatted in the querying user's locale.</summary>
    public static string? Format<T>(T value) => throw ServerOnly(nameof(Format));

    /// <summary><c>convertCurrency(field)</c> in a projection: the amount in the querying user's currency.</summary>
    public static decimal? ConvertCurrency(decimal? value) => throw ServerOnly(nameof(ConvertCurrency));

    /// <summary><c>COUNT_DISTINCT(field)</c> of a group: the number of distinct non-null values.</summary>
    /// <param name="group">The group.</param>
    /// <param name="selector">The field.</param>
    public static int CountDistinct<TKey, TElement, TValue>(this IGrouping<TKey, TElement> group, Func<TElement, TValue> selector)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(selector);
        return group.Select(selector).Where(v => v is not null).Distinct().Count();
    }

    private static NotSupportedException ServerOnly(string name)
        => new($"Soql.{name} is computed by Salesforce: use it inside a LINQ query (in Select, Where, GroupBy or OrderBy).");
}
