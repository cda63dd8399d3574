using System.Diagnostics;
using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Load;

/// <summary>One contender's latency when a single caller makes sequential calls.</summary>
public sealed record LowLoadResult(string Contender, double MaxWaitMs, LatencyStatistics Latency)
{
    /// <summary>How far past MaxWait the 99th percentile call completed.</summary>
    public double P99OvershootMs => Latency.P99 - MaxWaitMs;

    public double P50OvershootMs => Latency.P50 - MaxWaitMs;
}

/// <summary>S2: one caller, 200 sequential calls, MaxWait 10 ms and 1 ms: latency percentiles and overshoot past MaxWait.</summary>
public static class LowLoadScenario
{
    public const int Calls = 200;

    public static readonly string[] Contenders =
    [
        Contender.MicroBatcher, Contender.MicroBatcherAdaptive, Contender.Generated,
        Contender.Channels, Contender.Dataflow, Contender.Rx, Contender.OriginalDesign, Contender.Direct,
    ];

    public static async Task<IReadOnlyList<LowLoadResult>> RunAsync(Action<string> log)
    {
        var results = new List<LowLoadResult>();
        foreach (double maxWaitMs in new[] { 10.0, 1.0 })
        {
            foreach (string name in Contenders)
            {
                if (name == Contender.Generated && maxWaitMs != 10.0)
                {
                    continue; // the generated model's MaxWaitMs is fixed at compile time
                }

                var workload = new BatchWorkload(maxBatchSize: 32, maxWait: TimeSpan.FromMilliseconds(maxWaitMs));
                await using IBatchingContender contender = Contender.Create(name, workload);
                for (int i = 0; i < 20; i++)
                {
                    await contender.ProcessAsync(i);
                }

                var ticks = new long[Calls];
                for (int i = 0; i < Calls; i++)
                {
                    long before = Stopwatch.GetTimestamp();
                    int result = await contender.ProcessAsync(i);
                    ticks[i] = Stopwatch.GetTimestamp() - before;
                    if (result != BatchWorkload.Expected(i))
                    {
                        throw new InvalidOperationException($"{name} returned {result} for {i}.");
                    }
                }

                LatencyStatistics latency = LatencyStatistics.FromTimestampTicks(ticks);
                log($"S2 {name,-24} wait {maxWaitMs,4} ms  p50 {latency.P50,7:F3}  p90 {latency.P90,7:F3}  p99 {latency.P99,7:F3}  max {latency.Max,7:F3} ms");
                results.Add(new LowLoadResult(name, maxWaitMs, latency));
            }
        }

        return results;
    }
}
