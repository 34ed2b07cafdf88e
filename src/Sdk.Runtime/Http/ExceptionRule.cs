namespace Sdk.Runtime.Http;

/// <summary>A retry rule that matches exceptions thrown while sending (no response was received).</summary>
public sealed class ExceptionRule
{
    private readonly Func<Exception, bool> _predicate;

    private ExceptionRule(Func<Exception, bool> predicate, int maxRetries, string name)
    {
        _predicate = predicate;
        MaxRetries = maxRetries;
        Name = name;
    }

    /// <summary>How often this rule may retry one request.</summary>
    public int MaxRetries { get; }

    /// <summary>The rule's name.</summary>
    public string Name { get; }

    internal bool Matches(Exception exception) => _predicate(exception);

    /// <summary>Matches exceptions of type <typeparamref name="TException"/> (or derived) that satisfy <paramref name="predicate"/>.</summary>
    /// <param name="predicate">An extra condition; null matches every such exception.</param>
    /// <param name="maxRetries">How often this rule may retry one request.</param>
    /// <param name="name">The rule's name in events and logs.</param>
    public static ExceptionRule For<TException>(Func<TException, bool>? predicate = null, int maxRetries = 3, string? name = null)
        where TException : Exception
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        return new(e => e is TException t && (predicate is null || predicate(t)), maxRetries, name ?? typeof(TException).Name);
    }

    /// <summary>Matches transport failures (<see cref="HttpRequestException"/>) other than timeouts.</summary>
    public static ExceptionRule TransportErrors(int maxRetries = 3)
        => For<HttpRequestException>(static e => e.InnerException is not TimeoutException, maxRetries, "transport");
}
