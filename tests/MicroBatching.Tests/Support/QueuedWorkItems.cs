#if DEBUG
using MicroBatching.Internal;

namespace MicroBatching.Tests.Support;

/// <summary>
/// Takes the work items a batcher queues from the test thread, instead of the thread pool, and runs them on that
/// thread when the test says, so a test can see exactly what one work item did. Debug builds only (<see cref="WorkItems"/>).
/// </summary>
/// <remarks>
/// The test must stay on its thread while this is in use: a synchronous test, with no synchronization context to send
/// continuations elsewhere.
/// </remarks>
internal sealed class QueuedWorkItems : IDisposable
{
    private readonly List<IThreadPoolWorkItem> _items = [];
    private readonly SynchronizationContext? _context = SynchronizationContext.Current;

    public QueuedWorkItems()
    {
        SynchronizationContext.SetSynchronizationContext(null);
        WorkItems.Explorer = _items.Add;
    }

    /// <summary>The work items queued and not yet run, oldest first.</summary>
    public IReadOnlyList<IThreadPoolWorkItem> Pending => _items;

    /// <summary>
    /// Runs <paramref name="action"/> the first time this thread reaches the scheduling point <paramref name="where"/>
    /// (<see cref="SchedulingPoint"/>), as another thread's step taken exactly there.
    /// </summary>
    public void OnceAt(string where, Action action)
    {
        bool done = false;
        SchedulingPoint.Hook = reached =>
        {
            if (reached == where && !done)
            {
                done = true;
                action();
            }
        };
    }

    /// <summary>Stops acting at scheduling points.</summary>
    public void StopActing() => SchedulingPoint.Hook = null;

    /// <summary>Runs the oldest queued work item.</summary>
    public void RunNext()
    {
        IThreadPoolWorkItem item = _items[0];
        _items.RemoveAt(0);
        item.Execute();
    }

    /// <summary>Runs work items, those they queue included, until none is left.</summary>
    public void RunAll()
    {
        for (int run = 0; _items.Count > 0; run++)
        {
            Assert.True(run < 100_000, "The batcher keeps queuing work items: it spins.");
            RunNext();
        }
    }

    /// <summary>The result of a call that must have completed by now: run work items resume callers synchronously.</summary>
    public static T ResultOf<T>(Task<T> call)
    {
        Assert.True(call.IsCompletedSuccessfully, $"The call is {call.Status}, not completed with a result.");
        return call.Result;
    }

    public void Dispose()
    {
        WorkItems.Explorer = null;
        SchedulingPoint.Hook = null;
        SynchronizationContext.SetSynchronizationContext(_context);
    }
}
#endif
