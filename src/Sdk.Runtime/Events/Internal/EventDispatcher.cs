using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Sdk.Runtime.Events.Internal;

/// <summary>
/// Runs event handlers on one background loop, in order, off the request path.
/// </summary>
internal sealed partial class EventDispatcher : IAsyncDisposable
{
    private readonly SalesforceEventHooks _hooks;
    private readonly ILogger _logger;
    private readonly Channel<object> _channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _loop;

    public EventDispatcher(SalesforceEventHooks hooks, ILogger logger, TimeProvider timeProvider)
    {
        _hooks = hooks;
        _logger = logger;
        TimeProvider = timeProvider;
    }

    public TimeProvider TimeProvider { get; }

    public SalesforceEventHooks Hooks => _hooks;

    /// <summary>Whether an event of this type would reach a handler (so callers can skip building it).</summary>
    public bool IsEnabled<TEvent>() where TEvent : SalesforceEvent => _hooks.HasSubscribers(typeof(TEvent));

    /// <summary>Whether any handler is subscribed at all.</summary>
    public bool IsAnyEnabled => _hooks.HasAny;

    public void Publish(SalesforceEvent evt)
    {
        EnsureLoop();
        _channel.Writer.TryWrite(evt);
    }

    /// <summary>Completes when every event published before the call has been handled.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EnsureLoop();
        if (!_channel.Writer.TryWrite(marker))
        {
            return Task.CompletedTask;
        }

        return marker.Task.WaitAsync(cancellationToken);
    }

    private void EnsureLoop()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_gate)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource marker)
                {
                    marker.TrySetResult();
                    continue;
                }

                var evt = (SalesforceEvent)item;
                foreach (var subscription in _hooks.Current)
                {
                    if (!subscription.EventType.IsInstanceOfType(evt))
                    {
                        continue;
                    }

                    try
                    {
                        await subscription.Handler(evt, _stopping.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        LogHandlerFailed(_logger, ex, evt.GetType().Name);
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        if (_loop is { } loop)
        {
            try
            {
                await loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await _stopping.CancelAsync().ConfigureAwait(false);
            }
        }

        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "A Salesforce event handler for {EventType} threw; the request was not affected.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string eventType);
}
