using Sdk.Linq.Tests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Query;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;
using static Sdk.Linq.Tests.LinqTable;

namespace Sdk.Linq.Tests;

/// <summary>
/// The table of LINQ queries over the generated types (real describes of Account, Contact, Opportunity, Case, Event, … plus the
/// User and Survey__c test schemas) and the SOQL each must produce. Every produced text must also parse back to the same tree.
/// </summary>
public partial class LinqToSoqlTable
{
    public static TheoryData<LinqCase> Comparisons()
    {
        var name = "Acme";
        var revenue = 1_000_000m;
        var employees = 50;
        var since = new DateOnly(2024, 1, 31);
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        var id = SalesforceId.Parse("001000000000001AAA");
        var industry = AccountIndustry.Energy;
        return Table(
            Row("string ==", q => q.Query<Account>().Where(a => a.Name == "Acme").Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'Acme'"),
            Row("string == captured", q => q.Query<Account>().Where(a => a.Name == name).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'Acme'"),
            Row("string !=", q => q.Query<Account>().Where(a => a.Name != name).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name != 'Acme'"),
            Row("value on the left", q => q.Query<Account>().Where(a => "Acme" == a.Name).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'Acme'"),
            Row("decimal >", q => q.Query<Account>().Where(a => a.AnnualRevenue > revenue).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE AnnualRevenue > 1000000"),
            Row("decimal >= literal", q => q.Query<Account>().Where(a => a.AnnualRevenue >= 2.5m).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE AnnualRevenue >= 2.5"),
            Row("int <", q => q.Query<Account>().Where(a => a.NumberOfEmployees < employees).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE NumberOfEmployees < 50"),
            Row("int <= literal", q => q.Query<Account>().Where(a => a.NumberOfEmployees <= 10).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE NumberOfEmployees <= 10"),
            Row("value < field flips", q => q.Query<Account>().Where(a => 10 < a.NumberOfEmployees).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE NumberOfEmployees > 10"),
            Row("negative number", q => q.Query<Opportunity>().Where(o => o.Amount > -5.25m).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE Amount > -5.25"),
            Row("date >=", q => q.Query<Opportunity>().Where(o => o.CloseDate >= since).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE CloseDate >= 2024-01-31"),
            Row("datetime in UTC", q => q.Query<Account>().Where(a => a.CreatedDate > at).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE CreatedDate > 2024-05-06T05:08:09Z"),
            Row("datetime with milliseconds", q => q.Query<Account>().Where(a => a.CreatedDate < at.AddMilliseconds(123)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE CreatedDate < 2024-05-06T05:08:09.123Z"),
            Row("id ==", q => q.Query<Contact>().Where(c => c.AccountId == id).Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE AccountId = '001000000000001AAA'"),
            Row("record Id ==", q => q.Query<Account>().Where(a => a.Id == id).Select(a => a.Name).ToSoql(), "SELECT Name FROM Account WHERE Id = '001000000000001AAA'"),
            Row("picklist == member", q => q.Query<Account>().Where(a => a.Industry == AccountIndustry.Banking).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Industry = 'Banking'"),
            Row("picklist == captured", q => q.Query<Account>().Where(a => a.Industry == industry).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Industry = 'Energy'"),
            Row("picklist != value with spaces", q => q.Query<Opportunity>().Where(o => o.StageName != OpportunityStageName.ClosedWon).Select(o => o.Id).ToSoql(),
                "SELECT Id FROM Opportunity WHERE StageName != 'Closed Won'"),
            Row("picklist from an unknown value", q => q.Query<Case>().Where(c => c.Status == CaseStatus.FromValue("On Hold")).Select(c => c.Id).ToSoql(),
                "SELECT Id FROM Case WHERE Status = 'On Hold'"),
            Row("picklist .Value.Value", q => q.Query<Account>().Where(a => a.Industry!.Value.Value == "Banking").Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Industry = 'Banking'"),
            Row("string.Equals", q => q.Query<Account>().Where(a => a.Name!.Equals("Acme")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'Acme'"),
            Row("static string.Equals ignore case", q => q.Query<Account>().Where(a => string.Equals(a.Name, "acme", StringComparison.OrdinalIgnoreCase)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name = 'acme'"),
            Row("string.Compare > 0", q => q.Query<Account>().Where(a => string.Compare(a.Name, "M") > 0).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name > 'M'"),
            Row("CompareTo <= 0", q => q.Query<Account>().Where(a => a.Name!.CompareTo("M") <= 0).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name <= 'M'"),
            Row("0 < Compare flips", q => q.Query<Account>().Where(a => 0 < string.Compare(a.Name, "M")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name > 'M'"),
            Row("nullable .Value", q => q.Query<Account>().Where(a => a.AnnualRevenue!.Value > 5).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE AnnualRevenue > 5"),
            Row("year of a date", q => q.Query<Opportunity>().Where(o => o.CloseDate!.Value.Year == 2024).Select(o => o.Id).ToSoql(),
                "SELECT Id FROM Opportunity WHERE CALENDAR_YEAR(CloseDate) = 2024"),
            Row("month of a datetime", q => q.Query<Account>().Where(a => a.CreatedDate!.Value.Month == 12).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE CALENDAR_MONTH(CreatedDate) = 12"),
            Row("Soql.DayOnly", q => q.Query<Account>().Where(a => Soql.DayOnly(a.CreatedDate) == since).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE DAY_ONLY(CreatedDate) = 2024-01-31"),
            Row("Soql.CalendarQuarter", q => q.Query<Opportunity>().Where(o => Soql.CalendarQuarter(o.CloseDate) == 3).Select(o => o.Id).ToSoql(),
                "SELECT Id FROM Opportunity WHERE CALENDAR_QUARTER(CloseDate) = 3"),
            Row("Soql.FiscalYear", q => q.Query<Opportunity>().Where(o => Soql.FiscalYear(o.CloseDate) == 2025).Select(o => o.Id).ToSoql(),
                "SELECT Id FROM Opportunity WHERE FISCAL_YEAR(CloseDate) = 2025"));
    }

    public static TheoryData<LinqCase> Logic()
    {
        var flag = true;
        var off = false;
        return Table(
            Row("&&", q => q.Query<Account>().Where(a => a.Name == "A" && a.NumberOfEmployees > 5).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name = 'A' AND NumberOfEmployees > 5"),
            Row("||", q => q.Query<Account>().Where(a => a.Name == "A" || a.Name == "B").Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'A' OR Name = 'B'"),
            Row("&& of ||", q => q.Query<Account>().Where(a => (a.Name == "A" || a.Name == "B") && a.NumberOfEmployees > 5).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE (Name = 'A' OR Name = 'B') AND NumberOfEmployees > 5"),
            Row("|| of &&", q => q.Query<Account>().Where(a => a.Name == "A" && a.NumberOfEmployees > 5 || a.Name == "B").Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE (Name = 'A' AND NumberOfEmployees > 5) OR Name = 'B'"),
            Row("three ANDs flatten", q => q.Query<Account>().Where(a => a.Name == "A" && a.NumberOfEmployees > 5 && a.AnnualRevenue < 10).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name = 'A' AND NumberOfEmployees > 5 AND AnnualRevenue < 10"),
            Row("two Wheres AND", q => q.Query<Account>().Where(a => a.Name == "A").Where(a => a.NumberOfEmployees > 5).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name = 'A' AND NumberOfEmployees > 5"),
            Row("! of == is !=", q => q.Query<Account>().Where(a => !(a.Name == "A")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name != 'A'"),
            Row("! of > is NOT", q => q.Query<Account>().Where(a => !(a.NumberOfEmployees > 5)).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE NOT NumberOfEmployees > 5"),
            Row("! of ||", q => q.Query<Account>().Where(a => !(a.Name == "A" || a.Name == "B")).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE NOT (Name = 'A' OR Name = 'B')"),
            Row("! inside &&", q => q.Query<Account>().Where(a => a.Name == "A" && !(a.NumberOfEmployees > 5 || a.AnnualRevenue > 1)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name = 'A' AND (NOT (NumberOfEmployees > 5 OR AnnualRevenue > 1))"),
            Row("captured true || folds away", q => q.Query<Account>().Where(a => flag || a.Name == "A").Select(a => a.Id).ToSoql(), "SELECT Id FROM Account"),
            Row("captured false || keeps the rest", q => q.Query<Account>().Where(a => off || a.Name == "A").Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'A'"),
            Row("captured false && matches nothing", q => q.Query<Account>().Where(a => off && a.Name == "A").Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Id = null"),
            Row("captured true && keeps the rest", q => q.Query<Account>().Where(a => flag && a.Name == "A").Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name = 'A'"));
    }

    public static TheoryData<LinqCase> NullsAndBooleans() => Table(
        Row("== null", q => q.Query<Account>().Where(a => a.Industry == null).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Industry = null"),
        Row("!= null", q => q.Query<Account>().Where(a => a.Name != null).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name != null"),
        Row("HasValue", q => q.Query<Account>().Where(a => a.AnnualRevenue.HasValue).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE AnnualRevenue != null"),
        Row("!HasValue", q => q.Query<Account>().Where(a => !a.AnnualRevenue.HasValue).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE AnnualRevenue = null"),
        Row("relationship == null uses the lookup", q => q.Query<Contact>().Where(c => c.Account == null).Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE AccountId = null"),
        Row("parent relationship != null", q => q.Query<Contact>().Where(c => c.Account!.Parent != null).Select(c => c.Id).ToSoql(),
            "SELECT Id FROM Contact WHERE Account.ParentId != null"),
        Row("IsNullOrEmpty", q => q.Query<Contact>().Where(c => string.IsNullOrEmpty(c.Email)).Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE Email = null"),
        Row("!IsNullOrEmpty", q => q.Query<Contact>().Where(c => !string.IsNullOrEmpty(c.Email)).Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE Email != null"),
        Row("bool == true", q => q.Query<Opportunity>().Where(o => o.IsWon == true).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE IsWon = true"),
        Row("bool == false", q => q.Query<Opportunity>().Where(o => o.IsClosed == false).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE IsClosed = false"),
        Row("bool .Value", q => q.Query<Opportunity>().Where(o => o.IsWon!.Value).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE IsWon = true"),
        Row("!bool .Value", q => q.Query<Opportunity>().Where(o => !o.IsWon!.Value).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE IsWon != true"),
        Row("bool ?? false", q => q.Query<Opportunity>().Where(o => o.IsPrivate ?? false).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE IsPrivate = true"),
        Row("bool ?? true", q => q.Query<Opportunity>().Where(o => o.IsPrivate ?? true).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE IsPrivate != false"),
        Row("GetValueOrDefault", q => q.Query<Case>().Where(c => c.IsEscalated.GetValueOrDefault()).Select(c => c.Id).ToSoql(), "SELECT Id FROM Case WHERE IsEscalated = true"),
        Row("(bool) cast", q => q.Query<Case>().Where(c => (bool)c.IsEscalated!).Select(c => c.Id).ToSoql(), "SELECT Id FROM Case WHERE IsEscalated = true"),
        Row("parent bool", q => q.Query<Contact>().Where(c => c.Owner!.IsActive == true).Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE Owner.IsActive = true"));

    public static TheoryData<LinqCase> Strings()
    {
        var prefix = "50%_off";
        var quote = "O'Brien";
        var slash = @"C:\temp";
        var injection = "' OR Name != '";
        return Table(
            Row("StartsWith", q => q.Query<Account>().Where(a => a.Name!.StartsWith("Acme")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name LIKE 'Acme%'"),
            Row("EndsWith", q => q.Query<Account>().Where(a => a.Name!.EndsWith("Inc")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name LIKE '%Inc'"),
            Row("Contains", q => q.Query<Account>().Where(a => a.Name!.Contains("corp")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name LIKE '%corp%'"),
            Row("StartsWith escapes wildcards", q => q.Query<Account>().Where(a => a.Name!.StartsWith(prefix)).Select(a => a.Id).ToSoql(),
                @"SELECT Id FROM Account WHERE Name LIKE '50\%\_off%'"),
            Row("Contains escapes a quote", q => q.Query<Contact>().Where(c => c.LastName!.Contains(quote)).Select(c => c.Id).ToSoql(), @"SELECT Id FROM Contact WHERE LastName LIKE '%O\'Brien%'"),
            Row("EndsWith escapes a backslash", q => q.Query<Account>().Where(a => a.BillingCity == null && a.Name!.EndsWith(slash)).Select(a => a.Id).ToSoql(),
                @"SELECT Id FROM Account WHERE BillingCity = null AND Name LIKE '%C:\\temp'"),
            Row("StartsWith a char", q => q.Query<Account>().Where(a => a.Name!.StartsWith('Z')).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name LIKE 'Z%'"),
            Row("StartsWith ignore case", q => q.Query<Account>().Where(a => a.Name!.StartsWith("acme", StringComparison.OrdinalIgnoreCase)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name LIKE 'acme%'"),
            Row("!Contains", q => q.Query<Account>().Where(a => !a.Name!.Contains("test")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE NOT Name LIKE '%test%'"),
            Row("Soql.Like keeps wildcards", q => q.Query<Account>().Where(a => Soql.Like(a.Name, "Ac_e%")).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name LIKE 'Ac_e%'"),
            Row("Soql.Like escapes quotes", q => q.Query<Account>().Where(a => Soql.Like(a.Name, "O'%")).Select(a => a.Id).ToSoql(), @"SELECT Id FROM Account WHERE Name LIKE 'O\'%'"),
            Row("injection stays a literal", q => q.Query<Account>().Where(a => a.Name == injection).Select(a => a.Id).ToSoql(),
                @"SELECT Id FROM Account WHERE Name = '\' OR Name != \''"),
            Row("newline escaped", q => q.Query<Account>().Where(a => a.Name == "a\nb\tc").Select(a => a.Id).ToSoql(), @"SELECT Id FROM Account WHERE Name = 'a\nb\tc'"),
            Row("parent StartsWith", q => q.Query<Contact>().Where(c => c.Account!.Name!.StartsWith("Ac")).Select(c => c.Id).ToSoql(),
                "SELECT Id FROM Contact WHERE Account.Name LIKE 'Ac%'"));
    }

    public static TheoryData<LinqCase> Collections()
    {
        var names = new[] { "A", "B'C" };
        var list = new List<string> { "x" };
        var set = new HashSet<int> { 5 };
        var empty = Array.Empty<string>();
        var emptyList = new List<SalesforceId>();
        var ids = new List<SalesforceId> { SalesforceId.Parse("001000000000001AAA"), SalesforceId.Parse("001000000000002AAA") };
        var industries = new[] { AccountIndustry.Banking, AccountIndustry.Energy };
        IEnumerable<string> lazy = names.Select(n => n.ToUpperInvariant());
        return Table(
            Row("array Contains", q => q.Query<Account>().Where(a => names.Contains(a.Name)).Select(a => a.Id).ToSoql(), @"SELECT Id FROM Account WHERE Name IN ('A', 'B\'C')"),
            Row("list Contains", q => q.Query<Account>().Where(a => list.Contains(a.Name!)).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Name IN ('x')"),
            Row("HashSet Contains", q => q.Query<Account>().Where(a => set.Contains(a.NumberOfEmployees!.Value)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE NumberOfEmployees IN (5)"),
            Row("Enumerable.Contains", q => q.Query<Account>().Where(a => Enumerable.Contains(names, a.Name)).Select(a => a.Id).ToSoql(),
                @"SELECT Id FROM Account WHERE Name IN ('A', 'B\'C')"),
            Row("lazy sequence evaluated once", q => q.Query<Account>().Where(a => lazy.Contains(a.Name)).Select(a => a.Id).ToSoql(), @"SELECT Id FROM Account WHERE Name IN ('A', 'B\'C')"),
            Row("ids", q => q.Query<Contact>().Where(c => ids.Contains(c.AccountId!.Value)).Select(c => c.Id).ToSoql(),
                "SELECT Id FROM Contact WHERE AccountId IN ('001000000000001AAA', '001000000000002AAA')"),
            Row("picklist values", q => q.Query<Account>().Where(a => industries.Contains(a.Industry!.Value)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Industry IN ('Banking', 'Energy')"),
            Row("inline array", q => q.Query<Case>().Where(c => new[] { CaseStatus.New, CaseStatus.Working }.Contains(c.Status!.Value)).Select(c => c.Id).ToSoql(),
                "SELECT Id FROM Case WHERE Status IN ('New', 'Working')"),
            Row("NOT IN", q => q.Query<Account>().Where(a => !names.Contains(a.Name)).Select(a => a.Id).ToSoql(), @"SELECT Id FROM Account WHERE Name NOT IN ('A', 'B\'C')"),
            Row("empty IN matches nothing", q => q.Query<Account>().Where(a => empty.Contains(a.Name)).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE Id = null"),
            Row("empty IN in an OR drops out", q => q.Query<Account>().Where(a => empty.Contains(a.Name) || a.Name == "A").Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name = 'A'"),
            Row("empty NOT IN matches everything", q => q.Query<Account>().Where(a => !empty.Contains(a.Name) && a.Name != null).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE Name != null"),
            Row("empty id list", q => q.Query<Contact>().Where(c => emptyList.Contains(c.AccountId!.Value)).Select(c => c.Id).ToSoql(), "SELECT Id FROM Contact WHERE Id = null"),
            Row("IN on a parent field", q => q.Query<Contact>().Where(c => names.Contains(c.Account!.Name)).Select(c => c.Id).ToSoql(),
                @"SELECT Id FROM Contact WHERE Account.Name IN ('A', 'B\'C')"));
    }

    public static TheoryData<LinqCase> MultiSelect()
    {
        var none = Array.Empty<SurveyTopics>();
        return Table(
            Row("Contains is INCLUDES", q => q.Query<Survey>().Where(s => s.Topics!.Contains(SurveyTopics.Pricing)).Select(s => s.Id).ToSoql(),
                "SELECT Id FROM Survey__c WHERE Topics__c INCLUDES ('Pricing')"),
            Row("Includes any", q => q.Query<Survey>().Where(s => s.Topics!.Includes(SurveyTopics.Pricing, SurveyTopics.Support)).Select(s => s.Id).ToSoql(),
                "SELECT Id FROM Survey__c WHERE Topics__c INCLUDES ('Pricing', 'Support')"),
            Row("Excludes", q => q.Query<Survey>().Where(s => s.Topics!.Excludes(SurveyTopics.Roadmap)).Select(s => s.Id).ToSoql(),
                "SELECT Id FROM Survey__c WHERE Topics__c EXCLUDES ('Roadmap')"),
            Row("!Contains is EXCLUDES", q => q.Query<Survey>().Where(s => !s.Topics!.Contains(SurveyTopics.Support)).Select(s => s.Id).ToSoql(),
                "SELECT Id FROM Survey__c WHERE Topics__c EXCLUDES ('Support')"),
            Row("Includes none matches nothing", q => q.Query<Survey>().Where(s => s.Topics!.Includes(none)).Select(s => s.Id).ToSoql(), "SELECT Id FROM Survey__c WHERE Id = null"),
            Row("Excludes none matches all", q => q.Query<Survey>().Where(s => s.Topics!.Excludes(none)).Select(s => s.Id).ToSoql(), "SELECT Id FROM Survey__c"));
    }

    public static TheoryData<LinqCase> DateLiterals()
    {
        var days = 45;
        return Table(
            Row("TODAY", q => q.Query<Opportunity>().Where(o => o.CloseDate == SoqlDate.Today).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE CloseDate = TODAY"),
            Row("LAST_N_DAYS", q => q.Query<Account>().Where(a => a.CreatedDate > SoqlDate.LastNDays(30)).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE CreatedDate > LAST_N_DAYS:30"),
            Row("LAST_N_DAYS captured", q => q.Query<Account>().Where(a => a.CreatedDate >= SoqlDate.LastNDays(days)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE CreatedDate >= LAST_N_DAYS:45"),
            Row("THIS_QUARTER", q => q.Query<Opportunity>().Where(o => o.CloseDate == SoqlDate.ThisQuarter).Select(o => o.Id).ToSoql(), "SELECT Id FROM Opportunity WHERE CloseDate = THIS_QUARTER"),
            Row("NEXT_N_FISCAL_YEARS", q => q.Query<Opportunity>().Where(o => o.CloseDate < SoqlDate.NextNFiscalYears(2)).Select(o => o.Id).ToSoql(),
                "SELECT Id FROM Opportunity WHERE CloseDate < NEXT_N_FISCAL_YEARS:2"),
            Row("YESTERDAY !=", q => q.Query<Account>().Where(a => a.CreatedDate != SoqlDate.Yesterday).Select(a => a.Id).ToSoql(), "SELECT Id FROM Account WHERE CreatedDate != YESTERDAY"),
            Row("N_DAYS_AGO <=", q => q.Query<Account>().Where(a => a.LastModifiedDate <= SoqlDate.NDaysAgo(7)).Select(a => a.Id).ToSoql(),
                "SELECT Id FROM Account WHERE LastModifiedDate <= N_DAYS_AGO:7"),
            Row("range of literals", q => q.Query<Opportunity>().Where(o => o.CloseDate >= SoqlDate.ThisMonth && o.CloseDate < SoqlDate.NextNMonths(3)).Select(o => o.Id).ToSoql(),
                "SELECT Id FROM Opportunity WHERE CloseDate >= THIS_MONTH AND CloseDate < NEXT_N_MONTHS:3"));
    }

    private static TheoryData<LinqCase> Table(params object[][] rows)
    {
        var data = new TheoryData<LinqCase>();
        foreach (var row in rows)
        {
            data.Add((LinqCase)row[0]);
        }

        return data;
    }
}
