using System.Text;
using Sdk.Linq.Tests.Org;
using Sdk.Runtime;
using Sdk.Runtime.Query;
using Sdk.Runtime.Soql;

namespace Sdk.Linq.Tests;

/// <summary>
/// Random hostile strings go through LINQ as values; the SOQL produced must parse, and its tree must hold exactly the
/// intended literal, never more structure. A fixed seed keeps failures reproducible; the failing value is in the message.
/// </summary>
public class InjectionFuzzTests
{
    private static readonly string[] Pieces =
    [
        "'", "\\", "\\'", "''", "%", "_", "\\%", "\\_", "\n", "\r", "\t", "\b", "\f", "\"", "\u0000", "\u2028", "é", "日本", "😀",
        "' OR Name != '", "') OR (Name != '", " AND Id != null", "--", "/*", "*/", ";", "x", "Acme", " ", "\\\\", "\\u0027", "%'", "_\\",
    ];

    private static IEnumerable<string> Values(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var sb = new StringBuilder();
            var parts = random.Next(0, 7);
            for (var p = 0; p < parts; p++)
            {
                sb.Append(Pieces[random.Next(Pieces.Length)]);
            }

            yield return sb.ToString();
        }
    }

    private static SoqlCondition WhereOf(string soql) => SoqlParser.Parse(soql).Where ?? throw new InvalidOperationException("no WHERE in " + soql);

    [Fact]
    public void Equality_HoldsExactlyTheValue()
    {
        using var client = TestClient.Create();
        foreach (var value in Values(1, 400))
        {
            var soql = client.Query<Account>().Where(a => a.Name == value).Select(a => a.Id).ToSoql();
            var comparison = Assert.IsType<SoqlComparison>(WhereOf(soql));
            Assert.True(comparison.Right == new SoqlString(value), $"value {Show(value)} became {soql}");
            Assert.Equal(new SoqlField("Name"), comparison.Left);
        }
    }

    [Fact]
    public void StartsWithContainsEndsWith_HoldExactlyTheEscapedText()
    {
        using var client = TestClient.Create();
        foreach (var value in Values(2, 300))
        {
            var escaped = SoqlLiteral.EscapeLike(value);
            var starts = Assert.IsType<SoqlLike>(WhereOf(client.Query<Account>().Where(a => a.Name!.StartsWith(value)).Select(a => a.Id).ToSoql()));
            Assert.Equal(escaped + "%", starts.Pattern);
            var contains = Assert.IsType<SoqlLike>(WhereOf(client.Query<Contact>().Where(c => c.Email!.Contains(value)).Select(c => c.Id).ToSoql()));
            Assert.Equal("%" + escaped + "%", contains.Pattern);
            var ends = Assert.IsType<SoqlLike>(WhereOf(client.Query<Contact>().Where(c => c.LastName!.EndsWith(value)).Select(c => c.Id).ToSoql()));
            Assert.Equal("%" + escaped, ends.Pattern);
            Assert.True(SoqlLikeMatcher.IsMatch("pre" + value, "%" + escaped), $"the pattern of {Show(value)} does not match the value itself");
        }
    }

    [Fact]
    public void LikePatterns_KeepTheirWildcards_AndNeverEscapeTheQuote()
    {
        using var client = TestClient.Create();
        foreach (var value in Values(3, 300))
        {
            var soql = client.Query<Account>().Where(a => Soql.Like(a.Name, value)).Select(a => a.Id).ToSoql();
            var like = Assert.IsType<SoqlLike>(WhereOf(soql));
            Assert.Equal(Normalize(value), like.Pattern);
        }
    }

    [Fact]
    public void InLists_HoldExactlyTheValues()
    {
        using var client = TestClient.Create();
        var values = Values(4, 200).ToArray();
        for (var i = 0; i + 3 <= values.Length; i += 3)
        {
            var list = values[i..(i + 3)];
            var soql = client.Query<Account>().Where(a => list.Contains(a.Name)).Select(a => a.Id).ToSoql();
            var @in = Assert.IsType<SoqlIn>(WhereOf(soql));
            Assert.Equal(list.Select(v => (SoqlValue)new SoqlString(v)), @in.Values);
        }
    }

    [Fact]
    public void PicklistValues_HoldExactlyTheValue()
    {
        using var client = TestClient.Create();
        foreach (var value in Values(5, 200).Where(v => v.Length > 0))
        {
            var picklist = SurveyTopics.FromValue(value);
            var includes = Assert.IsType<SoqlIncludes>(WhereOf(client.Query<Survey>().Where(s => s.Topics!.Contains(picklist)).Select(s => s.Id).ToSoql()));
            Assert.Equal([value], includes.Values);
            var industry = AccountIndustry.FromValue(value);
            var comparison = Assert.IsType<SoqlComparison>(WhereOf(client.Query<Account>().Where(a => a.Industry == industry).Select(a => a.Id).ToSoql()));
            Assert.Equal(new SoqlString(value), comparison.Right);
        }
    }

    [Fact]
    public void ParentPathsAndDates_AreUnaffectedByHostileNeighbours()
    {
        using var client = TestClient.Create();
        foreach (var value in Values(6, 100))
        {
            var soql = client.Query<Contact>().Where(c => c.Account!.Name == value && c.CreatedDate > SoqlDate.LastNDays(7)).Select(c => c.Id).ToSoql();
            var and = Assert.IsType<SoqlAnd>(WhereOf(soql));
            Assert.Equal(2, and.Operands.Count);
            Assert.Equal(new SoqlComparison(new SoqlField("Account.Name"), SoqlOperator.Equal, new SoqlString(value)), and.Operands[0]);
            Assert.Equal(new SoqlComparison(new SoqlField("CreatedDate"), SoqlOperator.GreaterThan, new SoqlDateLiteral("LAST_N_DAYS", 7)), and.Operands[1]);
        }
    }

    /// <summary>A raw pattern as the parser gives it back: LIKE escapes kept, any other backslash a literal (written doubled).</summary>
    private static string Normalize(string pattern)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] is '%' or '_' or '\\')
                {
                    sb.Append('\\').Append(pattern[++i]);
                }
                else
                {
                    sb.Append("\\\\");
                }

                continue;
            }

            sb.Append(pattern[i]);
        }

        return sb.ToString();
    }

    private static string Show(string value) => "\"" + string.Concat(value.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";
}
