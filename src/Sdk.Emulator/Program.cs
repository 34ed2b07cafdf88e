using System.CommandLine;
using System.Globalization;
using Sdk.Emulator;

// The local org as a process: dotnet run --project src/Sdk.Emulator -- --port 8443 --seed 1 [--schema dir] [--data file].
var port = new Option<int>("--port") { Description = "The loopback port (0 picks a free one).", DefaultValueFactory = _ => 8443 };
var schema = new Option<DirectoryInfo[]>("--schema") { Description = "A directory of describe files to load (repeatable)." };
var seed = new Option<int?>("--seed") { Description = "Seed of the deterministic sample data; omit for an empty org." };
var data = new Option<FileInfo?>("--data") { Description = "A file the records are loaded from at start and saved to at a clean shutdown." };
var noBuiltIn = new Option<bool>("--no-built-in-schema") { Description = "Load only the --schema directories." };
var limit = new Option<long>("--api-limit") { Description = "The daily API request limit.", DefaultValueFactory = _ => 100_000 };
var lifetime = new Option<int>("--token-minutes") { Description = "How long access tokens are valid, in minutes.", DefaultValueFactory = _ => 120 };
var latency = new Option<int>("--latency-ms") { Description = "A delay added to every API request, standing for the network to a real org.", DefaultValueFactory = _ => 0 };

var root = new RootCommand("A local Salesforce org on loopback: OAuth and SOAP login, describe, sObject CRUD and SOQL, in Salesforce's wire format.")
{
    port, schema, seed, data, noBuiltIn, limit, lifetime, latency,
};

root.SetAction(async (result, cancellationToken) =>
{
    var options = new LocalOrgOptions
    {
        Port = result.GetValue(port),
        Seed = result.GetValue(seed),
        DataFile = result.GetValue(data)?.FullName,
        IncludeBuiltInSchema = !result.GetValue(noBuiltIn),
        DailyApiLimit = result.GetValue(limit),
        TokenLifetime = TimeSpan.FromMinutes(result.GetValue(lifetime)),
        Latency = TimeSpan.FromMilliseconds(result.GetValue(latency)),
    };
    foreach (var directory in result.GetValue(schema) ?? [])
    {
        options.SchemaDirectories.Add(directory.FullName);
    }

    await using var org = await LocalOrg.StartAsync(options, cancellationToken);
    var credentials = org.Credentials;
    var output = Console.Out;
    await output.WriteLineAsync($"Local org listening at {org.InstanceUrl}");
    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  objects:        {string.Join(", ", org.Objects)} ({org.RecordCount} records)"));
    await output.WriteLineAsync($"  username:       {credentials.Username}");
    await output.WriteLineAsync($"  password:       {credentials.Password} (security token {credentials.SecurityToken}, optional)");
    await output.WriteLineAsync($"  client id:      {credentials.ClientId}");
    await output.WriteLineAsync($"  client secret:  {credentials.ClientSecret}");
    await output.WriteLineAsync("These are the local org's fixed development credentials. Press Ctrl+C to stop.");

    // Ctrl+C (SIGINT) and SIGTERM stop the org cleanly: the signal is handled here, the records are saved, the exit code is 0.
    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        stop.TrySetResult();
    }

    using (System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal))
    using (System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal))
    using (cancellationToken.Register(() => stop.TrySetResult()))
    {
        await stop.Task;
    }

    await org.StopAsync(CancellationToken.None);
    await output.WriteLineAsync(options.DataFile is null ? "Stopped." : $"Stopped; records saved to {options.DataFile}.");
    return 0;
});

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
