namespace MicroBatching.Tests;

/// <summary>
/// Resuming a batch's callers costs nothing per batch beyond the batch's node when the callers return promptly: the
/// watch for a continuation that blocks is one timer per batcher, not an object and a work item per batch.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class ResumptionCostTests
{
    [Fact]
    public async Task ABatchOfSeveralCallersAllocatesOnlyItsNode()
    {
        const int Batches = 20_000;
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) },
            new CountingTimeProvider());

        await RunAsync(batcher, 1_000);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await RunAsync(batcher, Batches);
        double perBatch = (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / Batches;

        // The node is 72 bytes and the batch function's result array 32; a watcher object per batch would add 40 more.
        Assert.True(perBatch < 120, $"{perBatch:F1} bytes allocated per batch of two callers.");
    }

    private static async Task RunAsync(MicroBatcher<int, int> batcher, int batches)
    {
        for (int i = 0; i < batches; i++)
        {
            ValueTask<int> first = batcher.ProcessAsync(i);
            ValueTask<int> second = batcher.ProcessAsync(-i);
            // Not Assert.Equal: it allocates a comparer on every call, which would drown what is measured.
            if (await first.ConfigureAwait(false) != i || await second.ConfigureAwait(false) != -i)
            {
                Assert.Fail($"Batch {i} routed a result to the wrong caller.");
            }
        }
    }
}
