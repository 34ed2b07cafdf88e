using System.Text.Json.Nodes;
using Sdk.Emulator;

namespace Sdk.Cli.Describe.Tests;

/// <summary><c>diff</c> and <c>pull --check</c> after the org's schema changed.</summary>
public class DiffTests
{
    /// <summary>Pulls Account and Invoice__c, then starts an org whose Account has one more field and one more Industry value.</summary>
    private static async Task<(LocalOrg Changed, TempFolder Files)> ChangedOrgAsync()
    {
        var files = new TempFolder();
        await using (var org = await LocalOrg.StartAsync())
        {
            var pulled = await Tool.For(org).RunAsync("pull", "--objects", "Account,Invoice__c", "--out", files.Path);
            Assert.True(pulled.ExitCode == 0, pulled.ToString());
        }

        using var schema = new TempFolder();
        Directory.CreateDirectory(schema.Path);
        var account = JsonNode.Parse(File.ReadAllText(files.File("Account.json")))!.AsObject();
        var fields = account["fields"]!.AsArray();
        var added = fields.Single(f => (string)f!["name"]! == "Site")!.DeepClone().AsObject();
        added["name"] = "Loyalty_Tier__c";
        added["label"] = "Loyalty Tier";
        added["custom"] = true;
        added["length"] = 40;
        fields.Add(added);
        var industry = fields.Single(f => (string)f!["name"]! == "Industry")!["picklistValues"]!.AsArray();
        var value = industry[0]!.DeepClone().AsObject();
        value["value"] = "Quantum Computing";
        value["label"] = "Quantum Computing";
        industry.Add(value);
        File.WriteAllText(Path.Combine(schema.Path, "Account.json"), account.ToJsonString());
        var changed = await LocalOrg.StartAsync(new LocalOrgOptions { SchemaDirectories = { schema.Path }, TimeProvider = new Clock(DateTimeOffset.UtcNow.AddHours(1)) });
        return (changed, files);
    }

    [Fact]
    public async Task Diff_ReportsExactlyTheAddedFieldAndPicklistValue_ThenPullMakesThemAgree()
    {
        var (org, files) = await ChangedOrgAsync();
        await using var _ = org;
        using var __ = files;
        var tool = Tool.For(org);

        var json = await tool.RunAsync("diff", "--schema", files.Path, "--json");
        Assert.True(json.ExitCode == ExitCodes.Drift, json.ToString());
        var changes = JsonNode.Parse(json.Output)!["changes"]!.AsArray()
            .Select(c => ((string)c!["object"]!, (string?)c["field"], (string)c["kind"]!, (string)c["detail"]!)).ToList();
        Assert.Equal(
            [("Account", "Industry", "PicklistValueAdded", "Quantum Computing"), ("Account", "Loyalty_Tier__c", "FieldAdded", "string(40)")],
            changes);

        var table = await tool.RunAsync("diff", "--schema", files.Path);
        Assert.Equal(ExitCodes.Drift, table.ExitCode);
        Assert.Contains("Loyalty_Tier__c", table.Output, StringComparison.Ordinal);
        Assert.Contains("2 changes.", table.Output, StringComparison.Ordinal);

        var check = await tool.RunAsync("pull", "--check", "--out", files.Path);
        Assert.Equal(ExitCodes.Drift, check.ExitCode);
        Assert.Contains("drift: Account", check.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("drift: Invoice__c", check.Output, StringComparison.Ordinal);

        var pull = await tool.RunAsync("pull", "--out", files.Path);
        Assert.Contains("1 written, 1 unchanged", pull.Output, StringComparison.Ordinal);
        Assert.Contains("Loyalty_Tier__c", File.ReadAllText(files.File("Account.json")), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, (await tool.RunAsync("diff", "--schema", files.Path)).ExitCode);
        Assert.Equal(ExitCodes.Success, (await tool.RunAsync("pull", "--check", "--out", files.Path)).ExitCode);
    }

    [Fact]
    public async Task Diff_RemovedAndNewObjects()
    {
        await using var org = await LocalOrg.StartAsync();
        using var files = new TempFolder();
        var tool = Tool.For(org);
        await tool.RunAsync("pull", "--objects", "Account", "--out", files.Path);
        var gone = JsonNode.Parse(File.ReadAllText(files.File("Account.json")))!.AsObject();
        gone["name"] = "Retired__c";
        File.WriteAllText(files.File("Retired__c.json"), gone.ToJsonString());

        var result = await tool.RunAsync("diff", "--schema", files.Path, "--json", "--objects", "Invoice__c");
        Assert.Equal(ExitCodes.Drift, result.ExitCode);
        var kinds = JsonNode.Parse(result.Output)!["changes"]!.AsArray().Select(c => ((string)c!["object"]!, (string)c["kind"]!)).ToList();
        Assert.Equal([("Invoice__c", "ObjectAdded"), ("Retired__c", "ObjectRemoved")], kinds);
    }

    [Fact]
    public async Task Diff_InvalidSchemaFile_Exit6_NamesTheFile()
    {
        await using var org = await LocalOrg.StartAsync();
        using var files = new TempFolder();
        Directory.CreateDirectory(files.Path);
        File.WriteAllText(files.File("Broken.json"), "{ \"name\": \"Broken\", ");
        var result = await Tool.For(org).RunAsync("diff", "--schema", files.Path);
        Assert.Equal(ExitCodes.InvalidFiles, result.ExitCode);
        Assert.Contains("Broken.json: not valid JSON", result.Error, StringComparison.Ordinal);
    }
}
