namespace Sdk.Runtime.Bulk.Internal;

/// <summary>
/// The waits between status checks of a bulk job: from the first interval, growing by half each time up to a cap, within a
/// timeout measured on the client's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class PollSchedule(TimeProvider time, TimeSpan interval, TimeSpan maxInterval, TimeSpan timeout)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private TimeSpan _delay = interval;

    public TimeSpan Timeout => timeout;

    /// <summary>Checks the polling options of Bulk API 2.0 ingest and query and of Bulk API 1.0 waits.</summary>
    public static void Validate(TimeSpan interval, TimeSpan maxInterval, TimeSpan timeout)
    {
        if (interval <= TimeSpan.Zero || maxInterval < interval)
        {
            throw new ArgumentOutOfRangeException("PollInterval", interval, "PollInterval must be positive and not above MaxPollInterval.");
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Timeout", timeout, "Timeout must be positive.");
        }
    }

    /// <summary>Whether waiting once more would pass the timeout (the caller then throws its own timeout error).</summary>
    public bool Expired => time.GetUtcNow() - _started + _delay > timeout;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(_delay, time, cancellationToken).ConfigureAwait(false);
        _delay = TimeSpan.FromTicks(Math.Min(maxInterval.Ticks, (long)(_delay.Ticks * 1.5)));
    }
}
