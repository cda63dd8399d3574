using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

public sealed class AdaptiveDispatchTests
{
    private static MicroBatchOptions Adaptive(int maxConcurrentBatches = 1) => new()
    {
        MaxBatchSize = 8,
        MaxWaitTime = TimeSpan.FromMilliseconds(10),
        MaxConcurrentBatches = maxConcurrentBatches,
        DispatchMode = BatchDispatchMode.Adaptive,
    };

    [Fact]
    public async Task ALoneCallOnAnIdleBatcherIsDispatchedWithoutWaiting()
    {
        var function = new RecordingBatchFunction<int, int>(x => x + 1);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Adaptive(), new FakeTimeProvider());

        // No time passes: only the idle rule can dispatch it.
        Assert.Equal(2, await batcher.ProcessAsync(1).WithTimeout());
        Assert.Equal([1], Assert.Single(function.Calls));
    }

    [Fact]
    public async Task ItemsArrivingWhileABatchRunsAccumulateAndGoAsSoonAsItFinishes()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Adaptive(), new FakeTimeProvider());

        ValueTask<int> first = batcher.ProcessAsync(1);
        BatchCall<int, int> running = await function.NextCallAsync();
        ValueTask<int>[] waiting = [.. Enumerable.Range(2, 5).Select(i => batcher.ProcessAsync(i))];
        Assert.Equal(5, batcher.GetStatistics().PendingItems);

        running.Complete(x => x);
        BatchCall<int, int> grown = await function.NextCallAsync();
        Assert.Equal([2, 3, 4, 5, 6], grown.Items);
        grown.Complete(x => x);
        await Task.WhenAll(waiting.Append(first).Select(c => c.WithTimeout()));
    }

    // A quiet spell after the first batch left puts the next item long after any deadline the first one had: only its
    // own batch's timer can send it.
    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    public async Task WhileBusyAPartialBatchStillGoesAfterMaxWaitIfASlotIsFree(int quietMilliseconds)
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Adaptive(maxConcurrentBatches: 2), time, logger);

        ValueTask<int> first = batcher.ProcessAsync(1);
        BatchCall<int, int> running = await function.NextCallAsync();
        time.Advance(TimeSpan.FromMilliseconds(quietMilliseconds));

        // One batch runs, one slot is free: the batcher is not idle, so the next item waits for its timer.
        ValueTask<int> second = batcher.ProcessAsync(2);
        time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
        time.Advance(TimeSpan.FromMilliseconds(1));
        BatchCall<int, int> timed = await function.NextCallAsync();
        Assert.Equal([2], timed.Items);

        running.Complete(x => x);
        timed.Complete(x => x);
        await Task.WhenAll(first.WithTimeout(), second.WithTimeout());
        Assert.Equal(0, logger.Collector.Count);
    }

    [Fact]
    public async Task AnIdleDispatchArmsNoTimer()
    {
        var clock = new CountingTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Adaptive(), clock);

        ValueTask<int> call = batcher.ProcessAsync(1);
        (await function.NextCallAsync()).Complete(x => x);

        Assert.Equal(1, await call.WithTimeout());
        Assert.Equal(0, clock.TimerChanges);
    }
}
