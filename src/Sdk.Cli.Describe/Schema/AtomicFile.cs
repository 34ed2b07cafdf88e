namespace Sdk.Cli.Describe.Schema;

/// <summary>Writes a file so that it is either the old or the new content, never half of one: a temp file, then a move.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> unless the file already holds exactly them; returns whether it wrote.</summary>
    public static async Task<bool> WriteIfChangedAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        if (await HoldsAsync(path, bytes, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return true;
    }

    /// <summary>Whether the file exists and holds exactly <paramref name="bytes"/>.</summary>
    public static async Task<bool> HoldsAsync(string path, byte[] bytes, CancellationToken cancellationToken)
        => File.Exists(path) && (await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)).AsSpan().SequenceEqual(bytes);
}
