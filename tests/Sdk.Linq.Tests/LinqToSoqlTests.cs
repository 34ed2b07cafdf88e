using Sdk.Runtime.Soql;

namespace Sdk.Linq.Tests;

public class LinqToSoqlTests
{
    [Theory]
    [MemberData(nameof(LinqToSoqlTable.Comparisons), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Logic), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.NullsAndBooleans), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Strings), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Collections), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.MultiSelect), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.DateLiterals), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Paths), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Joins), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Projections), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Ordering), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Grouping), MemberType = typeof(LinqToSoqlTable))]
    [MemberData(nameof(LinqToSoqlTable.Options), MemberType = typeof(LinqToSoqlTable))]
    public void Translates(LinqCase row)
    {
        using var client = TestClient.Create();
        var soql = row.Translate(client);
        Assert.Equal(row.Expected, soql);

        // The text parses back to a tree the writer reproduces exactly.
        var tree = SoqlParser.Parse(soql);
        Assert.Equal(soql, SoqlWriter.Write(tree));
        Assert.Equal(tree, SoqlParser.Parse(SoqlWriter.Write(tree)));

        // The second translation comes from the cache and is the same.
        Assert.Equal(soql, row.Translate(client));
    }
}
