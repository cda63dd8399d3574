using MicroBatching.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

public sealed class RegistryTests
{
    [Fact]
    public async Task ConfigureOptionsStepsSeeTheNameAndRunInOrderAfterTheCodeOptions()
    {
        var registry = new MicroBatcherRegistry { TimeProvider = new FakeTimeProvider() };
        var seen = new List<string?>();
        using IDisposable first = registry.ConfigureOptions(options => { seen.Add(options.Name); options.MaxBatchSize = 5; });
        using IDisposable second = registry.ConfigureOptions(options => options.MaxBatchSize = options.Name == "orders" ? 2 : options.MaxBatchSize);
        var function = new ControlledBatchFunction<int, int>();

        await using MicroBatcher<int, int> batcher = registry.Create<int, int>(function.Invoke,
            new MicroBatchOptions { Name = "orders", MaxBatchSize = 32, MaxWaitTime = TimeSpan.FromHours(1) });
        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];

        BatchCall<int, int> call = await function.NextCallAsync();
        Assert.Equal([1, 2], call.Items);
        Assert.Equal(["orders"], seen);
        call.Complete(x => x);
        await Task.WhenAll(calls.Select(c => c.WithTimeout()));
    }

    [Fact]
    public async Task ReconfigureAllStartsAgainFromTheOptionsEachBatcherWasCreatedWith()
    {
        var registry = new MicroBatcherRegistry { TimeProvider = new FakeTimeProvider() };
        IDisposable doubling = registry.ConfigureOptions(options => options.MaxBatchSize *= 2);
        await using MicroBatcher<int, int> orders = registry.Create<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { Name = "orders", MaxBatchSize = 4 });
        await using KeyedMicroBatcher<int, int> prices = registry.CreateKeyed<int, int>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<int, int>>(keys.ToDictionary(key => key)),
            new MicroBatchOptions { Name = "prices", MaxBatchSize = 3 });
        Assert.Equal((8, 6), (orders.GetOptions().MaxBatchSize, prices.GetOptions().MaxBatchSize));

        doubling.Dispose();
        using IDisposable adding = registry.ConfigureOptions(options => options.MaxBatchSize += 1);

        Assert.Equal(2, registry.ReconfigureAll());
        Assert.Equal((5, 4), (orders.GetOptions().MaxBatchSize, prices.GetOptions().MaxBatchSize));
    }

    [Fact]
    public async Task ReconfigureAllReconfiguresEveryBatcherItCanAndReportsTheOthers()
    {
        var registry = new MicroBatcherRegistry { TimeProvider = new FakeTimeProvider() };
        Func<IReadOnlyList<int>, CancellationToken, ValueTask<IReadOnlyList<int>>> echo =
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
        await using MicroBatcher<int, int> measured = registry.Create(echo,
            new MicroBatchOptions { Name = "measured", ItemCost = (int item) => item });
        await using MicroBatcher<int, int> unmeasured = registry.Create(echo, new MicroBatchOptions { Name = "unmeasured" });
        using IDisposable costBound = registry.ConfigureOptions(options => { options.MaxBatchCost = 100; options.MaxBatchSize = 7; });

        AggregateException failure = Assert.Throws<AggregateException>(() => registry.ReconfigureAll());

        Assert.Contains("1 micro-batcher(s) kept their settings", failure.Message);
        Assert.Contains("unmeasured", Assert.IsType<ArgumentException>(Assert.Single(failure.InnerExceptions)).Message);
        Assert.Equal((100, 7), (measured.GetOptions().MaxBatchCost, measured.GetOptions().MaxBatchSize));
        Assert.Equal((0, new MicroBatchOptions().MaxBatchSize),
            (unmeasured.GetOptions().MaxBatchCost, unmeasured.GetOptions().MaxBatchSize));
    }

    [Fact]
    public async Task ADrainedBatcherIsNoLongerListed()
    {
        // Generated code that loses a race to create its batcher disposes the spare at once: it must not linger in the
        // registry's list, its counts by name, or the host's drain.
        var registry = new MicroBatcherRegistry();
        Func<IReadOnlyList<int>, CancellationToken, ValueTask<IReadOnlyList<int>>> echo =
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
        await using MicroBatcher<int, int> kept = registry.Create(echo, new MicroBatchOptions { Name = "orders" });
        MicroBatcher<int, int> spare = registry.Create(echo, new MicroBatchOptions { Name = "orders" });
        KeyedMicroBatcher<int, int> keyed = registry.CreateKeyed<int, int>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<int, int>>(keys.ToDictionary(key => key)), new MicroBatchOptions { Name = "prices" });

        await spare.DisposeAsync();
        await keyed.DisposeAsync();

        Assert.Same(kept, Assert.Single(registry.GetBatchers()));
        Assert.Equal(1, registry.CountBatchersByName()["orders"]);
    }

    [Fact]
    public async Task DisposingAStepRemovesOnlyThatStep()
    {
        var registry = new MicroBatcherRegistry();
        IDisposable doubling = registry.ConfigureOptions(options => options.MaxBatchSize *= 2);
        using IDisposable adding = registry.ConfigureOptions(options => options.MaxBatchSize += 1);

        doubling.Dispose();
        doubling.Dispose();

        var function = new ControlledBatchFunction<int, int>();
        MicroBatcher<int, int> batcher = registry.Create<int, int>(function.Invoke, new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) });
        ValueTask<int>[] calls = [.. Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i))];
        BatchCall<int, int> call = await function.NextCallAsync();
        Assert.Equal([1, 2, 3], call.Items);
        call.Complete(x => x);
        await Task.WhenAll(calls.Select(c => c.WithTimeout()));
        await batcher.DisposeAsync();
    }

    [Fact]
    public void ClearConfiguredOptionsRemovesEveryStep()
    {
        var registry = new MicroBatcherRegistry();
        registry.ConfigureOptions(options => options.MaxBatchSize = 0);

        registry.ClearConfiguredOptions();

        // The step would have made the options invalid.
        MicroBatcher<int, int> batcher = registry.Create<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. items]));
        Assert.NotNull(batcher);
    }

    [Fact]
    public void InvalidOptionsFromAStepAreRejectedWithTheBatcherName()
    {
        var registry = new MicroBatcherRegistry();
        registry.ConfigureOptions(options => options.MaxConcurrentBatches = 0);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            registry.Create<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. items]), new MicroBatchOptions { Name = "orders" }));

        Assert.Contains("MaxConcurrentBatches", error.Message, StringComparison.Ordinal);
        Assert.Contains("orders", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrainAllRunsEveryPendingItemOfEveryLiveBatcherAndTheyAcceptNoMore()
    {
        var registry = new MicroBatcherRegistry { TimeProvider = new FakeTimeProvider() };
        var options = new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromHours(1) };
        MicroBatcher<int, int> doubler = registry.Create<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 2)]), options);
        KeyedMicroBatcher<int, string> names = registry.CreateKeyed<int, string>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<int, string>>(keys.ToDictionary(k => k, k => $"#{k}")), options);
        ValueTask<int> doubled = doubler.ProcessAsync(21);
        ValueTask<string> named = names.ProcessAsync(7);

        Assert.Equal(2, registry.GetBatchers().Count);
        await registry.DrainAllAsync().WithTimeout();

        Assert.Equal(42, await doubled.WithTimeout());
        Assert.Equal("#7", await named.WithTimeout());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => doubler.ProcessAsync(1).WithTimeout());
    }

    [Fact]
    public async Task ManyLiveBatchersOfOneNameAreLoggedOnceAndCountedByName()
    {
        using var loggers = new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider();
        using var factory = new Microsoft.Extensions.Logging.LoggerFactory([loggers]);
        var registry = new MicroBatcherRegistry { LoggerFactory = factory, TimeProvider = new FakeTimeProvider() };
        var live = new List<MicroBatcher<int, int>>();

        // As a transient service does: a new owner, so a new batcher of the same name, for every request.
        for (int i = 0; i < MicroBatcherRegistry.ManyBatchersWarningThreshold * 2; i++)
        {
            live.Add(registry.Create<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. items]), new MicroBatchOptions { Name = "Shop.Embedder.EmbedBatchAsync" }));
        }

        live.Add(registry.Create<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. items]), new MicroBatchOptions { Name = "other" }));

        var warning = Assert.Single(loggers.Collector.GetSnapshot(), record => record.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("64 live micro-batchers are named 'Shop.Embedder.EmbedBatchAsync'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("singleton", warning.Message, StringComparison.Ordinal);
        IReadOnlyDictionary<string, int> counts = registry.CountBatchersByName();
        Assert.Equal(128, counts["Shop.Embedder.EmbedBatchAsync"]);
        Assert.Equal(1, counts["other"]);
        foreach (MicroBatcher<int, int> batcher in live)
        {
            await batcher.DisposeAsync();
        }
    }

    [Fact]
    public void FewBatchersOfOneNameAreNotLogged()
    {
        using var loggers = new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider();
        using var factory = new Microsoft.Extensions.Logging.LoggerFactory([loggers]);
        var registry = new MicroBatcherRegistry { LoggerFactory = factory, TimeProvider = new FakeTimeProvider() };
        var live = Enumerable.Range(0, MicroBatcherRegistry.ManyBatchersWarningThreshold - 1)
            .Select(_ => registry.Create<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. items]), new MicroBatchOptions { Name = "few" }))
            .ToList();

        Assert.Empty(loggers.Collector.GetSnapshot());
        Assert.Equal(MicroBatcherRegistry.ManyBatchersWarningThreshold - 1, registry.CountBatchersByName()["few"]);
        GC.KeepAlive(live);
    }
}
