using System.Globalization;
using Sdk.Runtime.Records;
using Sdk.Runtime.Soql;

namespace Sdk.Runtime.Tests.Soql;

public class SoqlLiteralTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("Bob's BBQ", @"'Bob\'s BBQ'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData("say \"hi\"", @"'say \""hi\""'")]
    [InlineData("line\nbreak\r\ttab\bbell\fform", @"'line\nbreak\r\ttab\bbell\fform'")]
    [InlineData("ctrl\u0001x", @"'ctrl\u0001x'")]
    [InlineData("50% off_now", "'50% off_now'")]
    [InlineData("ünï €", "'ünï €'")]
    public void String_Escapes(string value, string expected)
    {
        Assert.Equal(expected, SoqlLiteral.String(value));
        var parsed = (SoqlComparison)SoqlParser.ParseCondition("Name = " + expected);
        Assert.Equal(new SoqlString(value), parsed.Right);
    }

    [Fact]
    public void LikeEscape_MakesWildcardsLiteral()
    {
        Assert.Equal(@"50\% off\_now \\", SoqlLiteral.EscapeLike(@"50% off_now \"));
        var like = (SoqlLike)SoqlParser.ParseCondition($"Name LIKE {SoqlWriter.Write(new SoqlString("x"))[..0]}'{SoqlLiteral.EscapeLike("a%b")}%'");
        Assert.Equal(@"a\%b%", like.Pattern);
    }

    [Fact]
    public void NumbersDatesAndBooleans_InvariantAndExact()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            Assert.Equal("1234.5", SoqlWriter.Write(SoqlLiteral.From(1234.5m)));
            Assert.Equal("-0.25", SoqlWriter.Write(SoqlLiteral.From(-0.25d)));
            Assert.Equal("2024-02-29", SoqlWriter.Write(SoqlLiteral.From(new DateOnly(2024, 2, 29))));
            Assert.Equal("2024-01-02T01:04:05Z", SoqlWriter.Write(SoqlLiteral.From(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)))));
            Assert.Equal("2024-01-02T03:04:05.120Z", SoqlWriter.Write(SoqlLiteral.From(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 120, TimeSpan.Zero))));
            Assert.Equal("true", SoqlWriter.Write(SoqlLiteral.From(true)));
            Assert.Equal("null", SoqlWriter.Write(SoqlLiteral.From(null)));
            Assert.Equal("'0035500001H9kZuAAJ'", SoqlWriter.Write(SoqlLiteral.From(SalesforceId.Parse("0035500001H9kZu"))));
            Assert.Equal("LAST_N_DAYS:30", SoqlWriter.Write(SoqlLiteral.From(SoqlDate.LastNDays(30))));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void NonFiniteAndUnknownValues_Rejected()
    {
        Assert.Throws<ArgumentException>(() => SoqlLiteral.From(double.NaN));
        Assert.Throws<ArgumentException>(() => SoqlLiteral.From(new object()));
    }

    [Fact]
    public void Interpolation_HolesAreLiterals()
    {
        var name = "O'Brien";
        var ids = new[] { "a", "b'c" };
        var since = new DateOnly(2024, 1, 2);
        SoqlInterpolatedStringHandler handler = $"SELECT Id FROM Account WHERE Name = {name} AND Type IN {ids} AND CloseDate > {since} AND CreatedDate = {SoqlDate.Today} AND {SoqlName.Of("Account.Name")} LIKE {SoqlLikePattern.StartsWith("50%")}";
        Assert.Equal(@"SELECT Id FROM Account WHERE Name = 'O\'Brien' AND Type IN ('a', 'b\'c') AND CloseDate > 2024-01-02 AND CreatedDate = TODAY AND Account.Name LIKE '50\%%'", handler.ToString());
    }

    [Fact]
    public void Interpolation_EmptyCollectionAndBadName_Rejected()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            SoqlInterpolatedStringHandler h = $"SELECT Id FROM Account WHERE Id IN {Array.Empty<string>()}";
            return h.ToString();
        });
        Assert.Throws<ArgumentException>(() => SoqlName.Of("Name FROM Account --"));
    }
}
