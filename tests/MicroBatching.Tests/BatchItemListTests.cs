using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

public sealed class BatchItemListTests
{
    [Fact]
    public async Task TheListWorksWithLinqAndRefusesUseAfterTheBatchCompleted()
    {
        IReadOnlyList<int>? kept = null;
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) =>
            {
                kept = items;
                Assert.Equal([1, 2, 3], items.ToArray());
                Assert.Equal(6, items.Sum());
                Assert.Equal(2, items[1]);
                Assert.True(((ICollection<int>)items).IsReadOnly);
                Assert.Throws<NotSupportedException>(() => ((IList<int>)items).Add(4));
                Assert.Throws<ArgumentOutOfRangeException>(() => items[3]);
                return ValueTask.FromResult<IReadOnlyList<int>>(items.Select(x => x * 2).ToArray());
            },
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        int[] results = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i).WithTimeout()));
        Assert.Equal([2, 4, 6], results);

        var exception = Assert.Throws<InvalidOperationException>(() => kept!.Count);
        Assert.Contains("only valid until", exception.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => kept![0]);
    }

    [Fact]
    public async Task AwaitingTheSameValueTaskTwiceIsReportedClearly()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 1 }, new FakeTimeProvider());

        ValueTask<int> call = batcher.ProcessAsync(1);
        Assert.Equal(1, await call.WithTimeout());
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await call);
        Assert.Contains("awaited twice", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadingTheResultBeforeItIsReadyIsReportedClearly()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        ValueTask<int> call = batcher.ProcessAsync(1);
        var exception = Assert.Throws<InvalidOperationException>(() => call.GetAwaiter().GetResult());
        Assert.Contains("read before it completed", exception.Message, StringComparison.Ordinal);
        await batcher.DisposeAsync();
    }

    // A token that fires after its call has completed must not reach the slot, which by then serves another caller.
    [Fact]
    public async Task ATokenCancelledAfterItsCallCompletedDoesNotTouchTheCallerThatReusesItsSlot()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 4 }, new FakeTimeProvider());
        using var finished = new CancellationTokenSource();

        ValueTask<int> done = batcher.ProcessAsync(1, finished.Token);
        (await function.NextCallAsync()).Complete([1]);
        Assert.Equal(1, await done.WithTimeout());

        // Later calls reuse pooled batches and their slots, the first call's among them.
        var later = new List<ValueTask<int>>();
        var calls = new List<BatchCall<int, int>>();
        for (int i = 2; i < 6; i++)
        {
            later.Add(batcher.ProcessAsync(i));
            calls.Add(await function.NextCallAsync());
        }

        await finished.CancelAsync();
        foreach (BatchCall<int, int> call in calls)
        {
            call.Complete([call.Items[0] * 10]);
        }

        Assert.Equal(new[] { 20, 30, 40, 50 }, await Task.WhenAll(later.Select(c => c.WithTimeout())));
    }

    [Fact]
    public async Task WaitingOnAValueTaskAlreadyAwaitedIsReportedClearly()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 1 }, new FakeTimeProvider());

        ValueTask<int> call = batcher.ProcessAsync(1);
        Assert.Equal(1, await call.WithTimeout());

        // A hand-written awaiter registers its continuation without asking for the status first.
        var exception = Assert.Throws<InvalidOperationException>(() => call.GetAwaiter().OnCompleted(() => { }));
        Assert.Contains("awaited twice", exception.Message, StringComparison.Ordinal);
    }
}
