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

    /// <summary>Whether waiting once more would pass the timeout (the caller then throws its own timeout error).</summary>
    public bool Expired => time.GetUtcNow() - _started + _delay > timeout;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(_delay, time, cancellationToken).ConfigureAwait(false);
        _delay = TimeSpan.FromTicks(Math.Min(maxInterval.Ticks, (long)(_delay.Ticks * 1.5)));
    }
}
