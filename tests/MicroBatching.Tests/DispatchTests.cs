using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rules 1 to 3: when a batch is dispatched, and where each result goes. The rules: docs/semantics.md.</summary>
public sealed class DispatchTests
{
    [Fact]
    public async Task Rule1_FullBatchIsDispatchedWithoutWaitingForTheTimer()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x * 10);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = TimeSpan.FromHours(1) }, time);

        ValueTask<int>[] calls = [.. Enumerable.Range(1, 4).Select(i => batcher.ProcessAsync(i))];

        // No time has passed: only the size trigger can have dispatched the batch.
        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
        int[] results = await Task.WhenAll(calls.Select(c => c.WithTimeout()));
        Assert.Equal([10, 20, 30, 40], results);
        Assert.Equal([1, 2, 3, 4], Assert.Single(function.Calls));
    }

    [Fact]
    public async Task Rule1_ItemsBeyondAFullBatchStartTheNextBatch()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1) }, time);

        ValueTask<int>[] calls = [.. Enumerable.Range(1, 7).Select(i => batcher.ProcessAsync(i))];
        await Task.WhenAll(calls.Take(6).Select(c => c.WithTimeout()));

        Assert.Equal(2, batcher.GetStatistics().BatchesDispatched);
        Assert.Equal(1, batcher.GetStatistics().PendingItems);
        Assert.False(calls[6].IsCompleted);
    }

    [Fact]
    public async Task Rule2_PartialBatchIsDispatchedMaxWaitAfterItsFirstItemAndNotBefore()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x + 1);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromMilliseconds(10) }, time);

        ValueTask<int> first = batcher.ProcessAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(6));
        ValueTask<int> second = batcher.ProcessAsync(2);

        // 10 ms after the first item, not after the second.
        time.Advance(TimeSpan.FromMilliseconds(4) - TimeSpan.FromTicks(1));
        Assert.Equal(0, batcher.GetStatistics().BatchesDispatched);
        Assert.False(first.IsCompleted);

        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
        Assert.Equal(2, await first.WithTimeout());
        Assert.Equal(3, await second.WithTimeout());
        Assert.Equal([1, 2], Assert.Single(function.Calls));
    }

    [Fact]
    public async Task Rule2_OneTimerPerBatcherArmedOncePerBatchNeverPerCall()
    {
        var time = new CountingTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 100, MaxWaitTime = TimeSpan.FromMilliseconds(10) }, time);

        for (int batch = 0; batch < 5; batch++)
        {
            ValueTask<int>[] calls = [.. Enumerable.Range(0, 20).Select(i => batcher.ProcessAsync(i))];
            time.Fake.Advance(TimeSpan.FromMilliseconds(10));
            await Task.WhenAll(calls.Select(c => c.WithTimeout()));
        }

        Assert.Equal(1, time.TimersCreated);
        Assert.Equal(5, time.TimerChanges);
        Assert.Equal(5, function.Calls.Count);
    }

    [Fact]
    public async Task Rule2_EachBatchWaitsFromItsOwnFirstItem()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromMilliseconds(10) }, time);

        // A full batch at t=0, then a lone item at t=8: it must wait until t=18, not fire with the first batch's timer.
        ValueTask<int>[] full = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        await Task.WhenAll(full.Select(c => c.WithTimeout()));
        time.Advance(TimeSpan.FromMilliseconds(8));
        ValueTask<int> lone = batcher.ProcessAsync(3);

        time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, await lone.WithTimeout());
    }

    [Fact]
    public async Task Rule2_ZeroMaxWaitDispatchesAtOnce()
    {
        var function = new RecordingBatchFunction<int, int>(x => -x);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.Zero }, new FakeTimeProvider());

        Assert.Equal(-5, await batcher.ProcessAsync(5).WithTimeout());
    }

    [Fact]
    public async Task Rule3_ItemsArriveInOrderAndEveryCallerGetsTheResultAtItsOwnIndex()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<string, string>(s => s.ToUpperInvariant());
        await using var batcher = new MicroBatcher<string, string>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 8, MaxWaitTime = TimeSpan.FromMilliseconds(5) }, time);

        string[] words = [.. Enumerable.Range(0, 20).Select(i => $"word{i}")];
        ValueTask<string>[] calls = [.. words.Select(w => batcher.ProcessAsync(w))];
        time.Advance(TimeSpan.FromMilliseconds(5));
        string[] results = await Task.WhenAll(calls.Select(c => c.WithTimeout()));

        Assert.Equal(words.Select(w => w.ToUpperInvariant()), results);
        Assert.Equal(words, function.Calls.SelectMany(c => c));
        Assert.Equal([8, 8, 4], function.Calls.Select(c => c.Length));
    }

    [Fact]
    public async Task Rule3_ConcurrentCallersEachReceiveTheirOwnResult()
    {
        var function = new RecordingBatchFunction<int, long>(x => (long)x * x);
        await using var batcher = new MicroBatcher<int, long>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 16, MaxWaitTime = TimeSpan.FromMilliseconds(1) });

        Task[] callers = [.. Enumerable.Range(0, 32).Select(caller => Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                int item = caller * 1000 + i;
                Assert.Equal((long)item * item, await batcher.ProcessAsync(item));
            }
        }))];

        await Task.WhenAll(callers).WithTimeout();
        Assert.Equal(32 * 200, function.Calls.Sum(c => c.Length));
        Assert.All(function.Calls, call => Assert.InRange(call.Length, 1, 16));
    }

    [Fact]
    public async Task Rule2_ZeroMaxWaitArmsNoTimer()
    {
        var clock = new CountingTimeProvider();
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = TimeSpan.Zero, DispatchMode = BatchDispatchMode.Timed }, clock);

        Assert.Equal(1, await batcher.ProcessAsync(1).WithTimeout());
        Assert.Equal(0, clock.TimersCreated);
    }
}
