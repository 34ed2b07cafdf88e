using System.CommandLine;
using Sdk.Cli.Describe.Commands;

namespace Sdk.Cli.Describe;

/// <summary>The <c>sf-describe</c> command line.</summary>
public static class DescribeCli
{
    /// <summary>The root command with <c>pull</c>, <c>diff</c> and <c>list</c>.</summary>
    public static RootCommand Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RootCommand("sf-describe: pull a Salesforce org's sObject describes into deterministic schema files for the Sdk.Runtime source generator, and see what changed in the org. " + ExitCodes.Help)
        {
            PullCommandDefinition.Create(context),
            DiffCommandDefinition.Create(context),
            ListCommandDefinition.Create(context),
        };
    }

    /// <summary>Parses and runs a command line; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        return Create(context).Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
