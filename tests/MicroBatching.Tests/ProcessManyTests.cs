using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

public sealed class ProcessManyTests
{
    [Fact]
    public async Task ResultsComeBackInInputOrderAndItemsBatchTogether()
    {
        var function = new RecordingBatchFunction<int, string>(i => $"#{i}");
        await using var batcher = new MicroBatcher<int, string>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        IReadOnlyList<string> results = await batcher.ProcessManyAsync([5, 3, 9, 1, 7, 2, 8, 6]).WithTimeout();

        Assert.Equal(["#5", "#3", "#9", "#1", "#7", "#2", "#8", "#6"], results);
        Assert.Equal(2, function.Calls.Count);
    }

    [Fact]
    public async Task FaultsWithTheFirstFailureAfterEveryItemCompleted()
    {
        var time = new FakeTimeProvider();
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => items.Contains(3) ? throw new FormatException("bad batch") : ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, time);

        Task<IReadOnlyList<int>> many = batcher.ProcessManyAsync([1, 2, 3, 4]);
        await Assert.ThrowsAsync<FormatException>(() => many.WithTimeout());
        Assert.Equal(1, batcher.GetStatistics().BatchesFailed);
        Assert.Equal(1, batcher.GetStatistics().BatchesSucceeded);
    }

    [Fact]
    public async Task IsCancelledWhenItsTokenFires()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());
        using var cancellation = new CancellationTokenSource();

        Task<IReadOnlyList<int>> many = batcher.ProcessManyAsync([1, 2, 3], cancellation.Token);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => many.WithTimeout());
    }

    [Fact]
    public async Task AnEnumerationFailureStillAwaitsTheItemsAlreadySubmitted()
    {
        var function = new RecordingBatchFunction<int, int>(i => i);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.ProcessManyAsync(Broken()).WithTimeout());
        Assert.Equal([1, 2], Assert.Single(function.Calls));

        static IEnumerable<int> Broken()
        {
            yield return 1;
            yield return 2;
            throw new InvalidOperationException("source failed");
        }
    }

    [Fact]
    public async Task TheFailureReportedIsTheFirstInInputOrder()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => throw new FormatException($"item {items[0]}"),
            new MicroBatchOptions { MaxBatchSize = 1 }, new FakeTimeProvider());

        var exception = await Assert.ThrowsAsync<FormatException>(() => batcher.ProcessManyAsync([1, 2, 3]).WithTimeout());
        Assert.Equal("item 1", exception.Message);
    }

    [Fact]
    public async Task TheCancellationReportedIsTheFirstInInputOrder()
    {
        // A batch function that gives up on its own: its callers see its OperationCanceledException.
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => throw new OperationCanceledException($"item {items[0]}"),
            new MicroBatchOptions { MaxBatchSize = 1 }, new FakeTimeProvider());

        var exception = await Assert.ThrowsAsync<OperationCanceledException>(() => batcher.ProcessManyAsync([1, 2, 3]).WithTimeout());
        Assert.Equal("item 1", exception.Message);
    }

    [Fact]
    public async Task AFailureWinsOverAnEarlierCancellation()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => items[0] == 1 ? throw new OperationCanceledException("gave up") : throw new FormatException("bad"),
            new MicroBatchOptions { MaxBatchSize = 1 }, new FakeTimeProvider());

        await Assert.ThrowsAsync<FormatException>(() => batcher.ProcessManyAsync([1, 2]).WithTimeout());
    }

    [Fact]
    public async Task NullItemsAreRejectedByName()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()));

        var exception = await Assert.ThrowsAsync<ArgumentNullException>(() => batcher.ProcessManyAsync(null!));
        Assert.Equal("items", exception.ParamName);
    }
}
