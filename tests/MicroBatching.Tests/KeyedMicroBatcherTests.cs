namespace MicroBatching.Tests;

/// <summary>Keyed batches: duplicates are sent once, and every value is found with the batcher's own comparer.</summary>
public sealed class KeyedMicroBatcherTests
{
    [Fact]
    public async Task ValuesAreLookedUpWithTheBatchersComparerNotTheReturnedDictionarys()
    {
        IReadOnlyList<string>? sent = null;
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (keys, _) =>
            {
                sent = [.. keys];
                // An ordinary dictionary, as most look-ups build one: it knows nothing of the batcher's comparer.
                return ValueTask.FromResult<IReadOnlyDictionary<string, int>>(keys.ToDictionary(key => key, key => key.Length));
            },
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) },
            comparer: StringComparer.OrdinalIgnoreCase);

        ValueTask<int> upper = batcher.ProcessAsync("Apple");
        ValueTask<int> lower = batcher.ProcessAsync("apple");

        Assert.Equal(5, await upper.WithTimeout());
        Assert.Equal(5, await lower.WithTimeout());
        Assert.Equal(["Apple"], sent);
    }

    [Fact]
    public async Task TwoReturnedKeysThatTheComparerTreatsAsOneFaultOnlyTheCallersOfThatKey()
    {
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (_, _) => ValueTask.FromResult<IReadOnlyDictionary<string, int>>(
                new Dictionary<string, int> { ["Apple"] = 1, ["APPLE"] = 2, ["pear"] = 3 }),
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1), Name = "fruit" },
            comparer: StringComparer.OrdinalIgnoreCase);

        ValueTask<int> apple = batcher.ProcessAsync("apple");
        ValueTask<int> pear = batcher.ProcessAsync("Pear");
        ValueTask<int> appleAgain = batcher.ProcessAsync("APPLE");

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => apple.WithTimeout());
        Assert.Contains("'fruit'", error.Message);
        Assert.Contains("'Apple'", error.Message);
        Assert.Contains("'APPLE'", error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => appleAgain.WithTimeout());
        Assert.Equal(3, await pear.WithTimeout());
    }

    [Fact]
    public async Task AMissingKeyFaultsOnlyItsOwnCallers()
    {
        await using var batcher = new KeyedMicroBatcher<int, string>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<int, string>>(
                keys.Where(key => key != 2).ToDictionary(key => key, key => $"v{key}")),
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1) });

        ValueTask<string> one = batcher.ProcessAsync(1);
        ValueTask<string> two = batcher.ProcessAsync(2);
        ValueTask<string> three = batcher.ProcessAsync(3);

        Assert.Equal("v1", await one.WithTimeout());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => two.WithTimeout());
        Assert.Equal("v3", await three.WithTimeout());
    }
}
