using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Tests.Soql;

public class SoqlParserTests
{
    public static IEnumerable<string> CorpusQueries()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Soql", "Corpus", "queries.soql"));
        return text.Split("\n---\n").Skip(1).Select(q => q.Trim()).Where(q => q.Length > 0);
    }

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var q in CorpusQueries())
        {
            data.Add(q);
        }

        return data;
    }

    [Fact]
    public void Corpus_HasOverAHundredQueries() => Assert.True(CorpusQueries().Count() >= 100);

    [Theory]
    [MemberData(nameof(Corpus))]
    public void RealWorldQuery_ParsesAndRoundTrips(string soql)
    {
        var tree = SoqlParser.Parse(soql);
        var written = SoqlWriter.Write(tree);
        var reparsed = SoqlParser.Parse(written);
        Assert.Equal(tree, reparsed);
        Assert.Equal(written, SoqlWriter.Write(reparsed));
    }

    [Fact]
    public void Parse_BuildsTheExpectedTree()
    {
        var q = SoqlParser.Parse("select Id, Account.Owner.Name, COUNT(Id) total, (select LastName from Contacts where Email != null order by LastName desc nulls last limit 5) from Contact where (Name like 'A\\_%' or Name in ('x','y')) and CreatedDate > LAST_N_DAYS:30 group by rollup(Id) having count(Id) > 1 order by Name limit 10 offset 5 for view");
        Assert.Equal("Contact", q.From);
        Assert.Equal(new SoqlFieldItem(new SoqlField("Account.Owner.Name")), q.Select[1]);
        Assert.Equal(new SoqlFunctionItem(new SoqlFunction("COUNT", [new SoqlField("Id")]), "total"), q.Select[2]);
        var sub = Assert.IsType<SoqlSubquery>(q.Select[3]).Query;
        Assert.Equal("Contacts", sub.From);
        Assert.Equal(5, sub.Limit);
        Assert.Equal(new SoqlOrderBy(new SoqlField("LastName"), Descending: true, SoqlNulls.Last, ExplicitDirection: true), sub.OrderBy[0]);
        var and = Assert.IsType<SoqlAnd>(q.Where);
        var or = Assert.IsType<SoqlOr>(and.Operands[0]);
        Assert.Equal(new SoqlLike(new SoqlField("Name"), "A\\_%"), or.Operands[0]);
        Assert.Equal(new SoqlIn(new SoqlField("Name"), false, [new SoqlString("x"), new SoqlString("y")]), or.Operands[1]);
        Assert.Equal(new SoqlComparison(new SoqlField("CreatedDate"), SoqlOperator.GreaterThan, new SoqlDateLiteral("LAST_N_DAYS", 30)), and.Operands[1]);
        Assert.Equal(SoqlGroupByKind.Rollup, q.GroupBy!.Kind);
        Assert.Equal(10, q.Limit);
        Assert.Equal(5, q.Offset);
        Assert.Equal(SoqlFor.View, q.For);
    }

    [Theory]
    [InlineData("SELEKT Name FROM Account", 1, 1, "SELEKT", "SELECT")]
    [InlineData("SELECT Name FRM Account", 1, 17, "Account", "FROM")] // FRM reads as an alias of Name, so the error is at Account
    [InlineData("SELECT Name FROM Account WHERE A = 1 AND B = 2 OR C = 3", 1, 48, "OR", "parentheses when AND and OR are mixed")]
    [InlineData("SELECT Name FROM Account WHERE Name = 'open", 1, 39, "'", "a closing quote")]
    [InlineData("SELECT Name FROM Account WHERE Name = 'a\\qb'", 1, 41, "\\q", "an escape sequence")]
    [InlineData("SELECT Name FROM Account LIMIT ten", 1, 32, "ten", "a row count after LIMIT")]
    [InlineData("SELECT Name FROM Account WHERE Name", 1, 36, "", "an operator")]
    [InlineData("SELECT Name FROM Account WHERE Name = 'a\\%'", 1, 39, "'a\\%'", "only valid in LIKE")]
    [InlineData("SELECT Id FROM Account\nWHERE CreatedDate = 2024-13-40", 2, 21, "2024-13-40", "a date")]
    [InlineData("SELECT Id FROM Account WHERE CreatedDate > LAST_N_DAYS", 1, 55, "", "':' and a number after LAST_N_DAYS")]
    [InlineData("SELECT FROM Account", 1, 8, "FROM", "a field")]
    [InlineData("SELECT Id FROM Account WHERE Id IN ()", 1, 37, ")", "a value")]
    public void Parse_Error_GivesPositionTokenAndExpectation(string soql, int line, int column, string token, string expected)
    {
        var ex = Assert.Throws<SoqlParseException>(() => SoqlParser.Parse(soql));
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.Equal(token, ex.Token);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"line {line}, column {column}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keywords_CaseInsensitive_NamesKept()
    {
        var a = SoqlParser.Parse("select id from account where NAME = 'x' order by name asc");
        var b = SoqlParser.Parse("SELECT id FROM account WHERE NAME = 'x' ORDER BY name ASC");
        Assert.Equal(a, b);
        Assert.Equal("SELECT id FROM account WHERE NAME = 'x' ORDER BY name ASC", SoqlWriter.Write(a));
    }

    [Fact]
    public void ObjectNamedLikeKeyword_Parses()
        => Assert.Equal("Group", SoqlParser.Parse("SELECT Id, Name FROM Group WHERE Type = 'Queue'").From);
}
