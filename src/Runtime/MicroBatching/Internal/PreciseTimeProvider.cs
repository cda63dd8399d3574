namespace MicroBatching.Internal;

/// <summary>
/// The system clock with timers that fire within about 0.1 ms of their due time (see <see cref="PreciseTimerScheduler"/>).
/// Batchers use it when no <see cref="TimeProvider"/> is given; pass <see cref="TimeProvider.System"/> to opt out.
/// </summary>
internal sealed class PreciseTimeProvider : TimeProvider
{
    public static PreciseTimeProvider Instance { get; } = new();

    private PreciseTimeProvider()
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        CreateTimer(callback, state, dueTime, period, onCallbackFailure: null);

    /// <summary>Creates a timer whose callback's exceptions go to <paramref name="onCallbackFailure"/>.</summary>
    public ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period, Action<Exception>? onCallbackFailure)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new PreciseTimer(PreciseTimerScheduler.Shared, callback, state, onCallbackFailure);
        timer.Change(dueTime, period);
        return timer;
    }
}
