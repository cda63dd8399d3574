using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rule 8: QueueCapacity bounds the items accepted but not yet dispatched. The rules: docs/semantics.md.</summary>
public sealed class BackPressureTests
{
    private static MicroBatchOptions Options(QueueFullMode mode) => new()
    {
        MaxBatchSize = 10,
        MaxWaitTime = TimeSpan.FromMilliseconds(10),
        QueueCapacity = 2,
        QueueFullMode = mode,
        Name = "bounded",
    };

    [Fact]
    public async Task Rule8_WaitModeCallerWaitsForRoomThenIsAccepted()
    {
        var time = new FakeTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(QueueFullMode.Wait), time);

        ValueTask<int> first = batcher.ProcessAsync(1);
        ValueTask<int> second = batcher.ProcessAsync(2);
        ValueTask<int> waiting = batcher.ProcessAsync(3);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, batcher.GetStatistics().PendingItems);

        // Dispatching the first two makes room: the third is accepted into the next batch.
        time.Advance(TimeSpan.FromMilliseconds(10));
        BatchCall<int, int> call = await function.NextCallAsync();
        Assert.Equal([1, 2], call.Items);
        await WaitUntilAsync(() => batcher.GetStatistics().PendingItems == 1, "the waiting item is accepted");
        call.Complete(x => x);

        time.Advance(TimeSpan.FromMilliseconds(10));
        BatchCall<int, int> next = await function.NextCallAsync();
        Assert.Equal([3], next.Items);
        next.Complete(x => x);
        int[] results = await Task.WhenAll(new[] { first, second, waiting }.Select(c => c.WithTimeout()));
        Assert.Equal([1, 2, 3], results);
    }

    [Fact]
    public async Task Rule8_DispatchedItemsNoLongerCountAgainstCapacity()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), QueueCapacity = 2, QueueFullMode = QueueFullMode.Reject },
            new FakeTimeProvider());

        ValueTask<int>[] running = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        BatchCall<int, int> call = await function.NextCallAsync();

        // The running batch holds no capacity: two more are accepted while it runs, a third is not.
        ValueTask<int>[] queued = [batcher.ProcessAsync(3), batcher.ProcessAsync(4)];
        await Assert.ThrowsAsync<BatchQueueFullException>(() => batcher.ProcessAsync(5).WithTimeout());
        call.Complete(x => x);
        (await function.NextCallAsync()).Complete(x => x);
        await Task.WhenAll(running.Concat(queued).Select(c => c.WithTimeout()));
    }

    [Fact]
    public async Task Rule8_WaitingCallerCanCancelItsWait()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(QueueFullMode.Wait), time);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int>[] accepted = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        ValueTask<int> waiting = batcher.ProcessAsync(3, cancellation.Token);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WithTimeout());
        time.Advance(TimeSpan.FromMilliseconds(10));
        await Task.WhenAll(accepted.Select(c => c.WithTimeout()));
        Assert.Equal([1, 2], Assert.Single(function.Calls));
    }

    [Fact]
    public async Task Rule8_WaitersAreAcceptedInArrivalOrder()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(QueueFullMode.Wait), time);

        ValueTask<int>[] calls = [.. Enumerable.Range(1, 8).Select(i => batcher.ProcessAsync(i))];
        for (int round = 0; round < 4; round++)
        {
            await WaitUntilAsync(() => batcher.GetStatistics().PendingItems == 2, "two items are accepted");
            time.Advance(TimeSpan.FromMilliseconds(10));
            await WaitUntilAsync(() => function.Calls.Count == round + 1, "the batch ran");
        }

        await Task.WhenAll(calls.Select(c => c.WithTimeout()));

        // Room is granted in arrival order; two callers granted together may then race each other into the batch.
        Assert.Equal([[1, 2], [3, 4], [5, 6], [7, 8]], function.Calls.Select(c => c.Order().ToArray()));
    }

    [Fact]
    public async Task Rule8_CancelledQueuedItemGivesItsRoomBack()
    {
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, int>(new RecordingBatchFunction<int, int>(x => x).Invoke,
            Options(QueueFullMode.Reject), time);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int> kept = batcher.ProcessAsync(1);
        ValueTask<int> cancelled = batcher.ProcessAsync(2, cancellation.Token);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WithTimeout());

        ValueTask<int> accepted = batcher.ProcessAsync(3);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(3, await accepted.WithTimeout());
        Assert.Equal(1, await kept.WithTimeout());
    }

    [Fact]
    public async Task Rule8_RejectModeFaultsAtOnceWithBatchQueueFullException()
    {
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, int>(new RecordingBatchFunction<int, int>(x => x).Invoke,
            Options(QueueFullMode.Reject), time);

        ValueTask<int>[] accepted = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        ValueTask<int> rejected = batcher.ProcessAsync(3);

        Assert.True(rejected.IsFaulted);
        var exception = await Assert.ThrowsAsync<BatchQueueFullException>(() => rejected.AsTask());
        Assert.Equal(2, exception.Capacity);
        Assert.Equal("bounded", exception.BatcherName);
        Assert.Contains("'bounded'", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, batcher.GetStatistics().ItemsRejected);

        time.Advance(TimeSpan.FromMilliseconds(10));
        await Task.WhenAll(accepted.Select(c => c.WithTimeout()));
    }
}
