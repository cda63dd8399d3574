using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rule 4: at most MaxConcurrentBatches calls run at once, and batches grow while every slot is busy. The rules: docs/semantics.md.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Rule4_AtMostMaxConcurrentBatchesRunAtOnce()
    {
        var time = new FakeTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), MaxConcurrentBatches = 3 }, time);

        ValueTask<int>[] calls = [.. Enumerable.Range(0, 10).Select(i => batcher.ProcessAsync(i))];
        var running = new List<BatchCall<int, int>>();
        for (int i = 0; i < 3; i++)
        {
            running.Add(await function.NextCallAsync());
        }

        // Five full batches, three slots: two batches wait.
        Assert.Equal(3, batcher.GetStatistics().BatchesInFlight);
        Assert.Equal(3, batcher.GetStatistics().BatchesDispatched);
        Assert.False(function.TryGetCall(out _));

        running[0].Complete(x => x);
        BatchCall<int, int> fourth = await function.NextCallAsync();
        Assert.Equal([6, 7], fourth.Items);
        foreach (BatchCall<int, int> call in running.Skip(1).Append(fourth))
        {
            call.Complete(x => x);
        }

        (await function.NextCallAsync()).Complete(x => x);
        await Task.WhenAll(calls.Select(c => c.WithTimeout()));
        Assert.Equal(3, function.MaxConcurrentCalls);
    }

    [Fact]
    public async Task Rule4_ItemsArrivingWhileEverySlotIsBusyAccumulateIntoTheNextBatch()
    {
        var time = new FakeTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = TimeSpan.FromMilliseconds(10) }, time);

        ValueTask<int> first = batcher.ProcessAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(10));
        BatchCall<int, int> running = await function.NextCallAsync();

        // The next batch's wait expires while the only slot is busy: it is not sealed, and keeps taking items.
        ValueTask<int> second = batcher.ProcessAsync(2);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
        ValueTask<int> third = batcher.ProcessAsync(3);
        ValueTask<int> fourth = batcher.ProcessAsync(4);
        Assert.Equal(3, batcher.GetStatistics().PendingItems);

        running.Complete(x => x * 2);
        BatchCall<int, int> grown = await function.NextCallAsync();
        Assert.Equal([2, 3, 4], grown.Items);
        grown.Complete(x => x * 2);

        int[] results = await Task.WhenAll(new[] { first, second, third, fourth }.Select(c => c.WithTimeout()));
        Assert.Equal([2, 4, 6, 8], results);
    }

    [Fact]
    public async Task Rule4_AnExpiredBatchGrowsOnlyUpToMaxBatchSize()
    {
        var time = new FakeTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromMilliseconds(10) }, time);

        ValueTask<int> blocker = batcher.ProcessAsync(0);
        time.Advance(TimeSpan.FromMilliseconds(10));
        BatchCall<int, int> running = await function.NextCallAsync();

        ValueTask<int>[] waiting = [.. Enumerable.Range(1, 5).Select(i => batcher.ProcessAsync(i))];
        time.Advance(TimeSpan.FromMilliseconds(10));
        running.Complete(x => x);

        BatchCall<int, int> full = await function.NextCallAsync();
        Assert.Equal([1, 2, 3], full.Items);
        full.Complete(x => x);
        BatchCall<int, int> rest = await function.NextCallAsync();
        Assert.Equal([4, 5], rest.Items);
        rest.Complete(x => x);
        await Task.WhenAll(waiting.Append(blocker).Select(c => c.WithTimeout()));
    }

    [Fact]
    public async Task Rule4_AFullBatchWaitsForAFreeSlot()
    {
        var time = new FakeTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, time);

        ValueTask<int>[] calls = [.. Enumerable.Range(1, 4).Select(i => batcher.ProcessAsync(i))];
        BatchCall<int, int> first = await function.NextCallAsync();

        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);
        Assert.Equal(2, batcher.GetStatistics().PendingItems);
        Assert.False(function.TryGetCall(out _));

        first.Complete(x => x);
        BatchCall<int, int> second = await function.NextCallAsync();
        Assert.Equal([3, 4], second.Items);
        second.Complete(x => x);
        await Task.WhenAll(calls.Select(c => c.WithTimeout()));
        Assert.Equal(1, function.MaxConcurrentCalls);
    }
}
