using Task = System.Threading.Tasks.Task;

namespace Sdk.IntegrationTests;

/// <summary>Records handed over as an application's async source would: one at a time, asynchronously.</summary>
public static class Sources
{
    /// <summary>The items, each after a yield; then <paramref name="error"/> is thrown, when given (a source that breaks).</summary>
    public static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items, Exception? error = null)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }

        if (error is not null)
        {
            throw error;
        }
    }
}
