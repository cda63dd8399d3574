using System.Diagnostics;
using MicroBatching.Internal;

namespace MicroBatching.Tests;

/// <summary>The default timer uses real time; bounds here are generous, precision itself is measured in the benchmarks.</summary>
public sealed class PreciseTimerTests
{
    [Fact]
    public async Task OneShotTimerFiresOnceAfterItsDueTime()
    {
        var fired = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        int count = 0;
        long start = Stopwatch.GetTimestamp();
        using ITimer timer = PreciseTimeProvider.Instance.CreateTimer(_ =>
        {
            Interlocked.Increment(ref count);
            fired.TrySetResult(Stopwatch.GetTimestamp());
        }, null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);

        long firedAt = await fired.Task.WithTimeout();
        Assert.True(Stopwatch.GetElapsedTime(start, firedAt) >= TimeSpan.FromMilliseconds(20));
        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref count));
    }

    [Fact]
    public async Task ChangeReschedulesAndDisposeCancels()
    {
        int count = 0;
        ITimer timer = PreciseTimeProvider.Instance.CreateTimer(_ => Interlocked.Increment(ref count), null,
            TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);
        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        await Task.Delay(80);
        Assert.Equal(0, Volatile.Read(ref count));

        timer.Dispose();
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        await Task.Delay(30);
        Assert.Equal(0, Volatile.Read(ref count));
    }

    [Fact]
    public async Task PeriodicTimerFiresRepeatedly()
    {
        int count = 0;
        using ITimer timer = PreciseTimeProvider.Instance.CreateTimer(_ => Interlocked.Increment(ref count), null,
            TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        await WaitUntilAsync(() => Volatile.Read(ref count) >= 3, "the timer fired three times");
    }

    [Fact]
    public void InvalidDueTimeThrows()
    {
        using ITimer timer = PreciseTimeProvider.Instance.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.FromMilliseconds(-5), Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public async Task BatcherWithTheDefaultClockDispatchesAPartialBatchAfterMaxWait()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 100, MaxWaitTime = TimeSpan.FromMilliseconds(15) });

        long start = Stopwatch.GetTimestamp();
        Assert.Equal(9, await batcher.ProcessAsync(9).WithTimeout());
        Assert.True(Stopwatch.GetElapsedTime(start) >= TimeSpan.FromMilliseconds(15));
    }

    [Fact]
    public async Task ACallbackThatThrowsIsReportedAndTheTimerThreadGoesOnServingOtherTimers()
    {
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using ITimer failing = PreciseTimeProvider.Instance.CreateTimer(
            _ => throw new InvalidOperationException("callback failed"), null, TimeSpan.FromMilliseconds(5), Timeout.InfiniteTimeSpan,
            onCallbackFailure: exception => reported.TrySetResult(exception));
        using ITimer other = PreciseTimeProvider.Instance.CreateTimer(
            _ => otherFired.TrySetResult(), null, TimeSpan.FromMilliseconds(40), Timeout.InfiniteTimeSpan);

        Assert.Equal("callback failed", (await reported.Task.WithTimeout()).Message);
        await otherFired.Task.WithTimeout();
    }

    [Fact]
    public async Task AFailureSinkThatThrowsDoesNotStopTheTimerThread()
    {
        var otherFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using ITimer failing = PreciseTimeProvider.Instance.CreateTimer(
            _ => throw new InvalidOperationException("callback failed"), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan,
            onCallbackFailure: _ => throw new InvalidOperationException("logger failed"));
        using ITimer other = PreciseTimeProvider.Instance.CreateTimer(
            _ => otherFired.TrySetResult(), null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);

        // Nothing is left to report to, but the thread must survive for every other batcher's timer.
        await otherFired.Task.WithTimeout();
    }
}
