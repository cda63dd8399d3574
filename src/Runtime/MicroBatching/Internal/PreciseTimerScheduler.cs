using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// Fires <see cref="PreciseTimer"/>s from one background thread that sleeps until shortly before the earliest due time and
/// yields the processor for the rest, so timers fire within about 0.1 ms. .NET's own timers run on a coarse clock and
/// fire 1 to 5 ms late, which would add most of a batch's latency at low load.
/// </summary>
/// <remarks>Callbacks run on the scheduler thread and must be short: the batcher's only marks a batch as due.</remarks>
internal sealed class PreciseTimerScheduler
{
    private static readonly Lazy<PreciseTimerScheduler> s_shared = new(() => new PreciseTimerScheduler());

    // Sleeping is only accurate to a fraction of a millisecond; the last stretch is spent yielding.
    private static readonly long s_yieldWindow = Frequency * 6 / 10_000;

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
            else if (waitTicks > s_yieldWindow)
            {
                _wake.WaitOne((int)Math.Max(1, (waitTicks - s_yieldWindow) * 1000 / Frequency));
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
            // Callbacks are the library's own and guard themselves; losing the timer thread would stop every batcher.
            Debug.Fail($"A precise timer callback threw: {exception}");
        }
    }
}
