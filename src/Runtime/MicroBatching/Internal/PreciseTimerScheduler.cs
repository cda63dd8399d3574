using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// Fires <see cref="PreciseTimer"/>s from one background thread that waits until shortly before the earliest due time,
/// sleeps natively for most of the rest and yields the processor for the last microseconds, so timers fire within about
/// 0.1 ms. .NET's own timers run on a coarse clock and fire 1 to 5 ms late, which would add most of a batch's latency at
/// low load. See docs/architecture.md (Timing) for the measured cost.
/// </summary>
/// <remarks>
/// Callbacks run on the scheduler thread and must be short: the batcher's only marks a batch as due. An exception from a
/// callback goes to the timer's failure sink (the batcher's logger), and the thread goes on serving the other timers.
/// </remarks>
internal sealed class PreciseTimerScheduler
{
    private static readonly Lazy<PreciseTimerScheduler> s_shared = new(() => new PreciseTimerScheduler());

    // .NET's waits take whole milliseconds and wake a fraction of one late, so they cover only the stretch before the
    // last millisecond or two. Where the system can sleep for less (NativeSleep), one or two native sleeps cover the rest
    // but the last few microseconds, which are spent yielding; elsewhere the last 0.6 ms is. Yielding costs processor
    // time and every wake-up costs some too, so at low load the timer thread wakes about three times per deadline.
    private static readonly long s_waitWindow = NativeSleep.IsSupported ? Frequency * 2 / 1_000 : Frequency * 6 / 10_000;
    private static readonly long s_waitMargin = NativeSleep.IsSupported ? Frequency / 1_000 : s_waitWindow;
    private static readonly long s_spinWindow = NativeSleep.IsSupported ? Frequency * 5 / 100_000 : s_waitWindow;

    // A native sleep cannot be woken by a new, earlier timer, so it is kept to about a millisecond.
    private static readonly long s_maxNativeSleep = Frequency * 125 / 100_000;
    private bool _nativeSleepFailed;

    private readonly PriorityQueue<(PreciseTimer Timer, long Version), long> _queue = new();
    private readonly AutoResetEvent _wake = new(initialState: false);
    private Thread? _thread;
    private long _wakeAt = long.MaxValue;

    public static PreciseTimerScheduler Shared => s_shared.Value;

    public static long Frequency => Stopwatch.Frequency;

    public static long Now() => Stopwatch.GetTimestamp();

    public object Gate { get; } = new();

    public void ScheduleLocked(PreciseTimer timer, long dueTimestamp, long version)
    {
        _queue.Enqueue((timer, version), dueTimestamp);
        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "MicroBatching timer" };
            _thread.Start();
        }

        if (dueTimestamp < _wakeAt)
        {
            _wakeAt = dueTimestamp;
            _wake.Set();
        }
    }

    private void Run()
    {
        while (true)
        {
            PreciseTimer? due = null;
            long dueVersion = 0;
            long waitTicks = -1;
            lock (Gate)
            {
                while (_queue.TryPeek(out (PreciseTimer Timer, long Version) entry, out long dueAt))
                {
                    if (entry.Version != entry.Timer.Version)
                    {
                        _queue.Dequeue();
                        continue;
                    }

                    long now = Now();
                    if (dueAt <= now)
                    {
                        _queue.Dequeue();
                        (due, dueVersion) = entry;
                    }
                    else
                    {
                        waitTicks = dueAt - now;
                    }

                    break;
                }

                // While firing, no wake-up is needed: the queue is read again right after.
                _wakeAt = due is not null ? long.MinValue : waitTicks >= 0 ? Now() + waitTicks : long.MaxValue;
            }

            if (due is not null)
            {
                Fire(due, dueVersion);
            }
            else if (waitTicks < 0)
            {
                _wake.WaitOne();
            }
            else if (waitTicks > s_waitWindow)
            {
                _wake.WaitOne((int)Math.Max(1, (waitTicks - s_waitMargin) * 1000 / Frequency));
            }
            else if (waitTicks > s_spinWindow && !_nativeSleepFailed)
            {
                long sleepTicks = Math.Min(waitTicks - s_spinWindow, s_maxNativeSleep);
                _nativeSleepFailed = !NativeSleep.Sleep(TimeSpan.FromSeconds((double)sleepTicks / Frequency));
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private static void Fire(PreciseTimer timer, long version)
    {
        try
        {
            timer.Fire(version);
        }
        catch (Exception exception)
        {
            // Losing this thread would stop every batcher's timer: the failure goes to the timer's owner, and the thread
            // goes on. A timer with no owner to tell, or whose owner's logger throws too, has nowhere left to report.
            timer.TryReportCallbackFailure(exception);
        }
    }
}
