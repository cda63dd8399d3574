using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Load;

public sealed record SweepResult(string Contender, int Callers, LoadSample Sample);

/// <summary>S5: 1 to 1,024 callers on a trivial batch function: throughput and p99 latency.</summary>
public static class ConcurrencySweepScenario
{
    public static readonly int[] CallerCounts = [1, 4, 16, 64, 256, 1024];

    public static readonly string[] Contenders =
    [
        Contender.MicroBatcher, Contender.Channels, Contender.Dataflow, Contender.Rx, Contender.OriginalDesign, Contender.Direct,
    ];

    /// <summary>
    /// Runs every caller count for every contender, contenders interleaved at each count (in a rotated order), so a slow
    /// spell of a shared machine spreads over contenders instead of sinking one contender's whole curve.
    /// </summary>
    public static async Task<IReadOnlyList<SweepResult>> RunAsync(TimeSpan duration, Action<string> log)
    {
        var results = new List<SweepResult>();
        for (int level = 0; level < CallerCounts.Length; level++)
        {
            int callers = CallerCounts[level];
            foreach (string name in Rounds.Order(Contenders, level))
            {
                var workload = new BatchWorkload(maxBatchSize: 32, maxWait: TimeSpan.FromMilliseconds(10));
                await using IBatchingContender contender = Contender.Create(name, workload);
                LoadSample sample = await ClosedLoopDriver.RunAsync(contender, callers, duration, recordLatency: true);
                log($"S5 {name,-24} {callers,5} callers  {sample.ItemsPerSecond,14:N0} items/s  p99 {sample.Latency!.P99,8:F2} ms");
                results.Add(new SweepResult(name, callers, sample));
            }
        }

        // Consumers read the curve per contender, in caller order.
        return [.. results.OrderBy(r => Array.IndexOf(Contenders, r.Contender)).ThenBy(r => r.Callers)];
    }
}
