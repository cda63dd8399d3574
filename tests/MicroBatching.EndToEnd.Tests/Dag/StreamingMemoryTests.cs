namespace MicroBatching.EndToEnd.Tests.Dag;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeProcessCollection
{
    public const string Name = "Measures the whole process";
}

/// <summary>A stream larger than any window runs in bounded memory: inputs are read one window ahead, results handed out as they come.</summary>
[Collection(WholeProcessCollection.Name)]
public sealed class StreamingMemoryTests
{
    private const int Inputs = 1_000_000;

    // Two windows of 4,096 inputs with their four node columns are under 1 MB; the bound leaves room for the runtime's own
    // caches. Holding all million inputs or results would take 8 MB or more per column.
    private const long BoundBytes = 8L * 1024 * 1024;

    [Fact]
    public async Task AMillionInputsStreamThroughTheGraphInBoundedMemory()
    {
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, count = 0, checksum = 0, expected = 0;
        await foreach (BatchItemResult<long> result in Checksum.ExecuteStreamAsync(Values()))
        {
            checksum += result.Value;
            if (++count % 100_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        for (long v = 0; v < Inputs; v++)
        {
            expected += (v * v / 2) + (v * v / 3);
        }

        Assert.Equal(Inputs, count);
        Assert.Equal(expected, checksum);
        Assert.True(peak < BoundBytes, $"Live memory grew by {peak / 1024} KB while streaming (bound {BoundBytes / 1024} KB).");
    }

    private static async IAsyncEnumerable<int> Values()
    {
        for (int i = 0; i < Inputs; i++)
        {
            if (i % 4096 == 0)
            {
                await Task.Yield();
            }

            yield return i;
        }
    }
}
