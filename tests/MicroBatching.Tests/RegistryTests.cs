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
}
