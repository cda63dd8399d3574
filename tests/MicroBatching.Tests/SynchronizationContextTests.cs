using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>
/// The batcher's own awaits never resume on the caller's synchronization context (a UI thread, a single-threaded
/// request context): that would queue the batcher's work behind the caller's and deadlock a caller that blocks on it.
/// </summary>
public sealed class SynchronizationContextTests
{
    [Fact]
    public async Task ProcessManyDoesNotResumeOnTheCallersContext()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());
        var context = new RecordingSynchronizationContext();

        Task<IReadOnlyList<int>> many = context.Run(() => batcher.ProcessManyAsync([1, 2]));
        (await function.NextCallAsync()).Complete(x => x);

        Assert.Equal([1, 2], await many.WithTimeout());
        Assert.Equal(0, context.Posts);
    }

    [Fact]
    public async Task ACallerWaitingForQueueRoomDoesNotResumeOnItsContext()
    {
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromMilliseconds(5), QueueCapacity = 1, QueueFullMode = QueueFullMode.Wait },
            time);
        var context = new RecordingSynchronizationContext();

        ValueTask<int> accepted = batcher.ProcessAsync(1);
        Task<int> waiting = context.Run(() => batcher.ProcessAsync(2).AsTask());
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, await accepted.WithTimeout());
        await WaitUntilAsync(() => batcher.GetStatistics().PendingItems == 1, "the waiting caller is accepted");
        time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal(2, await waiting.WithTimeout());
        Assert.Equal(0, context.Posts);
    }

    [Fact]
    public async Task AKeyedCallDoesNotResumeOnTheCallersContext()
    {
        var lookup = new TaskCompletionSource<IReadOnlyDictionary<string, int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (_, _) => lookup.Task, new MicroBatchOptions { MaxBatchSize = 1 });
        var context = new RecordingSynchronizationContext();

        Task<int> call = context.Run(() => batcher.ProcessAsync("a").AsTask());
        lookup.SetResult(new Dictionary<string, int> { ["a"] = 1 });

        Assert.Equal(1, await call.WithTimeout());
        Assert.Equal(0, context.Posts);
    }

    [Fact]
    public async Task AKeyedProcessManyDoesNotResumeOnTheCallersContext()
    {
        var lookup = new TaskCompletionSource<IReadOnlyDictionary<string, int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (_, _) => lookup.Task, new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) });
        var context = new RecordingSynchronizationContext();

        Task<IReadOnlyList<int>> many = context.Run(() => batcher.ProcessManyAsync(["a", "b"]));
        lookup.SetResult(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });

        Assert.Equal([1, 2], await many.WithTimeout());
        Assert.Equal(0, context.Posts);
    }
}
