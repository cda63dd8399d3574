namespace MicroBatching.Tests;

/// <summary>At steady state ProcessAsync allocates nothing per item; a batch allocates O(1) objects.</summary>
[Collection(NonParallelCollection.Name)]
public sealed class AllocationTests
{
    private const int BatchSize = 32;

    [Fact]
    public async Task ProcessAsyncAllocatesNothingPerItemAtSteadyState()
    {
        // The batch function answers with its own item list, so it allocates nothing either.
        await using var batcher = new MicroBatcher<int, int>(
            static (items, _) => new ValueTask<IReadOnlyList<int>>(items),
            new MicroBatchOptions { MaxBatchSize = BatchSize, MaxWaitTime = TimeSpan.FromSeconds(10) });
        var pending = new ValueTask<int>[BatchSize];

        await RunBatchesAsync(batcher, pending, rounds: 2_000);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        const int Rounds = 20_000;
        long checksum = await RunBatchesAsync(batcher, pending, Rounds);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(Rounds * (long)(BatchSize * (BatchSize - 1) / 2), checksum);
        double perItem = (double)allocated / (Rounds * BatchSize);
        // One small node per batch (about 2 bytes an item at 32 items) and nothing per item. A per-item object would be 24+ bytes.
        Assert.True(perItem < 8, $"Allocated {perItem:F2} bytes per item ({allocated} bytes for {Rounds * BatchSize} items).");
    }

    // Fills one batch per round from this thread, so every batch is full, then awaits the round.
    private static async Task<long> RunBatchesAsync(MicroBatcher<int, int> batcher, ValueTask<int>[] pending, int rounds)
    {
        long checksum = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < pending.Length; i++)
            {
                pending[i] = batcher.ProcessAsync(i);
            }

            for (int i = 0; i < pending.Length; i++)
            {
                checksum += await pending[i];
            }
        }

        return checksum;
    }
}
