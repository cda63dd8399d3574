using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MicroBatching.Hosting.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task ConfiguredBatchSizeDispatchesFullBatchesWithoutTheTimer()
    {
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Batchers": { "lookup": { "MaxBatchSize": 3 } } } }
            """);
        await host.StartAsync();
        var function = new RecordingBatchFunction();
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(function.Invoke,
            new MicroBatchOptions { Name = "lookup", MaxBatchSize = 32, MaxWaitTime = TimeSpan.FromHours(1) });

        int[] results = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i).AsTask())).WithTimeout();

        Assert.Equal([10, 20, 30], results);
        Assert.Equal([1, 2, 3], Assert.Single(function.Batches));
        await host.StopAsync();
    }

    [Fact]
    public async Task DefaultsApplyToEveryBatcherAndNamedEntriesWinOverThem()
    {
        await using TestHost host = TestHost.Build("""
            {
              "MicroBatching": {
                "Defaults": { "MaxWaitTime": "00:00:00.050" },
                "Batchers": { "fast": { "MaxWaitTime": "00:00:00.005" } }
              }
            }
            """);
        await host.StartAsync();
        var slowFunction = new RecordingBatchFunction();
        var fastFunction = new RecordingBatchFunction();
        MicroBatcher<int, int> slow = host.Registry.Create<int, int>(slowFunction.Invoke, new MicroBatchOptions { Name = "slow" });
        MicroBatcher<int, int> fast = host.Registry.Create<int, int>(fastFunction.Invoke, new MicroBatchOptions { Name = "FAST" });

        ValueTask<int> slowCall = slow.ProcessAsync(1);
        ValueTask<int> fastCall = fast.ProcessAsync(2);
        host.Clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(20, await fastCall.WithTimeout());
        Assert.Empty(slowFunction.Batches);

        host.Clock.Advance(TimeSpan.FromMilliseconds(45));
        Assert.Equal(10, await slowCall.WithTimeout());
        await host.StopAsync();
    }

    [Fact]
    public void SettingsMissingFromConfigurationKeepTheValuesFromCode()
    {
        var settings = new MicroBatchingOptions { Defaults = new MicroBatchOptionsOverrides { MaxConcurrentBatches = 4 } };
        settings.Batchers["lookup"] = new MicroBatchOptionsOverrides { QueueCapacity = 100 };
        var options = new MicroBatchOptions { Name = "lookup", MaxBatchSize = 7, MaxWaitTime = TimeSpan.FromMilliseconds(3), QueueFullMode = QueueFullMode.Reject };

        settings.ApplyTo(options);

        Assert.Equal(7, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(3), options.MaxWaitTime);
        Assert.Equal(QueueFullMode.Reject, options.QueueFullMode);
        Assert.Equal(4, options.MaxConcurrentBatches);
        Assert.Equal(100, options.QueueCapacity);
    }

    [Fact]
    public async Task MisspeltSettingFailsStartupAndNamesTheKey()
    {
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Defaults": { "MaxBatchSzie": 5 } } }
            """);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("MaxBatchSzie", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Batchers": { "orders": { "MaxBatchSze": 5 } } }""", "'MicroBatching:Batchers:orders:MaxBatchSze'", "'MaxBatchSize'")]
    [InlineData("""{ "Batcher": { "orders": { "MaxBatchSize": 5 } } }""", "'MicroBatching:Batcher'", "'Batchers'")]
    [InlineData("""{ "Dags": { "Shop.Graph": { "MaxParalelism": 2 } } }""", "'MicroBatching:Dags:Shop.Graph:MaxParalelism'", "'MaxParallelism'")]
    public async Task AMisspeltKeyFailsStartupWithItsFullPathAndTheClosestValidKey(string section, string path, string suggestion)
    {
        await using TestHost host = TestHost.Build($$"""{ "MicroBatching": {{section}} }""");

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"did you mean {suggestion}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMisspeltBatcherNameFailsStartupAndSuggestsTheGeneratedOne()
    {
        // The method is StockBatchAsync: a name without its Async would otherwise be ignored, and the defaults used.
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Batchers": { "MicroBatching.Hosting.Tests.InventoryService.StockBatch": { "MaxBatchSize": 2 } } } }
            """);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MicroBatching:Batchers:MicroBatching.Hosting.Tests.InventoryService.StockBatch names no batcher of this application", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'MicroBatching.Hosting.Tests.InventoryService.StockBatchAsync'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMisspeltGraphNameFailsStartup()
    {
        await using TestHost host = TestHost.Build("""{ "MicroBatching": { "Dags": { "MicroBatching.Hosting.Tests.TagGrap": { "MaxParallelism": 2 } } } }""");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("did you mean 'MicroBatching.Hosting.Tests.TagGraph'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesOfGeneratedRegisteredAndDeclaredBatchersAreAllKnown()
    {
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Batchers": {
                "MicroBatching.Hosting.Tests.InventoryService.StockBatchAsync": { "MaxBatchSize": 2 },
                "MicroBatching.Hosting.Tests.TagGraph.Tag": { "MaxBatchSize": 2 },
                "registered": { "MaxBatchSize": 2 },
                "lookup": { "MaxBatchSize": 2 } } } }
            """, services => services.AddMicroBatcher<int, int>("registered", (_, items, _) => ValueTask.FromResult<IReadOnlyList<int>>([.. items])));

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task AWaitOfOverAMinuteIsTakenForAUnitsMistakeAndFailsStartupWithAHint()
    {
        await using TestHost host = TestHost.Build("""{ "MicroBatching": { "Batchers": { "orders": { "MaxWaitTime": "5" } } } }""");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MicroBatching:Batchers:orders:MaxWaitTime is 5.00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"00:00:00.005\" for 5 ms", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "MaxBatchSize": 0 }""", "MaxBatchSize")]
    [InlineData("""{ "MaxWaitTime": "-00:00:01" }""", "MaxWaitTime")]
    [InlineData("""{ "MaxConcurrentBatches": 0 }""", "MaxConcurrentBatches")]
    [InlineData("""{ "QueueCapacity": -1 }""", "QueueCapacity")]
    public async Task OutOfRangeSettingFailsStartupAndNamesTheEntry(string entry, string setting)
    {
        await using TestHost host = TestHost.Build($$"""
            { "MicroBatching": { "Batchers": { "orders": {{entry}} } } }
            """);

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MicroBatching:Batchers:orders", error.Message, StringComparison.Ordinal);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndefinedEnumValueFailsStartup()
    {
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Defaults": { "QueueFullMode": "Drop" } } }
            """);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("QueueFullMode", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppingTheHostRemovesItsSettingsFromTheRegistry()
    {
        var registry = new MicroBatcherRegistry();
        await using TestHost host = TestHost.Build("""
            { "MicroBatching": { "Defaults": { "MaxBatchSize": 2 } } }
            """, registry: registry);
        await host.StartAsync();
        Assert.Same(host.Services.GetService(typeof(TimeProvider)), registry.TimeProvider);
        Assert.NotNull(registry.LoggerFactory);

        await host.StopAsync();

        Assert.Null(registry.TimeProvider);
        Assert.Null(registry.LoggerFactory);
        var function = new RecordingBatchFunction();
        MicroBatcher<int, int> batcher = registry.Create<int, int>(function.Invoke, new MicroBatchOptions { MaxBatchSize = 3 });
        Task<int[]> results = Task.WhenAll(Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i).AsTask()));
        await batcher.DisposeAsync();

        int[] values = await results.WithTimeout();
        Assert.Equal([10, 20, 30], values);
        Assert.Equal([1, 2, 3], Assert.Single(function.Batches));
    }
}
