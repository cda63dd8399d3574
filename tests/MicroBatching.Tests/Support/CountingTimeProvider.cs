using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests.Support;

/// <summary>A <see cref="FakeTimeProvider"/> that counts the timers created and how often they are armed.</summary>
internal sealed class CountingTimeProvider : TimeProvider
{
    private int _timersCreated;
    private int _timerChanges;

    public FakeTimeProvider Fake { get; } = new();

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public int TimerChanges => Volatile.Read(ref _timerChanges);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

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

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
