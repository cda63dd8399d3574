using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace MicroBatching.Hosting.Tests;

/// <summary>
/// Settings reloaded from configuration reach running batchers from their next batch, without a restart; an invalid
/// reload is logged and changes nothing. docs/operations.md, "Changing settings without a restart".
/// </summary>
public sealed class LiveReloadTests
{
    private const string Lookup = "MicroBatching:Batchers:lookup";
    private static readonly TimeSpan LongWait = TimeSpan.FromHours(1);

    [Fact]
    public async Task EditingTheJsonFileChangesTheSizeOfTheNextBatch()
    {
        string directory = Directory.CreateTempSubdirectory("microbatching-reload-").FullName;
        string path = Path.Combine(directory, "appsettings.json");
        try
        {
            await File.WriteAllTextAsync(path, """{ "MicroBatching": { "Batchers": { "lookup": { "MaxBatchSize": 2 } } } }""");
            await using TestHost host = TestHost.Build(configuration => configuration.AddJsonFile(path, optional: false, reloadOnChange: true));
            await host.StartAsync();
            var function = new RecordingBatchFunction();
            MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(function.Invoke,
                new MicroBatchOptions { Name = "lookup", MaxBatchSize = 32, MaxWaitTime = LongWait });
            Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(batcher.ProcessAsync(1).AsTask(), batcher.ProcessAsync(2).AsTask()).WithTimeout());

            await File.WriteAllTextAsync(path, """{ "MicroBatching": { "Batchers": { "lookup": { "MaxBatchSize": 3 } } } }""");
            await UntilAsync(() => batcher.GetOptions().MaxBatchSize == 3);

            Assert.Equal(new[] { 30, 40, 50 }, await Task.WhenAll(Enumerable.Range(3, 3).Select(i => batcher.ProcessAsync(i).AsTask())).WithTimeout());
            Assert.Equal([[1, 2], [3, 4, 5]], function.Batches.ToArray());
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task WaitEnabledAndConcurrencyApplyToTheNextBatchToo()
    {
        await using TestHost host = InMemoryHost(new() { [$"{Lookup}:MaxWaitTime"] = "00:00:01" });
        await host.StartAsync();
        var function = new RecordingBatchFunction();
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(function.Invoke, new MicroBatchOptions { Name = "lookup" });

        Reload(host, new()
        {
            [$"{Lookup}:MaxWaitTime"] = "00:00:00.005", [$"{Lookup}:MaxConcurrentBatches"] = "3", [$"{Lookup}:DispatchMode"] = "Adaptive",
        });
        MicroBatchOptions reloaded = batcher.GetOptions();
        Assert.Equal((TimeSpan.FromMilliseconds(5), 3, BatchDispatchMode.Adaptive),
            (reloaded.MaxWaitTime, reloaded.MaxConcurrentBatches, reloaded.DispatchMode));

        Reload(host, new() { [$"{Lookup}:Enabled"] = "false" });
        Assert.Equal(new[] { 10, 20 }, await Task.WhenAll(batcher.ProcessAsync(1).AsTask(), batcher.ProcessAsync(2).AsTask()).WithTimeout());
        Assert.All(function.Batches, batch => Assert.Single(batch));
        await host.StopAsync();
    }

    [Fact]
    public async Task AKeyRemovedFromConfigurationFallsBackToTheValueFromCode()
    {
        await using TestHost host = InMemoryHost(new() { [$"{Lookup}:MaxBatchSize"] = "2" });
        await host.StartAsync();
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(new RecordingBatchFunction().Invoke,
            new MicroBatchOptions { Name = "lookup", MaxBatchSize = 7 });
        Assert.Equal(2, batcher.GetOptions().MaxBatchSize);

        Reload(host, []);

        Assert.Equal(7, batcher.GetOptions().MaxBatchSize);
    }

    [Fact]
    public async Task AnInvalidReloadIsLoggedWithItsKeyAndTheSettingsInForceStay()
    {
        await using TestHost host = InMemoryHost(new() { [$"{Lookup}:MaxBatchSize"] = "2" });
        await host.StartAsync();
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(new RecordingBatchFunction().Invoke,
            new MicroBatchOptions { Name = "lookup", MaxWaitTime = LongWait });

        Reload(host, new() { [$"{Lookup}:MaxBatchSize"] = "0" });

        FakeLogRecord error = Assert.Single(Logs(host), log => log.Level == LogLevel.Error);
        Assert.Contains(Lookup, error.Message);
        Assert.Contains("MaxBatchSize must be between 1 and", error.Message);
        Assert.Equal(2, batcher.GetOptions().MaxBatchSize);

        // The options monitor is not left broken: the next valid reload applies.
        Reload(host, new() { [$"{Lookup}:MaxBatchSize"] = "4" });
        Assert.Equal(4, batcher.GetOptions().MaxBatchSize);
    }

    [Fact]
    public async Task AChangedQueueSettingIsReportedAsNeedingARestart()
    {
        await using TestHost host = InMemoryHost(new() { [$"{Lookup}:QueueCapacity"] = "10" });
        await host.StartAsync();
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(new RecordingBatchFunction().Invoke, new MicroBatchOptions { Name = "lookup" });

        Reload(host, new() { [$"{Lookup}:QueueCapacity"] = "20", [$"{Lookup}:MaxBatchSize"] = "5" });

        FakeLogRecord warning = Assert.Single(Logs(host), log => log.Level == LogLevel.Warning);
        Assert.Contains($"{Lookup}:QueueCapacity", warning.Message);
        Assert.Equal((10, 5), (batcher.GetOptions().QueueCapacity, batcher.GetOptions().MaxBatchSize));
    }

    [Fact]
    public async Task ANamedBatcherResolvedBeforeTheHostStartsIsConfiguredAndReloaded()
    {
        await using TestHost host = InMemoryHost(new() { ["MicroBatching:Batchers:orders:MaxBatchSize"] = "3" },
            services => services.AddMicroBatcher<int, int>("orders", (_, items, _) => new RecordingBatchFunction().Invoke(items, default),
                options => options.MaxBatchSize = 16));
        MicroBatcher<int, int> orders = host.Services.GetRequiredKeyedService<MicroBatcher<int, int>>("orders");
        Assert.Equal(3, orders.GetOptions().MaxBatchSize);

        await host.StartAsync();
        Reload(host, new() { ["MicroBatching:Batchers:orders:MaxBatchSize"] = "5" });
        Assert.Equal(5, orders.GetOptions().MaxBatchSize);

        Reload(host, []);
        Assert.Equal(16, orders.GetOptions().MaxBatchSize);
        await host.StopAsync();
    }

    [Fact]
    public async Task ReloadsStopWhenTheHostHasStopped()
    {
        await using TestHost host = InMemoryHost(new() { [$"{Lookup}:MaxBatchSize"] = "2" });
        await host.StartAsync();
        MicroBatcher<int, int> batcher = host.Registry.Create<int, int>(new RecordingBatchFunction().Invoke, new MicroBatchOptions { Name = "lookup" });
        await host.StopAsync();

        Reload(host, new() { [$"{Lookup}:MaxBatchSize"] = "4" });

        Assert.Equal(2, batcher.GetOptions().MaxBatchSize);
    }

    private static TestHost InMemoryHost(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null) =>
        TestHost.Build(configuration => configuration.Add(new ReloadableSource(settings)), configure);

    // Replaces every setting, then raises the reload token as a file provider does when its file changes.
    private static void Reload(TestHost host, Dictionary<string, string?> settings)
    {
        host.Configuration.Providers.OfType<ReloadableProvider>().Single().Replace(settings);
        host.Configuration.Reload();
    }

    private static IReadOnlyList<FakeLogRecord> Logs(TestHost host) =>
        host.Services.GetFakeLogCollector().GetSnapshot().Where(log => log.Category == "MicroBatching.Hosting").ToList();

    // Polls for an effect of a file watcher, whose timing no fake clock controls.
    private static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private sealed class ReloadableSource(Dictionary<string, string?> settings) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new ReloadableProvider(settings);
    }

    private sealed class ReloadableProvider(Dictionary<string, string?> settings) : ConfigurationProvider
    {
        private Dictionary<string, string?> _settings = settings;

        public override void Load() => Data = new Dictionary<string, string?>(_settings, StringComparer.OrdinalIgnoreCase);

        public void Replace(Dictionary<string, string?> next) => _settings = next;
    }
}
