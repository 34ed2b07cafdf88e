namespace Sdk.Runtime.Tests.TestSupport;

/// <summary>
/// A clock for tests: time moves only when a timer fires or the test advances it. Every timer fires at once (on the thread
/// pool), moving the clock forward by its due time, so backoff delays cost no real time. Not for tests of timeouts.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public List<TimeSpan> Delays { get; } = [];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new InstantTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class InstantTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed || dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            lock (owner._gate)
            {
                owner.Delays.Add(dueTime);
            }

            owner.Advance(dueTime);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!_disposed)
                {
                    callback(state);
                }
            });
            return true;
        }

        public void Dispose() => _disposed = true;

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
