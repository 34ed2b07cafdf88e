using System.Text;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Tests.Soql;

/// <summary>Random hostile strings as values: the parsed tree must always hold exactly the intended literal.</summary>
public class SoqlInjectionTests
{
    private static readonly string[] Pieces =
    [
        "'", "\\", "\"", "%", "_", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u0007", "\u2028", " OR Name != '", "' OR '1'='1", ")", "(",
        " LIMIT 1", "--", "/*", "é", "漢字", "😀", "\\'", "\\\\'", "'\\", "a", "Z", "0", " ", ",", "SELECT", ":", "\\u0027",
    ];

    private static IEnumerable<string> RandomStrings(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var sb = new StringBuilder();
            var parts = random.Next(0, 8);
            for (var p = 0; p < parts; p++)
            {
                if (random.Next(4) == 0)
                {
                    sb.Append((char)random.Next(1, 0xD7FF));
                }
                else
                {
                    sb.Append(Pieces[random.Next(Pieces.Length)]);
                }
            }

            yield return sb.ToString();
        }
    }

    [Fact]
    public void InterpolatedEquality_TreeHoldsExactValue()
    {
        foreach (var value in RandomStrings(1, 3000))
        {
            SoqlInterpolatedStringHandler h = $"SELECT Id FROM Account WHERE Name = {value} AND Type = 'x'";
            var tree = SoqlParser.Parse(h.ToString());
            var and = Assert.IsType<SoqlAnd>(tree.Where);
            Assert.Equal(2, and.Operands.Count);
            Assert.Equal(new SoqlComparison(new SoqlField("Name"), SoqlOperator.Equal, new SoqlString(value)), and.Operands[0]);
        }
    }

    [Fact]
    public void RawLikePattern_NeverEscapesTheClosingQuote()
    {
        foreach (var value in RandomStrings(7, 2000))
        {
            SoqlInterpolatedStringHandler h = $"SELECT Id FROM Account WHERE Name LIKE {SoqlLikePattern.Raw(value)} AND Type = 'x'";
            var tree = SoqlParser.Parse(h.ToString());
            var and = Assert.IsType<SoqlAnd>(tree.Where);
            Assert.Equal(2, and.Operands.Count);
            Assert.IsType<SoqlLike>(and.Operands[0]);
            Assert.Equal(new SoqlComparison(new SoqlField("Type"), SoqlOperator.Equal, new SoqlString("x")), and.Operands[1]);
        }
    }

    [Theory]
    [InlineData("abc\\", "'abc\\\\'")]
    [InlineData("a\\' OR Name != '", "'a\\\\\\' OR Name != \\''")]
    [InlineData("50\\%", "'50\\%'")]
    public void RawLikePattern_LoneBackslashIsALiteralBackslash(string pattern, string expected)
    {
        SoqlInterpolatedStringHandler h = $"{SoqlLikePattern.Raw(pattern)}";
        Assert.Equal(expected, h.ToString());
    }

    [Fact]
    public void InterpolatedInList_TreeHoldsExactValues()
    {
        var values = RandomStrings(2, 600).ToList();
        for (var i = 0; i + 3 <= values.Count; i += 3)
        {
            var chunk = values.Skip(i).Take(3).ToArray();
            SoqlInterpolatedStringHandler h = $"SELECT Id FROM Account WHERE Name IN {chunk}";
            var tree = SoqlParser.Parse(h.ToString());
            Assert.Equal(new SoqlIn(new SoqlField("Name"), false, SoqlList.From(chunk.Select(v => (SoqlValue)new SoqlString(v)))), tree.Where);
        }
    }

    [Fact]
    public void InterpolatedLike_PatternMatchesOnlyTheLiteralText()
    {
        foreach (var value in RandomStrings(3, 2000))
        {
            SoqlInterpolatedStringHandler h = $"SELECT Id FROM Account WHERE Name LIKE {SoqlLikePattern.Contains(value)}";
            var tree = SoqlParser.Parse(h.ToString());
            Assert.Equal(new SoqlLike(new SoqlField("Name"), "%" + SoqlLiteral.EscapeLike(value) + "%"), tree.Where);
        }
    }

    [Fact]
    public void WriterOutput_AlwaysParsesBackEqual()
    {
        foreach (var value in RandomStrings(4, 2000))
        {
            var query = new SoqlQuery
            {
                Select = [new SoqlFieldItem(new SoqlField("Id"))],
                From = "Account",
                Where = new SoqlOr([
                    new SoqlComparison(new SoqlField("Name"), SoqlOperator.NotEqual, new SoqlString(value)),
                    new SoqlNot(new SoqlLike(new SoqlField("Description"), SoqlLiteral.EscapeLike(value) + "%")),
                    new SoqlIncludes(new SoqlField("Tags__c"), false, [value]),
                ]),
            };
            Assert.Equal(query, SoqlParser.Parse(SoqlWriter.Write(query)));
        }
    }
}
