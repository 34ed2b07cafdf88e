using System.Text;
using System.Text.Json.Nodes;
using Sdk.Cli.Describe.Schema;
using Sdk.Emulator;

namespace Sdk.Cli.Describe.Tests;

/// <summary><c>pull</c> against the local org: files, determinism, If-Modified-Since, selection, and every error path.</summary>
public class PullTests
{
    [Fact]
    public async Task Pull_WritesOneDeterministicFilePerObject_AndAManifestWithoutSecrets()
    {
        await using var org = await LocalOrg.StartAsync();
        using var folder = new TempFolder();
        var tool = Tool.For(org);
        var result = await tool.RunAsync("pull", "--objects", "Account,Contact", "--objects", "Invoice__c", "--out", folder.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("3 written, 0 unchanged, 0 not modified, 0 failed", result.Output, StringComparison.Ordinal);

        Assert.Equal(["Account.json", "Contact.json", "Invoice__c.json", "sf-describe.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var text = File.ReadAllText(folder.File("Invoice__c.json"));
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        var describe = JsonNode.Parse(text)!.AsObject();
        Assert.Null(describe["urls"]);
        var keys = describe.Select(p => p.Key).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        var fields = describe["fields"]!.AsArray().Select(f => (string)f!["name"]!).ToList();
        Assert.Equal(fields.Order(StringComparer.Ordinal), fields);
        // Picklist values keep their (meaningful) order.
        var statuses = describe["fields"]!.AsArray().Single(f => (string)f!["name"]! == "Status__c")!["picklistValues"]!.AsArray().Select(v => (string)v!["value"]!).ToList();
        Assert.NotEqual(statuses.Order(StringComparer.Ordinal), statuses);

        var manifest = SchemaManifest.Load(folder.Path)!;
        Assert.Equal("00D5e00000LOCAL", manifest.OrgId);
        Assert.Equal(org.InstanceUrl.GetLeftPart(UriPartial.Authority), manifest.InstanceUrl);
        Assert.Equal("66.0", manifest.ApiVersion);
        Assert.Equal(["Account", "Contact", "Invoice__c"], manifest.Objects.Keys);
        Assert.All(manifest.Objects.Values, v => Assert.NotNull(v));
        foreach (var file in Directory.GetFiles(folder.Path))
        {
            var content = File.ReadAllText(file);
            Assert.DoesNotContain(org.Credentials.Password, content, StringComparison.Ordinal);
            Assert.DoesNotContain(org.Credentials.ClientSecret, content, StringComparison.Ordinal);
        }

        // The files are what the generator and the local org read: the org loads them back as its schema.
        await using var again = await LocalOrg.StartAsync(new LocalOrgOptions { IncludeBuiltInSchema = false, SchemaDirectories = { folder.Path } });
        Assert.Equal(["Account", "Contact", "Invoice__c"], again.Objects);
    }

    [Fact]
    public async Task TwoPulls_AreByteIdentical_AndARepullAsksIfModifiedSince()
    {
        await using var org = await LocalOrg.StartAsync();
        using var first = new TempFolder();
        using var second = new TempFolder();
        var tool = Tool.For(org);
        Assert.Equal(0, (await tool.RunAsync("pull", "--include", "*", "--exclude", "User", "--out", first.Path)).ExitCode);
        Assert.Equal(0, (await tool.RunAsync("pull", "--include", "*", "--exclude", "User", "--out", second.Path, "--concurrency", "1")).ExitCode);
        var files = Directory.GetFiles(first.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(10, files.Count);
        Assert.DoesNotContain("User.json", files);
        foreach (var name in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, name!)), File.ReadAllBytes(Path.Combine(second.Path, name!)));
        }

        // Again into the same folder, no selection: the manifest's objects, each answered 304, nothing rewritten.
        var stamps = Directory.GetFiles(first.Path).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var repull = await tool.RunAsync("pull", "--out", first.Path);
        Assert.True(repull.ExitCode == 0, repull.ToString());
        Assert.Contains("Pulled 9 objects", repull.Output, StringComparison.Ordinal);
        Assert.Contains("0 written, 0 unchanged, 9 not modified", repull.Output, StringComparison.Ordinal);
        Assert.Equal(9, repull.Error.Split('\n').Count(l => l.EndsWith("not modified (304)", StringComparison.Ordinal)));
        Assert.All(stamps, s => Assert.Equal(s.Value, File.GetLastWriteTimeUtc(s.Key)));

        // --force downloads them all and still changes no byte.
        var forced = await tool.RunAsync("pull", "--out", first.Path, "--force");
        Assert.Contains("0 written, 9 unchanged, 0 not modified", forced.Output, StringComparison.Ordinal);
        Assert.All(stamps, s => Assert.Equal(s.Value, File.GetLastWriteTimeUtc(s.Key)));
    }

    [Fact]
    public async Task Selection_ByPattern_AndAll()
    {
        await using var org = await LocalOrg.StartAsync();
        using var folder = new TempFolder();
        var tool = Tool.For(org);
        Assert.Equal(0, (await tool.RunAsync("pull", "--include", "*__c", "--out", folder.Path)).ExitCode);
        Assert.Equal(["Invoice__c"], SchemaManifest.Load(folder.Path)!.Objects.Keys);

        using var all = new TempFolder();
        Assert.Equal(0, (await tool.RunAsync("pull", "--all", "--exclude", "*Type", "--exclude", "C?se", "--out", all.Path)).ExitCode);
        Assert.Equal(org.Objects.Where(o => o is not "RecordType" and not "Case"), SchemaManifest.Load(all.Path)!.Objects.Keys);
    }

    [Fact]
    public async Task NoSelection_AndNoManifest_IsAUsageError()
    {
        await using var org = await LocalOrg.StartAsync();
        using var folder = new TempFolder();
        var result = await Tool.For(org).RunAsync("pull", "--out", folder.Path);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Say which objects to pull", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownObject_And403_NameTheObject_TheOthersAreWritten_NothingHalfWritten()
    {
        await using var org = await LocalOrg.StartAsync(new LocalOrgOptions { ForbiddenObjects = { "Case" } });
        using var folder = new TempFolder();
        var tool = Tool.For(org);
        Assert.Equal(0, (await tool.RunAsync("pull", "--objects", "Account", "--out", folder.Path)).ExitCode);
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(folder.File("Case.json"), "{\"name\":\"Case\",\"fields\":[]}\n");

        var result = await tool.RunAsync("pull", "--objects", "Account,Bogus__c,Case,Contact", "--out", folder.Path);
        Assert.Equal(ExitCodes.ObjectsFailed, result.ExitCode);
        Assert.Contains("error: the org has no object 'Bogus__c'", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: access to 'Case' was refused (INSUFFICIENT_ACCESS_OR_READONLY)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 written, 0 unchanged, 1 not modified, 2 failed", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.File("Contact.json")));
        Assert.False(File.Exists(folder.File("Bogus__c.json")));
        Assert.Equal("{\"name\":\"Case\",\"fields\":[]}\n", File.ReadAllText(folder.File("Case.json")));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        Assert.Equal(["Account", "Contact"], SchemaManifest.Load(folder.Path)!.Objects.Keys);
    }

    [Fact]
    public async Task WrongCredentials_Exit3_WithoutThePassword()
    {
        await using var org = await LocalOrg.StartAsync();
        using var folder = new TempFolder();
        var tool = Tool.For(org);
        tool.Environment["SF_PASSWORD"] = "wrong-secret-4711";
        var result = await tool.RunAsync("pull", "--objects", "Account", "--out", folder.Path);
        Assert.Equal(ExitCodes.Authentication, result.ExitCode);
        Assert.StartsWith("error: login failed:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-4711", result.Error + result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Path));
    }

    [Fact]
    public async Task NoNetwork_Exit4_NamesTheProblem()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var tool = new Tool();
        tool.Environment["SF_ACCESS_TOKEN"] = "00D000000000001!token";
        var result = await tool.RunAsync("list", "--instance-url", $"http://127.0.0.1:{port}");
        Assert.Equal(ExitCodes.Network, result.ExitCode);
        Assert.StartsWith("error: cannot reach the org:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsObjects_AndWhichArePulled()
    {
        await using var org = await LocalOrg.StartAsync();
        using var folder = new TempFolder();
        var tool = Tool.For(org);
        await tool.RunAsync("pull", "--objects", "Invoice__c", "--out", folder.Path);
        var table = await tool.RunAsync("list", "--schema", folder.Path);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Invoice__c", table.Output, StringComparison.Ordinal);
        Assert.Contains($"{org.Objects.Count} objects.", table.Output, StringComparison.Ordinal);

        var json = await tool.RunAsync("list", "--custom", "--json", "--schema", folder.Path);
        var only = Assert.Single(JsonNode.Parse(json.Output)!.AsArray());
        Assert.Equal(("Invoice__c", true, true), ((string)only!["name"]!, (bool)only["custom"]!, (bool)only["pulled"]!));
    }

    [Fact]
    public void DescribeFile_Normalize_IsIndependentOfTheServersOrder()
    {
        var a = JsonNode.Parse("""{"name":"X","urls":{"sobject":"/x"},"fields":[{"name":"B","type":"string"},{"type":"id","name":"A"}],"label":"Ä"}""")!.AsObject();
        var b = JsonNode.Parse("""{"label":"Ä","fields":[{"name":"A","type":"id"},{"name":"B","type":"string"}],"name":"X"}""")!.AsObject();
        Assert.Equal(DescribeFile.Normalize(a), DescribeFile.Normalize(b));
        Assert.Equal("{\n  \"fields\": [\n    {\n      \"name\": \"A\",\n      \"type\": \"id\"\n    },\n    {\n      \"name\": \"B\",\n      \"type\": \"string\"\n    }\n  ],\n  \"label\": \"Ä\",\n  \"name\": \"X\"\n}\n",
            Encoding.UTF8.GetString(DescribeFile.Normalize(a)));
        Assert.Throws<InvalidDataException>(() => DescribeFile.Normalize(JsonNode.Parse("""{"errorCode":"NOT_FOUND"}""")!.AsObject()));
    }
}
