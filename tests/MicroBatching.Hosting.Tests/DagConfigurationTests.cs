using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MicroBatching.Hosting.Tests;

[BatchDag(MaxParallelism = 8)]
public sealed partial class TagGraph
{
    private int _running;
    private int _peak;
    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _sizes = new();

    public IReadOnlyList<int> CallSizes => [.. _sizes];

    public int PeakConcurrency => Volatile.Read(ref _peak);

    [DagNode(MaxSize = 32, Output = true)]
    private async Task<IReadOnlyList<string>> Tag(IReadOnlyList<int> id, CancellationToken ct)
    {
        int running = Interlocked.Increment(ref _running);
        int peak;
        while (running > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, running, peak) != peak)
        {
        }

        _sizes.Enqueue(id.Count);
        await Task.Delay(5, ct);
        Interlocked.Decrement(ref _running);
        return [.. id.Select(i => $"#{i}")];
    }
}

/// <summary>A graph's nodes are batchers named Namespace.Type.Node, and the graph itself is configured under Dags.</summary>
public sealed class DagConfigurationTests
{
    private const string Node = "MicroBatching.Hosting.Tests.TagGraph.Tag";
    private const string Graph = "MicroBatching.Hosting.Tests.TagGraph";

    [Fact]
    public async Task ANodesBatcherSettingsAndTheGraphsParallelismComeFromConfiguration()
    {
        await using TestHost host = TestHost.Build($$"""
            { "MicroBatching": {
                "Batchers": { "{{Node}}": { "MaxBatchSize": 2 } },
                "Dags": { "{{Graph}}": { "MaxParallelism": 1 } } } }
            """, services => services.AddSingleton<TagGraph>());
        await host.StartAsync();
        var graph = host.Services.GetRequiredService<TagGraph>();

        IReadOnlyList<BatchItemResult<string>> results = await graph.ExecuteBatchAsync([1, 2, 3, 4, 5, 6]).WithTimeout();

        Assert.Equal(["#1", "#2", "#3", "#4", "#5", "#6"], results.Select(r => r.Value));
        Assert.Equal([2, 2, 2], graph.CallSizes);
        Assert.Equal(1, graph.PeakConcurrency);
    }

    [Fact]
    public async Task AnOutOfRangeGraphSettingStopsTheHostAndNamesItsKey()
    {
        await using TestHost host = TestHost.Build($$"""{ "MicroBatching": { "Dags": { "{{Graph}}": { "MaxParallelism": 0 } } } }""");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(host.StartAsync);
        Assert.Contains($"MicroBatching:Dags:{Graph}", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxParallelism", error.Message, StringComparison.Ordinal);
    }
}
