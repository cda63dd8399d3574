using MicroBatching.EndToEnd.Tests.Shapes;

namespace MicroBatching.EndToEnd.Tests;

/// <summary>
/// Runs the wrappers the generator emitted for each accepted shape, compiled into this project through the generator
/// itself. Calls are submitted before any is awaited and come in whole batches, and the shapes whose batch counts are
/// checked wait seconds for a partial batch, so batches fill by size and the counts are exact even on a cold start.
/// </summary>
public sealed class GeneratedWrapperTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConcurrentCallsBecomeFewBatchCallsAndEachCallerGetsItsOwnResult()
    {
        var model = new SentimentModel();
        string[] texts = [.. Enumerable.Range(0, 64).Select(i => i % 3 == 0 ? $"great {i}" : $"meh {i}")];

        float[] scores = await Task.WhenAll(texts.Select(t => model.InferAsync(t))).WaitAsync(s_timeout);

        Assert.Equal(texts.Select(t => t.StartsWith("great", StringComparison.Ordinal) ? 1f : 0f), scores);
        Assert.Equal(4, model.Log.CallCount);
        Assert.All(model.Log.Calls, call => Assert.Equal(16, call.Length));
        Assert.Equal(texts, model.Log.Calls.SelectMany(c => c).Cast<string>());
    }

    [Fact]
    public async Task AFailingBatchFaultsItsOwnCallersOnly()
    {
        var model = new SentimentModel();
        Task<float>[] first = [.. Enumerable.Range(0, 15).Select(i => model.InferAsync($"great {i}")).Append(model.InferAsync("explode"))];
        Task<float>[] second = [.. Enumerable.Range(0, 16).Select(i => model.InferAsync($"great {i}"))];

        foreach (Task<float> call in first)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(s_timeout));
        }

        Assert.All(await Task.WhenAll(second).WaitAsync(s_timeout), score => Assert.Equal(1f, score));
    }

    [Fact]
    public async Task CancellationReachesTheCaller()
    {
        var model = new SentimentModel();
        using var cancellation = new CancellationTokenSource();

        Task<float> cancelled = model.InferAsync("great", cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(s_timeout));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.InferAsync("great", new CancellationToken(true)).WaitAsync(s_timeout));
    }

    [Fact]
    public async Task ManyAsyncReturnsResultsInInputOrder()
    {
        var model = new SentimentModel();
        string[] texts = [.. Enumerable.Range(0, 48).Select(i => i % 2 == 0 ? "great" : "bad")];

        IReadOnlyList<float> scores = await model.InferManyAsync(texts).WaitAsync(s_timeout);

        Assert.Equal(texts.Select(t => t == "great" ? 1f : 0f), scores);
        Assert.Equal(3, model.Log.CallCount);
    }

    [Fact]
    public async Task EachInstanceHasItsOwnBatcherCreatedOnceUnderContention()
    {
        var a = new SentimentModel();
        var b = new SentimentModel();

        MicroBatcher<string, float>[] seen = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => a.InferBatcher)));

        Assert.All(seen, batcher => Assert.Same(a.InferBatcher, batcher));
        Assert.NotSame(a.InferBatcher, b.InferBatcher);
        Assert.Equal("MicroBatching.EndToEnd.Tests.Shapes.SentimentModel.InferBatchAsync", a.InferBatcher.Name);
    }

    [Fact]
    public async Task TheBatcherPropertyExposesStatisticsAndDrain()
    {
        var model = new SentimentModel();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => model.InferAsync("great"))).WaitAsync(s_timeout);

        MicroBatcherStatistics statistics = model.InferBatcher.GetStatistics();
        Assert.Equal(32, statistics.ItemsSucceeded);
        Assert.Equal(2, statistics.BatchesSucceeded);

        await model.InferBatcher.DisposeAsync().AsTask().WaitAsync(s_timeout);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => model.InferAsync("great").WaitAsync(s_timeout));
    }

    [Fact]
    public async Task ValueTaskMethodGetsAValueTaskWrapper()
    {
        var embedder = new Embedder();
        ValueTask<int>[] calls = [.. Enumerable.Range(0, 24).Select(i => embedder.EmbedAsync(new string('x', i)))];

        for (int i = 0; i < calls.Length; i++)
        {
            Assert.Equal(i, await calls[i].AsTask().WaitAsync(s_timeout));
        }

        Assert.Equal(3, embedder.Log.CallCount);
        Assert.Equal(3, embedder.EmbedBatcher.GetStatistics().BatchesSucceeded);
    }

    [Fact]
    public async Task SynchronousArrayShape()
    {
        var tokenizer = new Tokenizer();
        int[] counts = await Task.WhenAll(new[] { "a b", "c", "d e f", "g h i j" }.Select(w => tokenizer.CountAsync(w))).WaitAsync(s_timeout);

        Assert.Equal([2, 1, 3, 4], counts);
        Assert.Equal(1, tokenizer.Log.CallCount);
    }

    [Fact]
    public async Task ArrayParameterAndListResultShape()
    {
        var geocoder = new Geocoder();
        string[] located = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => geocoder.LocateAsync($"street {i}"))).WaitAsync(s_timeout);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"STREET {i}"), located);
        Assert.Equal(2, geocoder.Log.CallCount);
    }

    [Fact]
    public async Task ListParameterAndIListResultShape()
    {
        var translator = new Translator();
        ValueTask<string>[] calls = [.. new[] { "abc", "de", "f", "ghij" }.Select(p => translator.TranslateAsync(p))];
        string[] translated = await Task.WhenAll(calls.Select(c => c.AsTask())).WaitAsync(s_timeout);

        Assert.Equal(["cba", "ed", "f", "jihg"], translated);
        Assert.Equal(1, translator.Log.CallCount);
    }

    [Fact]
    public async Task IListParameterAndSynchronousIListResultShape()
    {
        var classifier = new Classifier();
        bool[] even = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => classifier.ClassifyAsync(i))).WaitAsync(s_timeout);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => i % 2 == 0), even);
        Assert.Equal(2, classifier.Log.CallCount);
    }

    [Fact]
    public async Task EnumerableParameterWithoutTokenShape()
    {
        var hasher = new Hasher();
        using var cancellation = new CancellationTokenSource();
        long[] hashes = await Task.WhenAll(new[] { "a", "bb", "ccc", "dddd" }.Select(s => hasher.HashAsync(s, cancellation.Token))).WaitAsync(s_timeout);

        Assert.Equal([31L, 62L, 93L, 124L], hashes);
        Assert.Equal(1, hasher.Log.CallCount);
    }

    [Fact]
    public async Task StaticMethodGetsStaticWrappersAndOneBatcherPerType()
    {
        decimal[] quotes = await Task.WhenAll(Enumerable.Range(1, 10).Select(id => Prices.QuoteAsync(id))).WaitAsync(s_timeout);

        Assert.Equal(Enumerable.Range(1, 10).Select(id => id * 1.5m), quotes);
        Assert.Same(Prices.QuoteBatcher, Prices.QuoteBatcher);
        Assert.True(Prices.Log.Calls.Count(call => call.Length == 5) >= 2);
    }

    [Fact]
    public async Task GenericContainingTypeShape()
    {
        var repository = new Repository<Guid, string>(id => id.ToString("N"));
        Guid[] ids = [.. Enumerable.Range(0, 6).Select(_ => Guid.NewGuid())];

        string[] entities = await Task.WhenAll(ids.Select(id => repository.FindAsync(id))).WaitAsync(s_timeout);

        Assert.Equal(ids.Select(id => id.ToString("N")), entities);
        Assert.Equal(2, repository.Log.CallCount);
        Assert.NotSame(repository.FindBatcher, new Repository<Guid, string>(id => "").FindBatcher);
    }

    [Fact]
    public async Task NestedTypeShape()
    {
        var inner = new Outer.Inner();
        int[] doubled = await Task.WhenAll(new[] { 1, 2, 3, 4 }.Select(v => inner.DoubleAsync(v))).WaitAsync(s_timeout);

        Assert.Equal([2, 4, 6, 8], doubled);
        Assert.Equal(2, inner.Log.CallCount);
    }

    [Fact]
    public async Task RecordShape()
    {
        var scorer = new Scorer(Weight: 10);
        double[] scores = await Task.WhenAll(new[] { 1.0, 2.0, 3.0 }.Select(v => scorer.ScoreAsync(v))).WaitAsync(s_timeout);

        Assert.Equal([10.0, 20.0, 30.0], scores);
        Assert.Equal(1, scorer.Log.CallCount);
    }

    [Fact]
    public async Task StaticMethodInStructShape()
    {
        uint[] sums = await Task.WhenAll(new[] { new byte[] { 1, 2 }, [3], [4, 5, 6] }.Select(b => Checksums.ComputeAsync(b))).WaitAsync(s_timeout);

        Assert.Equal([3u, 3u, 15u], sums);
    }

    [Fact]
    public async Task KeyedShapeSendsEachKeyOnceAndFaultsOnlyTheCallerOfAMissingKey()
    {
        var loader = new UserLoader();
        int[] ids = [1, 1, 2, 2, 3, -5, 3, 4, 4, 1];

        Task<User>[] calls = [.. ids.Select(id => loader.LoadUsersAsync(id))];

        await Assert.ThrowsAsync<KeyNotFoundException>(() => calls[5].WaitAsync(s_timeout));
        for (int i = 0; i < calls.Length; i++)
        {
            if (i != 5)
            {
                Assert.Equal(new User(ids[i], $"user{ids[i]}"), await calls[i].WaitAsync(s_timeout));
            }
        }

        object[] sent = Assert.Single(loader.Log.Calls);
        Assert.Equal([1, 2, 3, -5, 4], sent.Cast<int>());
    }

    [Fact]
    public async Task KeyedManyAsyncFaultsWhenAKeyIsMissing()
    {
        var loader = new UserLoader();

        int[] ids = [7, 8, 7, 1, 2, 3, 4, 5, 6, 7];
        IReadOnlyList<User> users = await loader.LoadUsersManyAsync(ids).WaitAsync(s_timeout);
        Assert.Equal(ids, users.Select(u => u.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => loader.LoadUsersManyAsync([9, -1, 1, 2, 3, 4, 5, 6, 7, 8]).WaitAsync(s_timeout));
    }

    [Fact]
    public async Task KeyedDictionaryValueTaskShape()
    {
        var store = new SettingsStore();
        ValueTask<string>[] calls = [.. new[] { "a", "b", "a", "c" }.Select(k => store.ReadAsync(k))];
        string[] values = await Task.WhenAll(calls.Select(c => c.AsTask())).WaitAsync(s_timeout);

        Assert.Equal(["A", "B", "A", "C"], values);
        Assert.Equal(["a", "b", "c"], Assert.Single(store.Log.Calls).Cast<string>());
    }

    [Fact]
    public async Task KeyedSynchronousDictionaryShape()
    {
        Assert.Equal("Country fr", await Countries.NameAsync("fr").WaitAsync(s_timeout));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Countries.NameAsync("xyz").WaitAsync(s_timeout));
    }

    [Fact]
    public async Task NameOverrideOverloadsAndAnExistingOverload()
    {
        var search = new Search();

        Assert.Equal(5, await search.FindByTextAsync("hello").WaitAsync(s_timeout));
        Assert.Equal(3, await search.FindByVector([1f, 2f, 3f]).WaitAsync(s_timeout));
        Assert.Equal(2, await search.FindByTextAsync("hello", limit: 2).WaitAsync(s_timeout));
        IReadOnlyList<int> many = await search.FindByTextManyAsync(["a", "bb"]).WaitAsync(s_timeout);
        Assert.Equal([1, 2], many);
        Assert.NotNull(search.FindByVectorBatcher);
    }

    [Fact]
    public async Task QueueSettingsOnTheAttributeTakeEffect()
    {
        var client = new BoundedClient();
        ValueTask<int> first = client.EchoAsync(1);
        ValueTask<int> second = client.EchoAsync(2);

        // Two calls fill the queue (QueueCapacity = 2); in Reject mode the third faults at once.
        await Assert.ThrowsAsync<BatchQueueFullException>(() => client.EchoAsync(3).AsTask());
        await client.EchoBatcher.DisposeAsync();
        Assert.Equal(1, await first.AsTask().WaitAsync(s_timeout));
        Assert.Equal(2, await second.AsTask().WaitAsync(s_timeout));
    }

    [Fact]
    public async Task PerItemResultsFailOnlyTheCallerWhoseItemFailed()
    {
        var parser = new NumberParser();
        Task<int>[] calls = [parser.ParseAsync("1"), parser.ParseAsync("two"), parser.ParseAsync("3"), parser.ParseAsync("4")];

        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(s_timeout);

        Assert.Equal([1, 3, 4], calls.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result));
        Assert.Equal("'two' is not a number.", Assert.IsType<FormatException>(calls[1].Exception!.InnerException).Message);
        Assert.Equal(1, parser.Log.CallCount);
        Assert.Equal(1, parser.ParseBatcher.GetStatistics().ItemsFailed);
    }
}
