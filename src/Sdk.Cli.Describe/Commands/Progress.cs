using Spectre.Console;

namespace Sdk.Cli.Describe.Commands;

/// <summary>Progress of per-object work on stderr: a Spectre.Console bar on a terminal, plain numbered lines otherwise.</summary>
internal static class ObjectProgress
{
    /// <summary>Writes a table to stdout: with colours on a terminal, plain and 160 columns wide otherwise (stable for scripts and tests).</summary>
    public static void WriteTable(CliContext context, Table table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Out),
            Ansi = context.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = context.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!context.IsTerminal)
        {
            console.Profile.Width = 160;
        }

        console.Write(table);
    }

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
