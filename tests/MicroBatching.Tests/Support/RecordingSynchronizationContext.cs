namespace MicroBatching.Tests.Support;

/// <summary>
/// A synchronization context that counts what is posted to it and runs it on the thread pool, without itself as the
/// current context there: a test calls the code under test through <see cref="Run{T}"/> and expects no post.
/// </summary>
internal sealed class RecordingSynchronizationContext : SynchronizationContext
{
    private int _posts;

    public int Posts => Volatile.Read(ref _posts);

    public override void Post(SendOrPostCallback callback, object? state)
    {
        Interlocked.Increment(ref _posts);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
    }

    /// <summary>Calls <paramref name="call"/> with this context current, as a UI thread or a single-threaded request would.</summary>
    public T Run<T>(Func<T> call)
    {
        SynchronizationContext? previous = Current;
        SetSynchronizationContext(this);
        try
        {
            return call();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
