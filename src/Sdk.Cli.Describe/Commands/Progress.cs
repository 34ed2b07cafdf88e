using Spectre.Console;

namespace Sdk.Cli.Describe.Commands;

/// <summary>Progress of per-object work on stderr: a Spectre.Console bar on a terminal, plain numbered lines otherwise.</summary>
internal static class ObjectProgress
{
    public static async Task RunAsync(CliContext context, string title, IReadOnlyList<string> objects, Func<string, Task<string>> work, int concurrency, CancellationToken cancellationToken)
    {
        var done = 0;
        if (context.IsTerminal)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
            await console.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var task = progress.AddTask(title, maxValue: Math.Max(1, objects.Count));
                await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (name, _) =>
                {
                    await work(name).ConfigureAwait(false);
                    task.Increment(1);
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return;
        }

        using var gate = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (name, token) =>
        {
            var outcome = await work(name).ConfigureAwait(false);
            await gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await context.Error.WriteLineAsync($"[{++done}/{objects.Count}] {name}: {outcome}").ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ConfigureAwait(false);
    }
}
