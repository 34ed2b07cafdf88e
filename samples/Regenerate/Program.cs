// The regenerate loop, run against a local org whose Invoice__c changed since schema/ was pulled: a new restricted
// picklist Priority__c, and Notes__c deleted.
//
//   dotnet run --project samples/Regenerate              shows the types as built, the change, and what a pull would write
//   dotnet run --project samples/Regenerate -- --apply   pulls the change into schema/; the next build regenerates Invoice
//
// With a real org the loop is the same with your connection: sf-describe diff, then sf-describe pull, then dotnet build.
// `sf-describe pull --check` in CI fails the build (exit code 2) when the org drifted from the checked-in files.
using RegenerateSample.Org;
using Sdk.Cli.Describe;
using Sdk.Emulator;

var project = FindProject();
var schema = Path.Combine(project, "schema");
var options = new LocalOrgOptions();
options.SchemaDirectories.Add(Path.Combine(AppContext.BaseDirectory, "org-change"));
await using var org = await LocalOrg.StartAsync(options);

Console.WriteLine("1. The types as this build generated them from schema/");
Console.WriteLine($"   Invoice has {Invoice.Metadata.Fields.Count} fields; Notes__c: {(Invoice.Metadata.FindField("Notes__c") is null ? "no" : "yes")}; Priority__c: {(Invoice.Metadata.FindField("Priority__c") is null ? "no" : "yes")}");

var c = org.Credentials;
var environment = new Dictionary<string, string?>
{
    ["SF_LOGIN_URL"] = org.LoginUrl.ToString(), ["SF_CLIENT_ID"] = c.ClientId, ["SF_CLIENT_SECRET"] = c.ClientSecret,
    ["SF_USERNAME"] = c.Username, ["SF_PASSWORD"] = c.Password,
};
var context = new CliContext(Console.Out, Console.Error, name => environment.GetValueOrDefault(name), IsTerminal: false);

Console.WriteLine();
Console.WriteLine("2. sf-describe diff: what changed in the org since the pull");
var diff = await DescribeCli.RunAsync(["diff", "--objects", "Account,Invoice__c", "--schema", schema], context);
Console.WriteLine($"   (exit code {diff}: {(diff == ExitCodes.Drift ? "the org drifted" : "no drift")})");

Console.WriteLine();
var apply = args.Contains("--apply");
var target = apply ? schema : Directory.CreateTempSubdirectory("regenerate-").FullName;
if (!apply)
{
    foreach (var file in Directory.GetFiles(schema))
    {
        File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }
}

Console.WriteLine($"3. sf-describe pull into {(apply ? "schema/" : "a scratch copy of schema/ (run with --apply to update schema/)")}");
var pull = await DescribeCli.RunAsync(["pull", "--objects", "Account,Invoice__c", "--out", target], context);
Console.WriteLine($"   (exit code {pull})");
Console.WriteLine(apply
    ? "   schema/ now matches the org: `dotnet build` regenerates Invoice with Priority (InvoicePriority.High, InvoicePriority.Low) and without Notes, so code that still uses Notes stops compiling, where you can see it."
    : "   run with --apply to write it to schema/, then build: the generator regenerates Invoice from the files at build time.");

if (!apply)
{
    Directory.Delete(target, recursive: true);
}

static string FindProject()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Regenerate.csproj")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run the sample from its project (dotnet run --project samples/Regenerate).");
}
