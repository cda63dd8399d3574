using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>A batch function that returns an outcome per item fails only the callers whose items failed.</summary>
public sealed class ItemResultMicroBatcherTests
{
    private static ValueTask<IReadOnlyList<BatchItemResult<int>>> ParseAll(IReadOnlyList<string> texts, CancellationToken _) =>
        new([.. texts.Select(text => int.TryParse(text, out int value)
            ? BatchItemResult<int>.Success(value)
            : BatchItemResult<int>.Failure(new FormatException($"'{text}' is not a number.")))]);

    [Fact]
    public async Task EachCallerGetsItsOwnValueOrItsOwnException()
    {
        await using var batcher = new ItemResultMicroBatcher<string, int>(ParseAll,
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        ValueTask<int> one = batcher.ProcessAsync("1");
        ValueTask<int> bad = batcher.ProcessAsync("x");
        ValueTask<int> three = batcher.ProcessAsync("3");

        Assert.Equal(1, await one.WithTimeout());
        FormatException error = await Assert.ThrowsAsync<FormatException>(() => bad.WithTimeout());
        Assert.Equal("'x' is not a number.", error.Message);
        Assert.Equal(3, await three.WithTimeout());

        MicroBatcherStatistics statistics = batcher.GetStatistics();
        Assert.Equal((2L, 1L, 1L, 0L), (statistics.ItemsSucceeded, statistics.ItemsFailed, statistics.BatchesSucceeded, statistics.BatchesFailed));
    }

    [Fact]
    public async Task AFailureOfTheWholeCallStillFailsEveryCaller()
    {
        await using var batcher = new ItemResultMicroBatcher<string, int>(
            (texts, _) => new ValueTask<IReadOnlyList<BatchItemResult<int>>>([BatchItemResult<int>.Success(1)]),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider());

        ValueTask<int> first = batcher.ProcessAsync("1");
        ValueTask<int> second = batcher.ProcessAsync("2");

        await Assert.ThrowsAsync<BatchResultCountMismatchException>(() => first.WithTimeout());
        await Assert.ThrowsAsync<BatchResultCountMismatchException>(() => second.WithTimeout());
    }

    [Fact]
    public async Task ManyReturnsTheValuesInOrderOrThrowsTheFirstFailure()
    {
        await using var batcher = new ItemResultMicroBatcher<string, int>(ParseAll, new MicroBatchOptions { MaxBatchSize = 8, MaxWaitTime = TimeSpan.Zero }, new FakeTimeProvider());

        Assert.Equal([1, 2, 3], await batcher.ProcessManyAsync(["1", "2", "3"]).WithTimeout());
        FormatException error = await Assert.ThrowsAsync<FormatException>(() => batcher.ProcessManyAsync(["1", "a", "b"]).WithTimeout());
        Assert.Equal("'a' is not a number.", error.Message);
    }

    [Fact]
    public async Task TheRegistryCreatesOneWithItsSettings()
    {
        var registry = new MicroBatcherRegistry { TimeProvider = new FakeTimeProvider() };
        using IDisposable settings = registry.ConfigureOptions(options => options.MaxBatchSize = 2);
        await using ItemResultMicroBatcher<string, int> batcher = registry.CreateItemResults<string, int>(ParseAll,
            new MicroBatchOptions { MaxBatchSize = 50, MaxWaitTime = TimeSpan.FromHours(1), Name = "parse" });

        // MaxBatchSize 2 from the registry: two calls fill a batch with no time passing.
        int[] values = await Task.WhenAll(batcher.ProcessAsync("4").AsTask(), batcher.ProcessAsync("5").AsTask()).WithTimeout();
        Assert.Equal([4, 5], values);
        Assert.Contains(batcher, registry.GetBatchers());
    }
}
