using Sdk.Cli.Describe;

return await DescribeCli.RunAsync(args, CliContext.FromConsole()).ConfigureAwait(false);
