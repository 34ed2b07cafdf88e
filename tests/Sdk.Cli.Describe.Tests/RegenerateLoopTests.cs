using System.Diagnostics;
using System.Text.Json.Nodes;
using Sdk.Emulator;

namespace Sdk.Cli.Describe.Tests;

/// <summary>
/// The regenerate loop, end to end with the packed packages: pull the local org's schema with the installed tool, build a
/// consumer project that references Sdk.Runtime from a local feed, run it; change the org's schema, see it in diff, pull
/// again, rebuild: the new member exists.
/// </summary>
public class RegenerateLoopTests
{
    private static readonly string Repository = FindRepository();
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);

    private const string ProgramV1 = """
        using Consumer.Org;
        using Sdk.Runtime;
        using Sdk.Runtime.Auth;

        var instance = new Uri(Environment.GetEnvironmentVariable("SF_INSTANCE_URL")!);
        await using var client = new SalesforceClient(new SalesforceClientOptions
        {
            InstanceUrl = instance,
            Authenticator = new AccessTokenAuthenticator(Environment.GetEnvironmentVariable("SF_ACCESS_TOKEN")!, instance),
        });
        var account = new Account { Name = "Generated " + args[0], Industry = AccountIndustry.Banking };
        await client.SObjects.CreateAsync(account);
        var found = await client.Query<Account>().Where(a => a.Name == "Generated " + args[0]).Select(a => new { a.Id, a.Name, a.Industry }).SingleAsync();
        Console.WriteLine($"{found.Name} {found.Industry} {found.Id == account.Id}");
        """;

    private const string ProgramV2 = ProgramV1 + """

        var tiered = new Account { Name = "Tiered", Loyalty_Tier = "Gold", Industry = AccountIndustry.QuantumComputing };
        await client.SObjects.CreateAsync(tiered);
        var tier = await client.Query<Account>().Where(a => a.Id == tiered.Id).Select(a => a.Loyalty_Tier).SingleAsync();
        Console.WriteLine($"tier {tier} {tiered.Industry}");
        """;

    [Fact]
    public async Task PullBuildRun_ChangeTheOrg_DiffPullRebuild()
    {
        using var work = new TempFolder();
        var feed = Path.Combine(work.Path, "feed");
        var tools = Path.Combine(work.Path, "tools");
        var app = Path.Combine(work.Path, "consumer");
        var schema = Path.Combine(app, "schema");
        Directory.CreateDirectory(app);
        var version = "0.1.0-e2e.g" + Guid.NewGuid().ToString("N")[..8];

        // The packages, as CI would publish them (built by the solution build; packed without rebuilding).
        foreach (var project in new[] { "src/Sdk.Runtime/Sdk.Runtime.csproj", "src/Sdk.Cli.Describe/Sdk.Cli.Describe.csproj" })
        {
            await RunAsync("dotnet", ["pack", Path.Combine(Repository, project), "-c", Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}"], Repository);
        }

        await RunAsync("dotnet", ["tool", "install", "Sdk.Cli.Describe", "--tool-path", tools, "--version", version, "--add-source", feed], work.Path);
        var tool = Path.Combine(tools, "sf-describe");

        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="sdk-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <SalesforceSchemaNamespace>Consumer.Org</SalesforceSchemaNamespace>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Sdk.Runtime" Version="{version}" />
                <SalesforceSchema Include="schema/*.json" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ProgramV1);

        string output;
        await using (var org = await LocalOrg.StartAsync())
        {
            var env = Connection(org);
            output = await RunAsync(tool, ["pull", "--objects", "Account,Contact", "--out", schema], app, env);
            Assert.Contains("2 written", output, StringComparison.Ordinal);
            await RunAsync("dotnet", ["build", "-c", "Release", "-nologo"], app);
            output = await RunAsync("dotnet", ["run", "-c", "Release", "--no-build", "--", "one"], app, env);
            Assert.Equal("Generated one Banking True", output.Trim());
        }

        // The org changes: a new field, a new picklist value (a new org version of the same schema, an hour later).
        using var changedSchema = new TempFolder();
        Directory.CreateDirectory(changedSchema.Path);
        var account = JsonNode.Parse(File.ReadAllText(Path.Combine(schema, "Account.json")))!.AsObject();
        var fields = account["fields"]!.AsArray();
        var tier = fields.Single(f => (string)f!["name"]! == "Site")!.DeepClone().AsObject();
        (tier["name"], tier["label"], tier["custom"]) = ("Loyalty_Tier__c", "Loyalty Tier", true);
        fields.Add(tier);
        var industry = fields.Single(f => (string)f!["name"]! == "Industry")!["picklistValues"]!.AsArray();
        var quantum = industry[0]!.DeepClone().AsObject();
        (quantum["value"], quantum["label"]) = ("Quantum Computing", "Quantum Computing");
        industry.Add(quantum);
        File.WriteAllText(Path.Combine(changedSchema.Path, "Account.json"), account.ToJsonString());

        await using (var org = await LocalOrg.StartAsync(new LocalOrgOptions { SchemaDirectories = { changedSchema.Path }, TimeProvider = new Clock(DateTimeOffset.UtcNow.AddHours(1)) }))
        {
            var env = Connection(org);
            var diff = await RunAsync(tool, ["diff", "--schema", schema, "--json"], app, env, expectedExit: 2);
            var changes = JsonNode.Parse(diff)!["changes"]!.AsArray().Select(c => $"{c!["object"]}.{c["field"]} {c["kind"]}").ToList();
            Assert.Equal(["Account.Industry PicklistValueAdded", "Account.Loyalty_Tier__c FieldAdded"], changes);

            // Before the pull, code that uses the new member does not compile.
            File.WriteAllText(Path.Combine(app, "Program.cs"), ProgramV2);
            var failed = await RunAsync("dotnet", ["build", "-c", "Release", "-nologo"], app, expectedExit: 1);
            Assert.Contains("Loyalty_Tier", failed, StringComparison.Ordinal);

            output = await RunAsync(tool, ["pull", "--out", schema], app, env);
            Assert.Contains("1 written, 1 unchanged", output, StringComparison.Ordinal);
            await RunAsync("dotnet", ["build", "-c", "Release", "-nologo"], app);
            output = await RunAsync("dotnet", ["run", "-c", "Release", "--no-build", "--", "two"], app, env);
            Assert.Equal(["Generated two Banking True", "tier Gold Quantum Computing"], output.Trim().Split('\n'));
        }
    }

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    private static Dictionary<string, string> Connection(LocalOrg org) => new()
    {
        ["SF_INSTANCE_URL"] = org.InstanceUrl.ToString(),
        ["SF_ACCESS_TOKEN"] = org.CreateAccessToken(),
    };

    private static async Task<string> RunAsync(string file, string[] args, string directory, Dictionary<string, string>? environment = null, int expectedExit = 0)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        // A nested build must not inherit the test host's MSBuild settings.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {CommandTimeout}.");
        }

        var text = await stdout + await stderr;
        Assert.True(process.ExitCode == expectedExit, $"{file} {string.Join(' ', args)} exited {process.ExitCode}, expected {expectedExit}:\n{text}");
        return await stdout;
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Sdk.sln) was not found above " + AppContext.BaseDirectory);
    }
}
