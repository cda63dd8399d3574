namespace MicroBatching.Internal;

/// <summary>
/// Watches every resumption of callers in the process that may stall. A runner inside a continuation that does not return
/// cannot call for help itself, so one timer for the whole process, armed only while some resumption is under way,
/// looks at each every <see cref="Interval"/>; a resumption that has taken no caller since the last look gets a helper.
/// </summary>
/// <remarks>
/// The watch is about liveness, not about when batches leave, so it runs on the real clock whatever
/// <see cref="TimeProvider"/> a batcher uses: a stuck continuation is rescued under a test's fake clock too.
/// Watched resumptions form a lock-free stack. Only the timer callback takes from it, and it takes the whole stack at once,
/// so the stack never sees ABA. A resumption is on it at most once (<see cref="WatchedResumption.TryStartWatch"/>).
/// </remarks>
internal static class ResumeWatchdog
{
    /// <summary>How often the watched resumptions are looked at; a stuck runner's siblings wait one to two of these.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1);

    private static readonly ITimer s_timer = PreciseTimeProvider.Instance.CreateTimer(
        static _ => Look(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private static WatchedResumption? s_watched;

    // 1 while a look is scheduled or running: whoever sets it arms the timer, and the look clears it when done.
    private static int s_armed;

    /// <summary>Starts watching a resumption its owner has just marked with <see cref="WatchedResumption.TryStartWatch"/>.</summary>
    public static void Watch(WatchedResumption resumption)
    {
        Push(resumption);
        Arm();
    }

    private static void Push(WatchedResumption resumption)
    {
        WatchedResumption? head = Volatile.Read(ref s_watched);
        while (true)
        {
            resumption.NextWatched = head;
            WatchedResumption? seen = Interlocked.CompareExchange(ref s_watched, resumption, head);
            if (ReferenceEquals(seen, head))
            {
                return;
            }

            head = seen;
        }
    }

    private static void Arm()
    {
        if (Interlocked.Exchange(ref s_armed, 1) == 0)
        {
            s_timer.Change(Interval, Timeout.InfiniteTimeSpan);
        }
    }

    private static void Look()
    {
        WatchedResumption? resumption = Interlocked.Exchange(ref s_watched, null);
        while (resumption is not null)
        {
            WatchedResumption? next = resumption.NextWatched;
            resumption.NextWatched = null;
            if (resumption.Look() || resumption.StopWatchUnlessRestarted())
            {
                Push(resumption);
            }

            resumption = next;
        }

        // Cleared before the stack is read again, so a resumption pushed meanwhile is either seen here or arms the timer.
        Interlocked.Exchange(ref s_armed, 0);
        if (Volatile.Read(ref s_watched) is not null)
        {
            Arm();
        }
    }
}

/// <summary>What <see cref="ResumeWatchdog"/> watches: a batch while its callers are being resumed.</summary>
internal abstract class WatchedResumption
{
    // 1 while on the watch stack or being looked at.
    private int _watched;

    /// <summary>The next resumption on the watch stack; only the watchdog touches it.</summary>
    internal WatchedResumption? NextWatched;

    /// <summary>Whether callers are still being resumed.</summary>
    protected abstract bool IsUnderWay { get; }

    /// <summary>Marks the resumption as watched; false if it already is, in which case the watchdog will see it anyway.</summary>
    public bool TryStartWatch() => Interlocked.CompareExchange(ref _watched, 1, 0) == 0;

    /// <summary>Looks once, helping if the resumption has stalled; returns whether to keep watching.</summary>
    public abstract bool Look();

    /// <summary>
    /// Stops watching an ended resumption; returns true, keeping the watch, if a new resumption of the same pooled batch
    /// has started meanwhile, whose own <see cref="TryStartWatch"/> may have failed while this one was still watched.
    /// </summary>
    public bool StopWatchUnlessRestarted()
    {
        Interlocked.Exchange(ref _watched, 0);
        return IsUnderWay && TryStartWatch();
    }
}
