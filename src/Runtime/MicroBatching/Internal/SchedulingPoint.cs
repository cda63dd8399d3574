using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// A place in the lock-free code where another thread's step can matter. Debug builds call the explorer's hook there,
/// so it can run another caller's step (a cancellation, a result read) exactly at that point; release builds compile
/// the calls away.
/// </summary>
internal static class SchedulingPoint
{
#if DEBUG
    /// <summary>Called at every scheduling point reached on this thread; null outside the explorer.</summary>
    [ThreadStatic]
    internal static Action<string>? Hook;
#endif

    [Conditional("DEBUG")]
    public static void Here(string where)
    {
#if DEBUG
        Hook?.Invoke(where);
#endif
    }
}
