using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Load;

public sealed record RealisticCostResult(string Contender, int MaxConcurrentBatches, LoadSample Sample, double DirectItemsPerSecond)
{
    /// <summary>One lane at full batches: 32 items per (200 µs + 32 × 2 µs).</summary>
    public const double OneLaneLimit = 32 / 264e-6;

    public double SpeedupOverDirect => Sample.ItemsPerSecond / DirectItemsPerSecond;

    public double FractionOfOneLane => Sample.ItemsPerSecond / OneLaneLimit;
}

/// <summary>S4: a batch function costing 200 µs + 2 µs per item of busy work, 64 callers, for 2 s.</summary>
public static class RealisticCostScenario
{
    public const int Callers = 64;

    public static async Task<IReadOnlyList<RealisticCostResult>> RunAsync(TimeSpan duration, Action<string> log)
    {
        var runs = new (string Name, int Lanes)[]
        {
            (Contender.Direct, 1), (Contender.MicroBatcher, 1), (Contender.MicroBatcher, 2),
            (Contender.Channels, 1), (Contender.Dataflow, 1), (Contender.Dataflow, 2), (Contender.Rx, 1), (Contender.OriginalDesign, 1),
        };

        var results = new List<RealisticCostResult>();
        double direct = 0;
        foreach ((string name, int lanes) in runs)
        {
            var workload = new BatchWorkload(32, TimeSpan.FromMilliseconds(10), lanes, perCall: TimeSpan.FromMicroseconds(200), perItem: TimeSpan.FromMicroseconds(2));
            await using IBatchingContender contender = Contender.Create(name, workload);
            LoadSample sample = await ClosedLoopDriver.RunAsync(contender, Callers, duration, recordLatency: false);
            direct = name == Contender.Direct ? sample.ItemsPerSecond : direct;
            var result = new RealisticCostResult(name, lanes, sample, direct);
            log($"S4 {name,-24} lanes {lanes}  {sample.ItemsPerSecond,12:N0} items/s  {result.FractionOfOneLane,6:P1} of one lane  x{result.SpeedupOverDirect,6:F1} over direct  batch {sample.MeanBatchSize,5:F1}");
            results.Add(result);
        }

        return results;
    }
}
