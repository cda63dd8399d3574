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
    /// Measures every caller count for every contender, <paramref name="rounds"/> times, and keeps each pair's fastest run.
    /// Contenders are interleaved at each count in a rotated order and rounds are spread over the whole sweep, so a slow
    /// spell of a shared machine costs one sample of a pair instead of sinking one contender's curve.
    /// </summary>
    public static async Task<IReadOnlyList<SweepResult>> RunAsync(TimeSpan duration, int rounds, Action<string> log)
    {
        var samples = new Dictionary<(string Contender, int Callers), List<LoadSample>>();
        for (int round = 0; round < rounds; round++)
        {
            for (int level = 0; level < CallerCounts.Length; level++)
            {
                int callers = CallerCounts[level];
                foreach (string name in Rounds.Order(Contenders, round + level))
                {
                    var workload = new BatchWorkload(maxBatchSize: 32, maxWait: TimeSpan.FromMilliseconds(10));
                    await using IBatchingContender contender = Contender.Create(name, workload);
                    LoadSample sample = await ClosedLoopDriver.RunAsync(contender, callers, duration, recordLatency: true);
                    log($"S5 round {round + 1} {name,-24} {callers,5} callers  {sample.ItemsPerSecond,14:N0} items/s  p99 {sample.Latency!.P99,8:F2} ms");
                    (samples.TryGetValue((name, callers), out List<LoadSample>? list) ? list : samples[(name, callers)] = []).Add(sample);
                }
            }
        }

        // Consumers read the curve per contender, in caller order.
        return
        [
            .. from name in Contenders
               from callers in CallerCounts
               select new SweepResult(name, callers, Rounds.Fastest(samples[(name, callers)], s => s.ItemsPerSecond)),
        ];
    }
}
