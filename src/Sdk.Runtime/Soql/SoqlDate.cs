using System.Globalization;

namespace Sdk.Runtime.Soql;

/// <summary>
/// SOQL's relative date literals (<c>TODAY</c>, <c>LAST_N_DAYS:30</c>, …) for LINQ queries and interpolated SOQL:
/// <c>.Where(o =&gt; o.CloseDate == SoqlDate.ThisQuarter)</c>, <c>o.CreatedDate &gt; SoqlDate.LastNDays(30)</c>.
/// The comparison operators exist only to be translated: evaluated in .NET they throw.
/// </summary>
public readonly struct SoqlDate : IEquatable<SoqlDate>
{
    private SoqlDate(string name, int? n)
    {
        Name = name;
        N = n;
    }

    /// <summary>The literal's name, for example <c>LAST_N_DAYS</c>.</summary>
    public string Name { get; }

    /// <summary>The N of an <c>_N_</c> literal.</summary>
    public int? N { get; }

#pragma warning disable CS1591 // The members are the SOQL literals of the same names.
    public static SoqlDate Yesterday => new("YESTERDAY", null);
    public static SoqlDate Today => new("TODAY", null);
    public static SoqlDate Tomorrow => new("TOMORROW", null);
    public static SoqlDate LastWeek => new("LAST_WEEK", null);
    public static SoqlDate ThisWeek => new("THIS_WEEK", null);
    public static SoqlDate NextWeek => new("NEXT_WEEK", null);
    public static SoqlDate LastMonth => new("LAST_MONTH", null);
    public static SoqlDate ThisMonth => new("THIS_MONTH", null);
    public static SoqlDate NextMonth => new("NEXT_MONTH", null);
    public static SoqlDate Last90Days => new("LAST_90_DAYS", null);
    public static SoqlDate Next90Days => new("NEXT_90_DAYS", null);
    public static SoqlDate ThisQuarter => new("THIS_QUARTER", null);
    public static SoqlDate LastQuarter => new("LAST_QUARTER", null);
    public static SoqlDate NextQuarter => new("NEXT_QUARTER", null);
    public static SoqlDate ThisYear => new("THIS_YEAR", null);
    public static SoqlDate LastYear => new("LAST_YEAR", null);
    public static SoqlDate NextYear => new("NEXT_YEAR", null);
    public static SoqlDate ThisFiscalQuarter => new("THIS_FISCAL_QUARTER", null);
    public static SoqlDate LastFiscalQuarter => new("LAST_FISCAL_QUARTER", null);
    public static SoqlDate NextFiscalQuarter => new("NEXT_FISCAL_QUARTER", null);
    public static SoqlDate ThisFiscalYear => new("THIS_FISCAL_YEAR", null);
    public static SoqlDate LastFiscalYear => new("LAST_FISCAL_YEAR", null);
    public static SoqlDate NextFiscalYear => new("NEXT_FISCAL_YEAR", null);
    public static SoqlDate LastNDays(int n) => WithN("LAST_N_DAYS", n);
    public static SoqlDate NextNDays(int n) => WithN("NEXT_N_DAYS", n);
    public static SoqlDate NDaysAgo(int n) => WithN("N_DAYS_AGO", n);
    public static SoqlDate LastNWeeks(int n) => WithN("LAST_N_WEEKS", n);
    public static SoqlDate NextNWeeks(int n) => WithN("NEXT_N_WEEKS", n);
    public static SoqlDate NWeeksAgo(int n) => WithN("N_WEEKS_AGO", n);
    public static SoqlDate LastNMonths(int n) => WithN("LAST_N_MONTHS", n);
    public static SoqlDate NextNMonths(int n) => WithN("NEXT_N_MONTHS", n);
    public static SoqlDate NMonthsAgo(int n) => WithN("N_MONTHS_AGO", n);
    public static SoqlDate LastNQuarters(int n) => WithN("LAST_N_QUARTERS", n);
    public static SoqlDate NextNQuarters(int n) => WithN("NEXT_N_QUARTERS", n);
    public static SoqlDate NQuartersAgo(int n) => WithN("N_QUARTERS_AGO", n);
    public static SoqlDate LastNYears(int n) => WithN("LAST_N_YEARS", n);
    public static SoqlDate NextNYears(int n) => WithN("NEXT_N_YEARS", n);
    public static SoqlDate NYearsAgo(int n) => WithN("N_YEARS_AGO", n);
    public static SoqlDate LastNFiscalQuarters(int n) => WithN("LAST_N_FISCAL_QUARTERS", n);
    public static SoqlDate NextNFiscalQuarters(int n) => WithN("NEXT_N_FISCAL_QUARTERS", n);
    public static SoqlDate NFiscalQuartersAgo(int n) => WithN("N_FISCAL_QUARTERS_AGO", n);
    public static SoqlDate LastNFiscalYears(int n) => WithN("LAST_N_FISCAL_YEARS", n);
    public static SoqlDate NextNFiscalYears(int n) => WithN("NEXT_N_FISCAL_YEARS", n);
    public static SoqlDate NFiscalYearsAgo(int n) => WithN("N_FISCAL_YEARS_AGO", n);

    public static bool operator ==(DateTimeOffset? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator !=(DateTimeOffset? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator <(DateTimeOffset? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator <=(DateTimeOffset? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator >(DateTimeOffset? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator >=(DateTimeOffset? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator ==(DateOnly? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator !=(DateOnly? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator <(DateOnly? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator <=(DateOnly? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator >(DateOnly? left, SoqlDate right) => throw OnlyInQueries();
    public static bool operator >=(DateOnly? left, SoqlDate right) => throw OnlyInQueries();
#pragma warning restore CS1591

    /// <summary>All names of relative date literals, with whether they take an N.</summary>
    public static IReadOnlyDictionary<string, bool> Names { get; } = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase)
    {
        ["YESTERDAY"] = false, ["TODAY"] = false, ["TOMORROW"] = false, ["LAST_WEEK"] = false, ["THIS_WEEK"] = false, ["NEXT_WEEK"] = false,
        ["LAST_MONTH"] = false, ["THIS_MONTH"] = false, ["NEXT_MONTH"] = false, ["LAST_90_DAYS"] = false, ["NEXT_90_DAYS"] = false,
        ["THIS_QUARTER"] = false, ["LAST_QUARTER"] = false, ["NEXT_QUARTER"] = false, ["THIS_YEAR"] = false, ["LAST_YEAR"] = false,
        ["NEXT_YEAR"] = false, ["THIS_FISCAL_QUARTER"] = false, ["LAST_FISCAL_QUARTER"] = false, ["NEXT_FISCAL_QUARTER"] = false,
        ["THIS_FISCAL_YEAR"] = false, ["LAST_FISCAL_YEAR"] = false, ["NEXT_FISCAL_YEAR"] = false,
        ["LAST_N_DAYS"] = true, ["NEXT_N_DAYS"] = true, ["N_DAYS_AGO"] = true, ["LAST_N_WEEKS"] = true, ["NEXT_N_WEEKS"] = true,
        ["N_WEEKS_AGO"] = true, ["LAST_N_MONTHS"] = true, ["NEXT_N_MONTHS"] = true, ["N_MONTHS_AGO"] = true, ["LAST_N_QUARTERS"] = true,
        ["NEXT_N_QUARTERS"] = true, ["N_QUARTERS_AGO"] = true, ["LAST_N_YEARS"] = true, ["NEXT_N_YEARS"] = true, ["N_YEARS_AGO"] = true,
        ["LAST_N_FISCAL_QUARTERS"] = true, ["NEXT_N_FISCAL_QUARTERS"] = true, ["N_FISCAL_QUARTERS_AGO"] = true,
        ["LAST_N_FISCAL_YEARS"] = true, ["NEXT_N_FISCAL_YEARS"] = true, ["N_FISCAL_YEARS_AGO"] = true,
    };

    private static SoqlDate WithN(string name, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return new(name, n);
    }

    private static NotSupportedException OnlyInQueries()
        => new("SoqlDate comparisons are translated to SOQL date literals; they cannot be evaluated in .NET. Use them inside a LINQ query.");

    /// <summary>The syntax-tree literal.</summary>
    public SoqlDateLiteral ToSyntax() => new(Name, N);

    /// <inheritdoc/>
    public bool Equals(SoqlDate other) => Name == other.Name && N == other.N;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SoqlDate other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, N);

    /// <summary>The SOQL text, for example <c>LAST_N_DAYS:30</c>.</summary>
    public override string ToString() => N is { } n ? Name + ":" + n.ToString(CultureInfo.InvariantCulture) : Name;
}
