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

/// <summary>Generated batchers are created by <see cref="MicroBatcherRegistry.Default"/>, which the host configures and drains.</summary>
public sealed class GeneratedBatcherTests
{
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
