using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rule 10: with batching disabled every call is a batch of one, under the same rules. The rules: docs/semantics.md.</summary>
public sealed class DisabledBatchingTests
{
    private static MicroBatchOptions Disabled(int maxConcurrentBatches = 1, int queueCapacity = 0) => new()
    {
        Enabled = false,
        MaxBatchSize = 32,
        MaxWaitTime = TimeSpan.FromHours(1),
        MaxConcurrentBatches = maxConcurrentBatches,
        QueueCapacity = queueCapacity,
        QueueFullMode = QueueFullMode.Reject,
    };

    [Fact]
    public async Task Rule10_EachCallInvokesTheBatchFunctionWithAOneItemListAtOnce()
    {
        var function = new RecordingBatchFunction<int, int>(x => x * 3);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Disabled(maxConcurrentBatches: 4), new FakeTimeProvider());

        int[] results = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => batcher.ProcessAsync(i).WithTimeout()));

        Assert.Equal([3, 6, 9, 12, 15], results);
        Assert.Equal(5, function.Calls.Count);
        Assert.All(function.Calls, call => Assert.Single(call));
    }

    [Fact]
    public async Task Rule10_ErrorsFaultOnlyTheirOwnCall()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => items[0] < 0 ? throw new ArgumentException("negative") : ValueTask.FromResult<IReadOnlyList<int>>([items[0]]),
            Disabled(), new FakeTimeProvider());

        await Assert.ThrowsAsync<ArgumentException>(() => batcher.ProcessAsync(-1).WithTimeout());
        Assert.Equal(4, await batcher.ProcessAsync(4).WithTimeout());
    }

    [Fact]
    public async Task Rule10_ConcurrencyLimitStillApplies()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Disabled(maxConcurrentBatches: 2), new FakeTimeProvider());

        ValueTask<int>[] calls = [.. Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i))];
        BatchCall<int, int> a = await function.NextCallAsync();
        BatchCall<int, int> b = await function.NextCallAsync();
        Assert.False(function.TryGetCall(out _));
        Assert.Equal(2, batcher.GetStatistics().BatchesInFlight);

        a.Complete(x => x);
        BatchCall<int, int> c = await function.NextCallAsync();
        b.Complete(x => x);
        c.Complete(x => x);
        int[] results = await Task.WhenAll(calls.Select(t => t.WithTimeout()));
        Assert.Equal([1, 2, 3], results);
        Assert.Equal(2, function.MaxConcurrentCalls);
    }

    [Fact]
    public async Task Rule10_CallsQueuedBehindABusySlotStayOneItemEach()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Disabled(), new FakeTimeProvider());

        ValueTask<int>[] calls = [.. Enumerable.Range(1, 4).Select(i => batcher.ProcessAsync(i))];
        for (int expected = 1; expected <= 4; expected++)
        {
            BatchCall<int, int> call = await function.NextCallAsync();
            Assert.Equal([expected], call.Items);
            call.Complete(x => x);
        }

        await Task.WhenAll(calls.Select(t => t.WithTimeout()));
    }

    [Fact]
    public async Task Rule10_CapacityAndCancellationStillApply()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Disabled(queueCapacity: 1), new FakeTimeProvider());
        using var cancellation = new CancellationTokenSource();

        ValueTask<int> running = batcher.ProcessAsync(1);
        BatchCall<int, int> call = await function.NextCallAsync();
        ValueTask<int> queued = batcher.ProcessAsync(2, cancellation.Token);
        await Assert.ThrowsAsync<BatchQueueFullException>(() => batcher.ProcessAsync(3).WithTimeout());

        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WithTimeout());
        call.Complete(x => x);
        Assert.Equal(1, await running.WithTimeout());
        Assert.Equal(1, function.CallCount);
    }
}
