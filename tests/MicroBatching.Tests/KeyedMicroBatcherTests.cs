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

    [Fact]
    public async Task EachKeyIsSentOnceInTheOrderItFirstCameAndEveryCallerGetsItsValue()
    {
        var sent = new List<int[]>();
        await using var batcher = new KeyedMicroBatcher<int, string>(
            (keys, _) =>
            {
                sent.Add([.. keys]);
                return ValueTask.FromResult<IReadOnlyDictionary<int, string>>(keys.ToDictionary(key => key, key => $"v{key}"));
            },
            new MicroBatchOptions { MaxBatchSize = 6, MaxWaitTime = TimeSpan.FromHours(1) });

        ValueTask<string>[] calls = [.. new[] { 1, 2, 1, 3, 2, 4 }.Select(key => batcher.ProcessAsync(key))];

        Assert.Equal(["v1", "v2", "v1", "v3", "v2", "v4"], await Task.WhenAll(calls.Select(call => call.WithTimeout())));
        Assert.Equal([1, 2, 3, 4], Assert.Single(sent));
    }

    [Theory]
    [InlineData(new[] { 5 }, new[] { 5 })]
    [InlineData(new[] { 5, 6 }, new[] { 5, 6 })]
    [InlineData(new[] { 5, 5 }, new[] { 5 })]
    [InlineData(new[] { 7, 8, 9, 9 }, new[] { 7, 8, 9 })]
    public async Task KeysAreSentWithoutDuplicates(int[] asked, int[] expectedSent)
    {
        int[]? sent = null;
        await using var batcher = new KeyedMicroBatcher<int, int>(
            (keys, _) =>
            {
                sent = [.. keys];
                return ValueTask.FromResult<IReadOnlyDictionary<int, int>>(keys.Distinct().ToDictionary(key => key, key => -key));
            },
            new MicroBatchOptions { MaxBatchSize = asked.Length, MaxWaitTime = TimeSpan.FromHours(1) });

        int[] values = await Task.WhenAll(asked.Select(key => batcher.ProcessAsync(key).AsTask())).WithTimeout();

        Assert.Equal(asked.Select(key => -key), values);
        Assert.Equal(expectedSent, sent);
    }

    [Fact]
    public async Task ADictionaryWithAnotherComparerIsReadWithTheBatchersOwn()
    {
        // A sorted dictionary is no Dictionary: its values are indexed again with the batcher's comparer.
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<string, int>>(
                new SortedDictionary<string, int>(keys.ToDictionary(key => key.ToUpperInvariant(), key => key.Length), StringComparer.Ordinal)),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) },
            comparer: StringComparer.OrdinalIgnoreCase);

        ValueTask<int> pear = batcher.ProcessAsync("pear");
        ValueTask<int> fig = batcher.ProcessAsync("fig");

        Assert.Equal(4, await pear.WithTimeout());
        Assert.Equal(3, await fig.WithTimeout());
    }

    [Fact]
    public async Task ADictionaryWithTheBatchersComparerIsReadAsItIs()
    {
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<string, int>>(
                new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["PEAR"] = 4 }),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) },
            comparer: StringComparer.OrdinalIgnoreCase);

        ValueTask<int> pear = batcher.ProcessAsync("pear");
        ValueTask<int> fig = batcher.ProcessAsync("fig");

        Assert.Equal(4, await pear.WithTimeout());
        KeyNotFoundException missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => fig.WithTimeout());
        Assert.Equal("The keyed micro-batcher found no value for the key 'fig': the look-up left it out of its result.", missing.Message);
    }

    [Fact]
    public async Task ALookUpThatReturnsNullFaultsItsCallersNamingTheBatcher()
    {
        await using var named = new KeyedMicroBatcher<int, int>(
            (_, _) => ValueTask.FromResult<IReadOnlyDictionary<int, int>>(null!),
            new MicroBatchOptions { MaxBatchSize = 1, Name = "prices" });
        await using var unnamed = new KeyedMicroBatcher<int, int>(
            (_, _) => ValueTask.FromResult<IReadOnlyDictionary<int, int>>(null!), new MicroBatchOptions { MaxBatchSize = 1 });

        InvalidOperationException namedError = await Assert.ThrowsAsync<InvalidOperationException>(() => named.ProcessAsync(1).WithTimeout());
        InvalidOperationException unnamedError = await Assert.ThrowsAsync<InvalidOperationException>(() => unnamed.ProcessAsync(1).WithTimeout());

        Assert.Equal("The look-up function of 'prices' returned null instead of a dictionary.", namedError.Message);
        Assert.Equal("The look-up function of a keyed micro-batcher returned null instead of a dictionary.", unnamedError.Message);
    }

    [Fact]
    public async Task ProcessManyReturnsTheValuesInInputOrderAndFaultsNamingAMissingKey()
    {
        await using var batcher = new KeyedMicroBatcher<int, string>(
            (keys, _) => Task.FromResult<IReadOnlyDictionary<int, string>>(keys.Where(key => key != 9).ToDictionary(key => key, key => $"v{key}")),
            new MicroBatchOptions { MaxBatchSize = 8, MaxWaitTime = TimeSpan.Zero, Name = "names" });

        Assert.Equal(["v3", "v1", "v3"], await batcher.ProcessManyAsync([3, 1, 3]).WithTimeout());
        KeyNotFoundException missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => batcher.ProcessManyAsync([1, 9, 2]).WithTimeout());
        Assert.Equal("'names' found no value for the key '9': the look-up left it out of its result.", missing.Message);
        Assert.Equal("keys", (await Assert.ThrowsAsync<ArgumentNullException>(() => batcher.ProcessManyAsync(null!))).ParamName);
    }

    [Fact]
    public async Task ProcessManyReportsAnAmbiguousKeyAsSuch()
    {
        await using var batcher = new KeyedMicroBatcher<string, int>(
            (_, _) => ValueTask.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int> { ["a"] = 1, ["A"] = 2 }),
            new MicroBatchOptions { MaxBatchSize = 8, MaxWaitTime = TimeSpan.Zero },
            comparer: StringComparer.OrdinalIgnoreCase);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.ProcessManyAsync(["a"]).WithTimeout());

        Assert.StartsWith("The look-up function of a keyed micro-batcher returned values for both 'a' and 'A'", error.Message);
    }

    [Fact]
    public async Task AMissingKeyCountsAsAFailedCallAndTheBatcherDelegatesItsSurface()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var batcher = new KeyedMicroBatcher<int, int>(
            (keys, _) => Task.FromResult<IReadOnlyDictionary<int, int>>(keys.Where(key => key > 0).ToDictionary(key => key)),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), Name = "ids" }, time);

        Task<int> found = batcher.ProcessAsync(1).AsTask();
        Task<int> missing = batcher.ProcessAsync(-1).AsTask();
        await Assert.ThrowsAsync<KeyNotFoundException>(() => missing.WithTimeout());
        Assert.Equal(1, await found.WithTimeout());

        MicroBatcherStatistics statistics = batcher.GetStatistics();
        Assert.Equal((1, 1, 1), (statistics.ItemsSucceeded, statistics.ItemsFailed, statistics.BatchesSucceeded));
        Assert.Equal("ids", batcher.Name);
        Assert.StartsWith("MicroBatcher 'ids': 0 pending", batcher.ToString());

        batcher.Reconfigure(new MicroBatchOptions { MaxBatchSize = 5 });
        Assert.Equal(5, batcher.GetOptions().MaxBatchSize);

        Task<int> queued = batcher.ProcessAsync(2).AsTask();
        await batcher.DisposeAsync().AsTask().WithTimeout();
        Assert.Equal(2, await queued.WithTimeout());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.ProcessAsync(3).AsTask().WithTimeout());
    }

    [Fact]
    public void ANullLookUpIsRejectedByEitherConstructor()
    {
        Assert.Throws<ArgumentNullException>(() => new KeyedMicroBatcher<int, int>(
            (Func<IReadOnlyList<int>, CancellationToken, ValueTask<IReadOnlyDictionary<int, int>>>)null!));
        Assert.Throws<ArgumentNullException>(() => new KeyedMicroBatcher<int, int>(
            (Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyDictionary<int, int>>>)null!));
    }
}
