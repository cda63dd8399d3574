using MicroBatching.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>
/// Changing a running batcher's rules (<see cref="MicroBatcher{TItem, TResult}.Reconfigure"/>): the batch accepting items
/// keeps the rules it opened under, the next one takes the new, and nothing in flight is lost. docs/semantics.md, rule 15.
/// </summary>
public sealed class ReconfigureTests
{
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingBatchFunction<int, int> _function = new(item => item * 10);

    [Fact]
    public async Task ANewMaxBatchSizeAppliesFromTheNextBatch()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = LongWait });
        ValueTask<int>[] opened = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = LongWait });

        // The open batch keeps its size of 4; the one after it closes at 2.
        ValueTask<int>[] rest = [batcher.ProcessAsync(3), batcher.ProcessAsync(4), batcher.ProcessAsync(5), batcher.ProcessAsync(6)];
        Assert.Equal(new[] { 10, 20, 30, 40, 50, 60 }, await Task.WhenAll(opened.Concat(rest).Select(call => call.WithTimeout())));
        Assert.Equal([[1, 2, 3, 4], [5, 6]], _function.Calls.ToArray());
        Assert.Equal(2, batcher.GetOptions().MaxBatchSize);
    }

    [Fact]
    public async Task ALargerMaxBatchSizeIsNotHeldBackByPooledBatches()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = LongWait });
        for (int round = 0; round < 3; round++)
        {
            await Task.WhenAll(batcher.ProcessAsync(round).AsTask(), batcher.ProcessAsync(round).AsTask()).WithTimeout();
        }

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 100, MaxWaitTime = LongWait });
        _function.Calls.Clear();

        Task<int>[] calls = Enumerable.Range(0, 100).Select(i => batcher.ProcessAsync(i).AsTask()).ToArray();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 10), await Task.WhenAll(calls).WithTimeout());
        Assert.Equal(Enumerable.Range(0, 100), Assert.Single(_function.Calls));

        // The batches too small for the new size were let go, not pooled: every batch still counted is back in the pool.
        await batcher.DisposeAsync();
        await WaitUntilAsync(() => batcher.BatchesPooled == batcher.BatchesCreated, "every batch counted is back in the pool");
    }

    [Fact]
    public async Task TheSameRulesAgainLeaveTheOpenBatchAlone()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = LongWait });

        batcher.Reconfigure(batcher.GetOptions());

        Assert.Equal(1, batcher.BatchesCreated);
        Task<int>[] calls = [batcher.ProcessAsync(1).AsTask(), batcher.ProcessAsync(2).AsTask()];
        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(calls).WithTimeout());
    }

    [Fact]
    public async Task ANewMaxWaitTimeAppliesFromTheNextBatch()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = LongWait });
        ValueTask<int> underOldWait = batcher.ProcessAsync(1);
        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromMilliseconds(5) });

        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.False(underOldWait.IsCompleted);
        _time.Advance(LongWait);
        Assert.Equal(10, await underOldWait.WithTimeout());

        ValueTask<int> underNewWait = batcher.ProcessAsync(2);
        _time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(underNewWait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(20, await underNewWait.WithTimeout());
    }

    [Fact]
    public async Task AShorterWaitRearmsTheTimerForAnEarlierDeadline()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = LongWait });
        await Task.WhenAll(batcher.ProcessAsync(0).AsTask(), batcher.ProcessAsync(0).AsTask()).WithTimeout();

        // The batch that opens after this waits 5 ms, though a 10 s wait armed the timer last.
        ValueTask<int> first = batcher.ProcessAsync(1);
        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromMilliseconds(5) });
        ValueTask<int> second = batcher.ProcessAsync(2);
        ValueTask<int> third = batcher.ProcessAsync(3);
        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(first.WithTimeout(), second.WithTimeout()));

        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(30, await third.WithTimeout());
    }

    [Fact]
    public async Task TurningBatchingOffAndOnAgain()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = LongWait });

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = LongWait, Enabled = false });
        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(batcher.ProcessAsync(1).AsTask(), batcher.ProcessAsync(2).AsTask()).WithTimeout());
        Assert.Equal([[1], [2]], _function.Calls.OrderBy(call => call[0]).ToArray());

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = LongWait, Enabled = true });
        _function.Calls.Clear();
        Task<int>[] batched = [batcher.ProcessAsync(3).AsTask(), batcher.ProcessAsync(4).AsTask(), batcher.ProcessAsync(5).AsTask()];
        Assert.DoesNotContain(batched, call => call.IsCompleted);
        _time.Advance(LongWait);
        Assert.Equal(new[] { 30, 40, 50 }, await Task.WhenAll(batched).WithTimeout());
        Assert.Equal([3, 4, 5], Assert.Single(_function.Calls));
    }

    [Fact]
    public async Task AnEmptyOpenBatchTakesTheNewRulesAtOnce()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = LongWait });
        ValueTask<int> before = batcher.ProcessAsync(0);
        _time.Advance(LongWait);
        Assert.Equal(0, await before.WithTimeout());

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = LongWait });

        Task<int>[] calls = [batcher.ProcessAsync(1).AsTask(), batcher.ProcessAsync(2).AsTask()];
        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(calls).WithTimeout());
        Assert.Equal([1, 2], _function.Calls.Last());
    }

    [Fact]
    public async Task ATimerIsCreatedWhenABatcherThatNeverWaitedStartsTo()
    {
        var time = new CountingTimeProvider();
        await using var batcher = new MicroBatcher<int, int>(_function.Invoke, new MicroBatchOptions { Enabled = false }, time);
        Assert.Equal(10, await batcher.ProcessAsync(1).WithTimeout());
        Assert.Equal(0, time.TimersCreated);

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromMilliseconds(5) });
        ValueTask<int> waiting = batcher.ProcessAsync(2);
        time.Fake.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(waiting.IsCompleted);
        time.Fake.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(20, await waiting.WithTimeout());
        Assert.Equal(1, time.TimersCreated);
    }

    [Fact]
    public async Task AHigherConcurrencyBoundStartsAWaitingBatchAtOnce()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 1 }, _time);
        ValueTask<int> running = batcher.ProcessAsync(1);
        BatchCall<int, int> first = await function.NextCallAsync();
        ValueTask<int> waiting = batcher.ProcessAsync(2);
        Assert.False(function.TryGetCall(out _));

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 2 });

        BatchCall<int, int> second = await function.NextCallAsync();
        Assert.Equal(2, batcher.GetStatistics().BatchesInFlight);
        second.Complete(item => item * 10);
        first.Complete(item => item * 10);
        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(running.WithTimeout(), waiting.WithTimeout()));
    }

    [Fact]
    public async Task ALowerConcurrencyBoundLetsRunningBatchesFinishAndHoldsOnceTheyHave()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 2 }, _time);
        ValueTask<int>[] running = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        BatchCall<int, int>[] calls = [await function.NextCallAsync(), await function.NextCallAsync()];
        calls = [.. calls.OrderBy(call => call.Items[0])];

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 1 });
        ValueTask<int> third = batcher.ProcessAsync(3);

        // One of two finishing leaves one running: that is the new bound, so the third waits for the other.
        calls[0].Complete(item => item * 10);
        Assert.Equal(10, await running[0].WithTimeout());
        await Task.Delay(20);
        Assert.False(function.TryGetCall(out _));
        Assert.Equal(1, batcher.GetStatistics().BatchesInFlight);

        calls[1].Complete(item => item * 10);
        BatchCall<int, int> thirdCall = await function.NextCallAsync();
        thirdCall.Complete(item => item * 10);
        Assert.Equal(new[] { 20, 30 }, await Task.WhenAll(running[1].WithTimeout(), third.WithTimeout()));
        Assert.Equal(2, function.MaxConcurrentCalls);
    }

    [Fact]
    public async Task InvalidRulesAreRejectedAndTheOldOnesKept()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = LongWait });

        var size = Assert.Throws<ArgumentOutOfRangeException>(() => batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 0 }));
        Assert.Contains("MaxBatchSize", size.Message);
        var cost = Assert.Throws<ArgumentException>(() => batcher.Reconfigure(new MicroBatchOptions { MaxBatchCost = 10 }));
        Assert.Contains("ItemCost", cost.Message);
        Assert.Throws<ArgumentNullException>(() => batcher.Reconfigure(null!));

        Assert.Equal(4, batcher.GetOptions().MaxBatchSize);
        Task<int>[] calls = Enumerable.Range(1, 4).Select(i => batcher.ProcessAsync(i).AsTask()).ToArray();
        Assert.Equal(new[] { 10, 20, 30, 40 }, await Task.WhenAll(calls).WithTimeout());
        Assert.Equal([1, 2, 3, 4], Assert.Single(_function.Calls));
    }

    [Fact]
    public async Task TheQueueTheNameAndTheCostFunctionAreFixedAtCreation()
    {
        Func<int, int> itemCost = item => item;
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions
        {
            Name = "fixed", QueueCapacity = 8, QueueFullMode = QueueFullMode.Reject, ItemCost = itemCost, MaxBatchCost = 100,
        });

        batcher.Reconfigure(new MicroBatchOptions { Name = "other", QueueCapacity = 1, QueueFullMode = QueueFullMode.Wait, MaxBatchCost = 5 });

        MicroBatchOptions options = batcher.GetOptions();
        Assert.Equal(("fixed", 8, QueueFullMode.Reject, 5), (options.Name, options.QueueCapacity, options.QueueFullMode, options.MaxBatchCost));
        Assert.Same(itemCost, options.ItemCost);
        Assert.Equal("fixed", batcher.Name);

        // The new cost bound holds with the cost function the batcher was created with: 3 + 3 > 5.
        ValueTask<int>[] calls = [batcher.ProcessAsync(3), batcher.ProcessAsync(3)];
        Assert.Equal(30, await calls[0].WithTimeout());
        Assert.False(calls[1].IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(30, await calls[1].WithTimeout());
    }

    [Fact]
    public async Task GetOptionsReturnsACopy()
    {
        await using MicroBatcher<int, int> batcher = Batcher(new MicroBatchOptions { MaxBatchSize = 4 });

        batcher.GetOptions().MaxBatchSize = 1;

        Assert.Equal(4, batcher.GetOptions().MaxBatchSize);
    }

    [Fact]
    public async Task ReconfiguringWhileCallersSubmitLosesNothingAndKeepsEveryBatchWithinItsBound()
    {
        var sizes = new System.Collections.Concurrent.ConcurrentBag<(int Count, int Bound)>();
        int bound = 8;
        await using var batcher = new MicroBatcher<int, int>((items, _) =>
        {
            sizes.Add((items.Count, Volatile.Read(ref bound)));
            return new ValueTask<IReadOnlyList<int>>(items.Select(item => item + 1).ToArray());
        }, new MicroBatchOptions { MaxBatchSize = 8, MaxWaitTime = TimeSpan.Zero });

        using var stop = new CancellationTokenSource();
        Task reconfiguring = Task.Run(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                batcher.Reconfigure(new MicroBatchOptions
                {
                    MaxBatchSize = random.Next(1, 9),
                    MaxWaitTime = TimeSpan.Zero,
                    MaxConcurrentBatches = random.Next(1, 4),
                    Enabled = random.Next(4) != 0,
                });
                Thread.Yield();
            }
        });

        Task<bool>[] callers = Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                int item = caller * 10_000 + i;
                if (await batcher.ProcessAsync(item) != item + 1)
                {
                    return false;
                }
            }

            return true;
        })).ToArray();

        bool[] correct = await Task.WhenAll(callers).WithTimeout();
        stop.Cancel();
        await reconfiguring;

        Assert.All(correct, Assert.True);
        Assert.All(sizes, size => Assert.InRange(size.Count, 1, 8));
        MicroBatcherStatistics statistics = batcher.GetStatistics();
        Assert.Equal(8_000, statistics.ItemsSucceeded);
        Assert.Equal(0, statistics.PendingItems);
    }

    private MicroBatcher<int, int> Batcher(MicroBatchOptions options) => new(_function.Invoke, options, _time);
}
