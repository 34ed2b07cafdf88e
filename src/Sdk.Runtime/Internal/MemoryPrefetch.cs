using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Sdk.Runtime.Records;

namespace Sdk.Runtime.Internal;

/// <summary>
/// Asks the processor to bring a record's memory into its cache before the record is read. Writing a row reads fields
/// spread over the whole record (an <c>Account</c> is about 800 bytes, 13 cache lines), in an order the hardware does
/// not predict; with many records held, each row would otherwise wait on memory several times.
/// </summary>
/// <remarks>
/// Only a hint: a prefetch never faults and changes nothing the program sees. An object the garbage collector moves
/// between reading its address and the prefetch only makes that prefetch useless. Does nothing where the processor has no
/// such instruction in .NET (outside x86/x64).
/// </remarks>
internal static class MemoryPrefetch<T>
    where T : SObject, ISObjectType<T>
{
    private const int CacheLine = 64;

    /// <summary>At most this much of a record is fetched: the fields past it are read late anyway.</summary>
    private const int MaxBytes = 4096;

    /// <summary>The bytes of a record that <see cref="Record"/> fetches: what one record of <typeparamref name="T"/> takes, learned once from an empty one.</summary>
    internal static readonly int Bytes = Measure();

    private static int Measure()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var record = T.Create();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(record);
        return (int)Math.Clamp(bytes, CacheLine, MaxBytes);
    }

    /// <summary>Asks for the cache lines of <paramref name="record"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Record(T record)
    {
        if (Sse.IsSupported)
        {
            var start = (byte*)Unsafe.As<T, nint>(ref record);
            for (var offset = 0; offset < Bytes; offset += CacheLine)
            {
                Sse.Prefetch0(start + offset);
            }
        }
    }
}
