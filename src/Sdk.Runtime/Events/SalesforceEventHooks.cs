namespace Sdk.Runtime.Events;

/// <summary>
/// Subscriptions to the client's events. Handlers run on a background dispatcher in the order events happened, never on the
/// request path; a handler that throws is logged and does not fail the request. Subscribe before or after the client is built;
/// dispose the returned object to unsubscribe.
/// </summary>
public sealed class SalesforceEventHooks
{
    private volatile Subscription[] _subscriptions = [];
    private readonly Lock _gate = new();

    /// <summary>Subscribes a synchronous handler to events of type <typeparamref name="TEvent"/> (or a base type such as <see cref="SalesforceEvent"/>).</summary>
    /// <returns>An object whose disposal unsubscribes.</returns>
    public IDisposable Subscribe<TEvent>(Action<TEvent> handler)
        where TEvent : SalesforceEvent
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new Subscription(typeof(TEvent), (e, _) =>
        {
            handler((TEvent)e);
            return ValueTask.CompletedTask;
        }));
    }

    /// <summary>Subscribes an asynchronous handler to events of type <typeparamref name="TEvent"/>.</summary>
    /// <returns>An object whose disposal unsubscribes.</returns>
    public IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, ValueTask> handler)
        where TEvent : SalesforceEvent
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new Subscription(typeof(TEvent), (e, ct) => handler((TEvent)e, ct)));
    }

    /// <summary>Whether anybody listens to events of this type.</summary>
    internal bool HasAny => _subscriptions.Length > 0;

    internal bool HasSubscribers(Type eventType)
    {
        foreach (var s in _subscriptions)
        {
            if (s.EventType.IsAssignableFrom(eventType))
            {
                return true;
            }
        }

        return false;
    }

    internal Subscription[] Current => _subscriptions;

    private Subscription Add(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }

        subscription.Owner = this;
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.Where(s => !ReferenceEquals(s, subscription)).ToArray();
        }
    }

    internal sealed class Subscription(Type eventType, Func<SalesforceEvent, CancellationToken, ValueTask> handler) : IDisposable
    {
        public Type EventType { get; } = eventType;

        public Func<SalesforceEvent, CancellationToken, ValueTask> Handler { get; } = handler;

        public SalesforceEventHooks? Owner { get; set; }

        public void Dispose() => Owner?.Remove(this);
    }
}
