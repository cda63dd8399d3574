using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rules 5 and 6: a failed or mismatched batch faults exactly its own callers, and the batcher keeps working. The rules: docs/semantics.md.</summary>
public sealed class FailureTests
{
    private static readonly MicroBatchOptions s_options = new()
    {
        MaxBatchSize = 3,
        MaxWaitTime = TimeSpan.FromHours(1),
        Name = "scores",
    };

    [Fact]
    public async Task Rule5_SynchronousThrowFaultsEveryCallerOfThatBatchOnly()
    {
        int call = 0;
        var failure = new InvalidOperationException("model exploded");
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => Interlocked.Increment(ref call) == 1
                ? throw failure
                : ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            s_options, new FakeTimeProvider());

        ValueTask<int>[] failed = [.. Enumerable.Range(0, 3).Select(i => batcher.ProcessAsync(i))];
        foreach (ValueTask<int> task in failed)
        {
            Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => task.WithTimeout()));
        }

        ValueTask<int>[] next = [.. Enumerable.Range(10, 3).Select(i => batcher.ProcessAsync(i))];
        int[] results = await Task.WhenAll(next.Select(t => t.WithTimeout()));
        Assert.Equal([10, 11, 12], results);
        Assert.Equal(1, batcher.GetStatistics().BatchesFailed);
        Assert.Equal(1, batcher.GetStatistics().BatchesSucceeded);
    }

    [Fact]
    public async Task Rule5_AsynchronousThrowFaultsEveryCallerOfThatBatchOnly()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), MaxConcurrentBatches = 2 },
            new FakeTimeProvider());

        ValueTask<int>[] first = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        ValueTask<int>[] second = [batcher.ProcessAsync(3), batcher.ProcessAsync(4)];
        BatchCall<int, int>[] both = [await function.NextCallAsync(), await function.NextCallAsync()];

        // With two slots the two runs may reach the function in either order.
        BatchCall<int, int> firstCall = both.Single(c => c.Items[0] == 1);
        BatchCall<int, int> secondCall = both.Single(c => c.Items[0] == 3);

        firstCall.Fail(new TimeoutException("remote timed out"));
        secondCall.Complete(x => x * 3);

        foreach (ValueTask<int> task in first)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => task.WithTimeout());
        }

        int[] results = await Task.WhenAll(second.Select(t => t.WithTimeout()));
        Assert.Equal([9, 12], results);
    }

    [Theory]
    [InlineData(-1)] // null
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Rule6_WrongResultCountFaultsEveryCallerWithBothCountsAndTheName(int returnedCount)
    {
        await using var batcher = new MicroBatcher<int, int>(
            (_, _) => ValueTask.FromResult<IReadOnlyList<int>>(returnedCount < 0 ? null! : new int[returnedCount]),
            s_options, new FakeTimeProvider());

        ValueTask<int>[] calls = [.. Enumerable.Range(0, 3).Select(i => batcher.ProcessAsync(i))];
        var exceptions = new List<BatchResultCountMismatchException>();
        foreach (ValueTask<int> task in calls)
        {
            exceptions.Add(await Assert.ThrowsAsync<BatchResultCountMismatchException>(() => task.WithTimeout()));
        }

        BatchResultCountMismatchException exception = exceptions[0];
        Assert.All(exceptions, e => Assert.Same(exception, e));
        Assert.Equal(3, exception.ExpectedCount);
        Assert.Equal(Math.Max(0, returnedCount), exception.ActualCount);
        Assert.Equal("scores", exception.BatcherName);
        Assert.Contains("'scores'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("3 items", exception.Message, StringComparison.Ordinal);
        Assert.Contains(returnedCount < 0 ? "null" : $"{returnedCount} result", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rule6_MismatchMessageWithoutNameStillNamesBothCounts()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (_, _) => ValueTask.FromResult<IReadOnlyList<int>>([1]),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        var exception = await Assert.ThrowsAsync<BatchResultCountMismatchException>(() => calls[0].WithTimeout());
        await Assert.ThrowsAsync<BatchResultCountMismatchException>(() => calls[1].WithTimeout());
        Assert.Null(exception.BatcherName);
        Assert.Contains("2 items", exception.Message, StringComparison.Ordinal);
        Assert.Contains("1 result", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rule6_ResultListWhoseIndexerThrowsFaultsTheCallersNotYetServed()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(new BrokenList(items.Count, failAt: 1)),
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        ValueTask<int>[] calls = [.. Enumerable.Range(0, 3).Select(i => batcher.ProcessAsync(i))];
        Assert.Equal(0, await calls[0].WithTimeout());
        await Assert.ThrowsAsync<IndexOutOfRangeException>(() => calls[1].WithTimeout());
        await Assert.ThrowsAsync<IndexOutOfRangeException>(() => calls[2].WithTimeout());
    }

    private sealed class BrokenList(int count, int failAt) : IReadOnlyList<int>
    {
        public int this[int index] => index >= failAt ? throw new IndexOutOfRangeException() : index;

        public int Count => count;

        public IEnumerator<int> GetEnumerator() => throw new NotSupportedException();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
