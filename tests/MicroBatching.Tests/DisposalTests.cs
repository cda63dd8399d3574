using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rule 9: disposal drains everything accepted and refuses everything after. The rules: docs/semantics.md.</summary>
public sealed class DisposalTests
{
    [Fact]
    public async Task Rule9_DisposeDispatchesEverythingAcceptedInFullBatchesWithoutWaitingForTimers()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x * 2);
        var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1), MaxConcurrentBatches = 2 }, time);

        ValueTask<int>[] calls = [.. Enumerable.Range(1, 8).Select(i => batcher.ProcessAsync(i))];
        await batcher.DisposeAsync().WithTimeout();

        // No time passed: the partial batch went without its timer.
        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => i * 2), await Task.WhenAll(calls.Select(c => c.WithTimeout())));
        Assert.Equal([[1, 2, 3], [4, 5, 6], [7, 8]], function.Calls.OrderBy(c => c[0]));
    }

    [Fact]
    public async Task Rule9_OnceDrainedTheBatcherHoldsNoTimer()
    {
        var time = new CountingTimeProvider();
        var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromHours(1) }, time);
        ValueTask<int> call = batcher.ProcessAsync(1);
        Assert.Equal((1, 0), (time.TimersCreated, time.TimersDisposed));

        await batcher.DisposeAsync().AsTask().WithTimeout();

        Assert.Equal(1, await call.WithTimeout());
        Assert.Equal(1, time.TimersDisposed);
        Assert.Equal(0, batcher.GetStatistics().PendingItems);
    }

    [Fact]
    public async Task Rule9_DisposeWaitsForBatchesInFlight()
    {
        var function = new ControlledBatchFunction<int, int>();
        var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 1, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        ValueTask<int> call = batcher.ProcessAsync(7);
        BatchCall<int, int> running = await function.NextCallAsync();
        ValueTask disposal = batcher.DisposeAsync();
        Assert.False(disposal.IsCompleted);

        running.Complete(x => x + 1);
        await disposal.WithTimeout();
        Assert.Equal(8, await call.WithTimeout());
    }

    [Fact]
    public async Task Rule9_CallsAfterDisposalBeganFaultWithObjectDisposedException()
    {
        var function = new ControlledBatchFunction<int, int>();
        var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 1, Name = "closing" }, new FakeTimeProvider());

        ValueTask<int> accepted = batcher.ProcessAsync(1);
        BatchCall<int, int> running = await function.NextCallAsync();
        ValueTask disposal = batcher.DisposeAsync();

        // Still draining, already refusing.
        var exception = await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.ProcessAsync(2).WithTimeout());
        Assert.Contains("closing", exception.Message, StringComparison.Ordinal);

        running.Complete(x => x);
        await disposal.WithTimeout();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.ProcessAsync(3).WithTimeout());
        Assert.Equal(1, await accepted.WithTimeout());
    }

    [Fact]
    public async Task Rule9_DisposingTwiceIsHarmless()
    {
        var batcher = new MicroBatcher<int, int>(new RecordingBatchFunction<int, int>(x => x).Invoke, timeProvider: new FakeTimeProvider());
        ValueTask<int> call = batcher.ProcessAsync(1);

        ValueTask first = batcher.DisposeAsync();
        ValueTask second = batcher.DisposeAsync();
        await first.WithTimeout();
        await second.WithTimeout();
        await batcher.DisposeAsync().WithTimeout();
        Assert.Equal(1, await call.WithTimeout());
    }

    [Fact]
    public async Task Rule9_CallersWaitingForQueueRoomFaultWithObjectDisposedException()
    {
        var function = new ControlledBatchFunction<int, int>();
        var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromHours(1), QueueCapacity = 1 }, new FakeTimeProvider());

        ValueTask<int> accepted = batcher.ProcessAsync(1);
        ValueTask<int> waiting = batcher.ProcessAsync(2);
        ValueTask disposal = batcher.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WithTimeout());
        (await function.NextCallAsync()).Complete(x => x);
        await disposal.WithTimeout();
        Assert.Equal(1, await accepted.WithTimeout());
    }

    [Fact]
    public async Task Rule9_DisposeUnderLoadCompletesEveryAcceptedItemAndRefusesTheRest()
    {
        var delivered = new ConcurrentDictionary<int, int>();
        var batcher = new MicroBatcher<int, int>(
            async (items, _) =>
            {
                await Task.Yield();
                foreach (int item in items)
                {
                    delivered.AddOrUpdate(item, 1, (_, n) => n + 1);
                }

                return items.Select(x => x + 1).ToArray();
            },
            new MicroBatchOptions { MaxBatchSize = 16, MaxWaitTime = TimeSpan.FromMilliseconds(1), MaxConcurrentBatches = 2 });

        int succeeded = 0, refused = 0, nextItem = 0;
        using var started = new CountdownEvent(32);
        Task[] callers = [.. Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            started.Signal();
            while (true)
            {
                int item = Interlocked.Increment(ref nextItem);
                try
                {
                    Assert.Equal(item + 1, await batcher.ProcessAsync(item));
                    Interlocked.Increment(ref succeeded);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        }))];

        started.Wait(TestTimeouts.Generous);
        await WaitUntilAsync(() => Volatile.Read(ref succeeded) > 2_000, "callers have made progress");
        await batcher.DisposeAsync().WithTimeout();
        await Task.WhenAll(callers).WithTimeout();

        Assert.Equal(32, refused);
        Assert.Equal(succeeded, delivered.Count);
        Assert.All(delivered.Values, count => Assert.Equal(1, count));
        Assert.Equal(0, batcher.GetStatistics().PendingItems);
    }

    [Fact]
    public async Task Rule9_CallersWaitingForQueueRoomFaultAtOnceNotWhenRoomFrees()
    {
        var time = new FakeTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromMilliseconds(10), MaxConcurrentBatches = 1, QueueCapacity = 2 },
            time);

        ValueTask<int>[] running = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        time.Advance(TimeSpan.FromMilliseconds(10));
        BatchCall<int, int> first = await function.NextCallAsync();
        ValueTask<int>[] queued = [batcher.ProcessAsync(3), batcher.ProcessAsync(4)];
        ValueTask<int> waiting = batcher.ProcessAsync(5);

        // The drain seals the partial batch, which waits for the running one: no room frees until that finishes.
        ValueTask disposal = batcher.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WithTimeout());
        Assert.Equal(2, batcher.GetStatistics().PendingItems);

        first.Complete(x => x);
        BatchCall<int, int> drained = await function.NextCallAsync();
        Assert.Equal([3, 4], drained.Items);
        drained.Complete(x => x);
        await disposal.WithTimeout();
        int[] results = await Task.WhenAll(running.Concat(queued).Select(call => call.WithTimeout()));
        Assert.Equal([1, 2, 3, 4], results);
        Assert.Equal(0, batcher.GetStatistics().PendingItems);
    }
}
