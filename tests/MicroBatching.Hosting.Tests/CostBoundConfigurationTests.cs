using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MicroBatching.Hosting.Tests;

public sealed partial class TokenizedEmbedder
{
    private readonly List<string[]> _batches = [];

    public IReadOnlyList<string[]> Batches
    {
        get
        {
            lock (_batches)
            {
                return [.. _batches];
            }
        }
    }

    // No bound in code: configuration sets it.
    [MicroBatched(MaxSize = 32, MaxWaitMs = 60_000, CostMethod = nameof(CountTokens))]
    private Task<IReadOnlyList<int>> EmbedBatchAsync(IReadOnlyList<string> texts)
    {
        lock (_batches)
        {
            _batches.Add([.. texts]);
        }

        return Task.FromResult<IReadOnlyList<int>>([.. texts.Select(CountTokens)]);
    }

    private int CountTokens(string text) => text.Split(' ').Length;
}

/// <summary>
/// <c>MaxBatchCost</c> from configuration: it reaches a batcher that measures its items, and fails start-up, naming the
/// key, where it could only fail later (a batcher without a cost method, or a default for every batcher).
/// </summary>
public sealed class CostBoundConfigurationTests
{
    private const string EmbedderName = "MicroBatching.Hosting.Tests.TokenizedEmbedder.EmbedBatchAsync";
    private const string InventoryName = "MicroBatching.Hosting.Tests.InventoryService.StockBatchAsync";

    [Fact]
    public async Task ACostBoundFromConfigurationSplitsBatchesByTokens()
    {
        await using TestHost host = TestHost.Build(
            $$"""{ "MicroBatching": { "Batchers": { "{{EmbedderName}}": { "MaxBatchCost": 5 } } } }""",
            services => services.AddSingleton<TokenizedEmbedder>());
        await host.StartAsync();
        var embedder = host.Services.GetRequiredService<TokenizedEmbedder>();

        // 2 + 2 tokens fit under 5; the third text's 2 do not, so the first two leave without waiting a minute.
        Task<int>[] calls = [embedder.EmbedAsync("a b"), embedder.EmbedAsync("c d"), embedder.EmbedAsync("e f")];
        Assert.Equal(new[] { 2, 2 }, await Task.WhenAll(calls[0], calls[1]).WithTimeout());
        Assert.Equal(["a b", "c d"], Assert.Single(embedder.Batches));
        Assert.False(calls[2].IsCompleted);

        await host.StopAsync().WithTimeout();
        Assert.Equal(2, await calls[2].WithTimeout());
    }

    [Fact]
    public async Task ACostBoundForABatcherThatDoesNotMeasureItsItemsFailsStartUp()
    {
        await using TestHost host = TestHost.Build(
            $$"""{ "MicroBatching": { "Batchers": { "{{InventoryName}}": { "MaxBatchCost": 100 } } } }""");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"MicroBatching:Batchers:{InventoryName}:MaxBatchCost is 100", error.Message);
        Assert.Contains("CostMethod", error.Message);
    }

    [Fact]
    public async Task ACostBoundAsADefaultFailsStartUp()
    {
        await using TestHost host = TestHost.Build("""{ "MicroBatching": { "Defaults": { "MaxBatchCost": 100 } } }""");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MicroBatching:Defaults:MaxBatchCost cannot be a default", error.Message);
    }

    [Fact]
    public async Task ANegativeCostBoundFailsStartUpNamingTheKey()
    {
        await using TestHost host = TestHost.Build(
            $$"""{ "MicroBatching": { "Batchers": { "{{EmbedderName}}": { "MaxBatchCost": -1 } } } }""");

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"MicroBatching:Batchers:{EmbedderName}", error.Message);
        Assert.Contains("MaxBatchCost must be zero", error.Message);
    }
}
