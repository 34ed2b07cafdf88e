using Sdk.Linq.Tests.Org;
using Sdk.Runtime;

namespace Sdk.Linq.Tests;

public class SmokeTests
{
    [Fact]
    public void Where_OrderBy_Take()
    {
        using var client = TestClient.Create();
        var soql = client.Query<Contact>()
            .Where(c => c.Account!.Industry == AccountIndustry.Banking)
            .OrderBy(c => c.LastName)
            .Take(50)
            .Select(c => new { c.LastName, c.Account!.Name })
            .ToSoql();
        Assert.Equal("SELECT LastName, Account.Name FROM Contact WHERE Account.Industry = 'Banking' ORDER BY LastName LIMIT 50", soql);
    }
}
