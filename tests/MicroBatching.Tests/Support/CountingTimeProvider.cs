using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests.Support;

/// <summary>A <see cref="FakeTimeProvider"/> that counts the timers created, how often they are armed, and how many were disposed.</summary>
internal sealed class CountingTimeProvider : TimeProvider
{
    private int _timersCreated;
    private int _timerChanges;
    private int _timersDisposed;

    public FakeTimeProvider Fake { get; } = new();

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public int TimerChanges => Volatile.Read(ref _timerChanges);

    public int TimersDisposed => Volatile.Read(ref _timersDisposed);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    /// <summary>Moves the clock the batcher reads ahead of the fake one, without firing the fake one's timers.</summary>
    public TimeSpan Skew { get; set; }

    public override long GetTimestamp() => Fake.GetTimestamp() + (long)(Skew.TotalSeconds * Fake.TimestampFrequency);

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timersCreated);
        return new CountingTimer(this, Fake.CreateTimer(callback, state, dueTime, period));
    }

    private sealed class CountingTimer(CountingTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Interlocked.Increment(ref owner._timerChanges);
            }

            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Interlocked.Increment(ref owner._timersDisposed);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref owner._timersDisposed);
            return inner.DisposeAsync();
        }
    }
}
