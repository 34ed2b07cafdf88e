using Sdk.Runtime.Soql;

namespace Sdk.Emulator.Query;

/// <summary>
/// The range a relative date literal stands for, in UTC (the local org's time zone is GMT, its week starts on Sunday and its
/// fiscal year is the calendar year): <c>[Start, End)</c> in days.
/// </summary>
internal static class DateRanges
{
    public static (DateOnly Start, DateOnly End) Of(SoqlDateLiteral literal, DateOnly today)
    {
        var n = literal.N ?? 0;
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        return literal.Name switch
        {
            "YESTERDAY" => (today.AddDays(-1), today),
            "TODAY" => (today, today.AddDays(1)),
            "TOMORROW" => (today.AddDays(1), today.AddDays(2)),
            "LAST_WEEK" => (week.AddDays(-7), week),
            "THIS_WEEK" => (week, week.AddDays(7)),
            "NEXT_WEEK" => (week.AddDays(7), week.AddDays(14)),
            "LAST_MONTH" => (month.AddMonths(-1), month),
            "THIS_MONTH" => (month, month.AddMonths(1)),
            "NEXT_MONTH" => (month.AddMonths(1), month.AddMonths(2)),
            "LAST_90_DAYS" => (today.AddDays(-90), today.AddDays(1)),
            "NEXT_90_DAYS" => (today.AddDays(1), today.AddDays(91)),
            "THIS_QUARTER" or "THIS_FISCAL_QUARTER" => (quarter, quarter.AddMonths(3)),
            "LAST_QUARTER" or "LAST_FISCAL_QUARTER" => (quarter.AddMonths(-3), quarter),
            "NEXT_QUARTER" or "NEXT_FISCAL_QUARTER" => (quarter.AddMonths(3), quarter.AddMonths(6)),
            "THIS_YEAR" or "THIS_FISCAL_YEAR" => (year, year.AddYears(1)),
            "LAST_YEAR" or "LAST_FISCAL_YEAR" => (year.AddYears(-1), year),
            "NEXT_YEAR" or "NEXT_FISCAL_YEAR" => (year.AddYears(1), year.AddYears(2)),
            "LAST_N_DAYS" => (today.AddDays(-n), today.AddDays(1)),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(1 + n)),
            "N_DAYS_AGO" => (today.AddDays(-n), today.AddDays(-n + 1)),
            "LAST_N_WEEKS" => (week.AddDays(-7 * n), week),
            "NEXT_N_WEEKS" => (week.AddDays(7), week.AddDays(7 + (7 * n))),
            "N_WEEKS_AGO" => (week.AddDays(-7 * n), week.AddDays((-7 * n) + 7)),
            "LAST_N_MONTHS" => (month.AddMonths(-n), month),
            "NEXT_N_MONTHS" => (month.AddMonths(1), month.AddMonths(1 + n)),
            "N_MONTHS_AGO" => (month.AddMonths(-n), month.AddMonths(-n + 1)),
            "LAST_N_QUARTERS" or "LAST_N_FISCAL_QUARTERS" => (quarter.AddMonths(-3 * n), quarter),
            "NEXT_N_QUARTERS" or "NEXT_N_FISCAL_QUARTERS" => (quarter.AddMonths(3), quarter.AddMonths(3 + (3 * n))),
            "N_QUARTERS_AGO" or "N_FISCAL_QUARTERS_AGO" => (quarter.AddMonths(-3 * n), quarter.AddMonths((-3 * n) + 3)),
            "LAST_N_YEARS" or "LAST_N_FISCAL_YEARS" => (year.AddYears(-n), year),
            "NEXT_N_YEARS" or "NEXT_N_FISCAL_YEARS" => (year.AddYears(1), year.AddYears(1 + n)),
            "N_YEARS_AGO" or "N_FISCAL_YEARS_AGO" => (year.AddYears(-n), year.AddYears(-n + 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(literal), literal.Name, "Unknown date literal."),
        };
    }
}
