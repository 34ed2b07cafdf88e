namespace Sdk.Runtime.Tests.TestSupport;

/// <summary>
/// A read-only stream like a network response: it answers only asynchronously (a synchronous read fails the test), a few
/// thousand bytes at a time, after yielding the thread; reads fail with an <see cref="IOException"/> once
/// <paramref name="failAfter"/> bytes were read. (Also compiled into the generator output tests.)
/// </summary>
internal sealed class AsyncOnlyStream(byte[] data, int chunk = 7_001, int failAfter = int.MaxValue) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (_position >= failAfter)
        {
            throw new IOException("disk gone");
        }

        var count = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
        data.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("This stream is read asynchronously only.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
