using Microsoft.Extensions.DependencyInjection;

namespace MicroBatching.Hosting.Tests;

public sealed partial class InventoryService
{
    private int _batchCalls;

    public int BatchCalls => Volatile.Read(ref _batchCalls);

    [MicroBatched(MaxSize = 32, MaxWaitMs = 60_000)]
    private Task<IReadOnlyList<int>> StockBatchAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _batchCalls);
        return Task.FromResult<IReadOnlyList<int>>([.. skus.Select(sku => sku.Length)]);
    }
}

/// <summary>
/// Generated batchers of singleton services are created by their host's registry, which configures and drains them;
/// other objects use <see cref="MicroBatcherRegistry.Default"/> unless attached.
/// </summary>
public sealed class GeneratedBatcherTests
{
    private const string BatcherName = "MicroBatching.Hosting.Tests.InventoryService.StockBatchAsync";

    [Fact]
    public async Task TwoHostsInOneProcessEachApplyTheirOwnSettingsToTheSameBatcherName()
    {
        await using TestHost pairs = TestHost.Build(SizeSetting(2), services => services.AddSingleton<InventoryService>());
        await using TestHost triples = TestHost.Build(SizeSetting(3), services => services.AddSingleton<InventoryService>());
        await pairs.StartAsync();
        await triples.StartAsync();
        var pairsInventory = pairs.Services.GetRequiredService<InventoryService>();
        var triplesInventory = triples.Services.GetRequiredService<InventoryService>();

        // No time passes on the hosts' fake clocks: a batch leaves only when it is full, at each host's own size.
        int[] pairsStock = await Task.WhenAll(pairsInventory.StockAsync("a"), pairsInventory.StockAsync("bb")).WithTimeout();
        Assert.Equal([1, 2], pairsStock);
        Task<int>[] twoOfThree = [triplesInventory.StockAsync("a"), triplesInventory.StockAsync("bb")];
        Assert.DoesNotContain(twoOfThree, call => call.IsCompleted);
        Assert.Equal(3, await triplesInventory.StockAsync("ccc").WithTimeout());
        int[] triplesStock = await Task.WhenAll(twoOfThree).WithTimeout();
        Assert.Equal([1, 2], triplesStock);
        Assert.Same(pairs.Registry, MicroBatcherRegistry.For(pairsInventory));
        Assert.Same(triples.Registry, MicroBatcherRegistry.For(triplesInventory));

        // Stopping one host drains its batchers only.
        Task<int> waitingInTriples = triplesInventory.StockAsync("dddd");
        await pairs.StopAsync().WithTimeout();
        Assert.False(waitingInTriples.IsCompleted);
        await triples.StopAsync().WithTimeout();
        Assert.Equal(4, await waitingInTriples.WithTimeout());
    }

    [Fact]
    public async Task AnObjectCreatedOutsideTheContainerGetsTheHostsSettingsOnceAttached()
    {
        await using TestHost host = TestHost.Build(SizeSetting(2));
        await host.StartAsync();
        var inventory = new InventoryService();
        host.Registry.Attach(inventory);

        int[] stock = await Task.WhenAll(inventory.StockAsync("a"), inventory.StockAsync("bb")).WithTimeout();
        Assert.Equal([1, 2], stock);
        Assert.Contains(inventory.StockBatcher, host.Registry.GetBatchers());
    }

    [Fact]
    public async Task AnObjectNeitherResolvedNorAttachedUsesTheDefaultRegistryNotTheHosts()
    {
        await using TestHost host = TestHost.Build(SizeSetting(2));
        await host.StartAsync();
        var inventory = new InventoryService();

        _ = inventory.StockBatcher;
        Assert.DoesNotContain(inventory.StockBatcher, host.Registry.GetBatchers());
        Assert.Contains(inventory.StockBatcher, MicroBatcherRegistry.Default.GetBatchers());
        await inventory.StockBatcher.DisposeAsync();
    }

    private static string SizeSetting(int maxBatchSize) =>
        $$"""{ "MicroBatching": { "Batchers": { "{{BatcherName}}": { "MaxBatchSize": {{maxBatchSize}} } } } }""";

    // A single-host application may make the default registry its container's, as before hosts had registries of their own.
    [Fact]
    public async Task ConfigurationReachesGeneratedBatchersByTheirNameAndStopDrainsThem()
    {
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Batchers": { "MicroBatching.Hosting.Tests.InventoryService.StockBatchAsync": { "MaxBatchSize": 2 } } } }
            """, registry: MicroBatcherRegistry.Default);
        await host.StartAsync();
        var inventory = new InventoryService();

        // MaxSize 32 in code, 2 from configuration: two calls make a full batch with no time passing.
        int[] stock = await Task.WhenAll(inventory.StockAsync("a"), inventory.StockAsync("bb")).WithTimeout();
        Assert.Equal([1, 2], stock);
        Assert.Equal(1, inventory.BatchCalls);
        Assert.Equal("MicroBatching.Hosting.Tests.InventoryService.StockBatchAsync", inventory.StockBatcher.Name);

        // A lone call would wait a minute for company; stopping the host dispatches it at once.
        Task<int> pending = inventory.StockAsync("ccc");
        Assert.False(pending.IsCompleted);
        await host.StopAsync().WithTimeout();
        Assert.Equal(3, await pending.WithTimeout());
    }
}
