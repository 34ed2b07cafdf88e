using Sdk.Runtime;

namespace Sdk.Linq.Tests;

/// <summary>One row of the LINQ → SOQL table: a query built on a client, and the SOQL it must produce.</summary>
public sealed record LinqCase(string Name, Func<SalesforceClient, string> Translate, string Expected)
{
    public override string ToString() => Name;
}

/// <summary>Builds table rows: <c>Row("name", q => q.Query&lt;Account&gt;()…ToSoql(), "SELECT …")</c>.</summary>
public static class LinqTable
{
    public static object[] Row(string name, Func<SalesforceClient, string> translate, string expected) => [new LinqCase(name, translate, expected)];
}
