namespace MicroBatching.Internal;

/// <summary>A one-shot or periodic timer served by <see cref="PreciseTimerScheduler"/>.</summary>
internal sealed class PreciseTimer : ITimer
{
    private readonly PreciseTimerScheduler _scheduler;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly Action<Exception>? _onCallbackFailure;
    private long _periodTicks;
    private bool _disposed;

    public PreciseTimer(PreciseTimerScheduler scheduler, TimerCallback callback, object? state, Action<Exception>? onCallbackFailure)
    {
        _scheduler = scheduler;
        _callback = callback;
        _state = state;
        _onCallbackFailure = onCallbackFailure;
    }

    /// <summary>Bumped by every change; queue entries scheduled under an older version are stale.</summary>
    public long Version { get; private set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        long dueTicks = ToTimestampTicks(dueTime, nameof(dueTime));
        long periodTicks = ToTimestampTicks(period, nameof(period));
        lock (_scheduler.Gate)
        {
            if (_disposed)
            {
                return false;
            }

            Version++;
            _periodTicks = periodTicks;
            if (dueTicks >= 0)
            {
                _scheduler.ScheduleLocked(this, PreciseTimerScheduler.Now() + dueTicks, Version);
            }
        }

        return true;
    }

    /// <summary>Runs the callback on the scheduler thread; called with no lock held.</summary>
    public void Fire(long scheduledVersion)
    {
        _callback(_state);
        lock (_scheduler.Gate)
        {
            if (!_disposed && Version == scheduledVersion && _periodTicks > 0)
            {
                _scheduler.ScheduleLocked(this, PreciseTimerScheduler.Now() + _periodTicks, Version);
            }
        }
    }

    /// <summary>Hands an exception the callback threw to whoever created the timer; false if nobody can take it.</summary>
    public bool TryReportCallbackFailure(Exception exception)
    {
        if (_onCallbackFailure is null)
        {
            return false;
        }

        try
        {
            _onCallbackFailure(exception);
            return true;
        }
        catch (Exception)
        {
            // The sink is a logger that failed too; the timer thread must survive for every other timer.
            return false;
        }
    }

    public void Dispose()
    {
        lock (_scheduler.Gate)
        {
            _disposed = true;
            Version++;
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    // -1 for Timeout.InfiniteTimeSpan (never), as System.Threading.Timer does.
    private static long ToTimestampTicks(TimeSpan value, string paramName)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        if (value < TimeSpan.Zero || value.TotalMilliseconds > uint.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Must be Timeout.InfiniteTimeSpan or between 0 and 4294967294 ms.");
        }

        return (long)(value.Ticks * ((double)PreciseTimerScheduler.Frequency / TimeSpan.TicksPerSecond));
    }
}
