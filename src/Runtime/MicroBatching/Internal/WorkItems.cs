namespace MicroBatching.Internal;

/// <summary>
/// Where the batcher queues its work items: the thread pool. Debug builds let a schedule explorer take the work items
/// queued from its own thread instead, and run them in an order it chooses (tests/MicroBatching.Tests, ScheduleExplorer).
/// </summary>
internal static class WorkItems
{
#if DEBUG
    /// <summary>Takes the work items queued from this thread instead of the thread pool; null outside the explorer.</summary>
    [ThreadStatic]
    internal static Action<IThreadPoolWorkItem>? Explorer;
#endif

    /// <summary>
    /// Whether a schedule explorer runs this thread's work items. The resume watchdog then stays out: its thread would
    /// run work the explorer is meant to schedule.
    /// </summary>
#if DEBUG
    public static bool UnderExplorer => Explorer is not null;
#else
    public static bool UnderExplorer => false;
#endif

    public static void Queue(IThreadPoolWorkItem workItem, bool preferLocal)
    {
#if DEBUG
        if (Explorer is { } explorer)
        {
            explorer(workItem);
            return;
        }
#endif
        ThreadPool.UnsafeQueueUserWorkItem(workItem, preferLocal);
    }
}
