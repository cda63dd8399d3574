using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Load;

/// <param name="Contender">Who ran.</param>
/// <param name="Sample">The fastest round.</param>
/// <param name="RoundItemsPerSecond">Every round's throughput, in round order, to show the spread.</param>
public sealed record SaturationResult(string Contender, LoadSample Sample, IReadOnlyList<double>? RoundItemsPerSecond = null);

/// <summary>S1: 256 callers loop for 3 s on a trivial batch function (MaxSize 32, MaxWait 10 ms).</summary>
public static class SaturationScenario
{
    public const int Callers = 256;

    public static readonly string[] Contenders =
    [
        Contender.MicroBatcher, Contender.MicroBatcherTask, Contender.Generated,
        Contender.Channels, Contender.Dataflow, Contender.Rx, Contender.OriginalDesign, Contender.Direct,
    ];

    /// <summary>Runs every contender once per round, rounds interleaved and rotated, and keeps each contender's fastest round.</summary>
    public static async Task<IReadOnlyList<SaturationResult>> RunAsync(TimeSpan duration, int rounds, Action<string> log)
    {
        // One unrecorded pass first: under full load the tier-1 JIT competes with 256 callers for two cores, and
        // whichever contender ran first would pay for it.
        foreach (string name in Contenders)
        {
            await using IBatchingContender contender = Contender.Create(name, new BatchWorkload(32, TimeSpan.FromMilliseconds(10)));
            await ClosedLoopDriver.RunAsync(contender, Callers, TimeSpan.FromSeconds(0.5), recordLatency: false);
        }

        var samples = Contenders.ToDictionary(name => name, _ => new List<LoadSample>());
        for (int round = 1; round <= rounds; round++)
        {
            foreach (string name in Rounds.Order(Contenders, round))
            {
                var workload = new BatchWorkload(maxBatchSize: 32, maxWait: TimeSpan.FromMilliseconds(10));
                await using IBatchingContender contender = Contender.Create(name, workload);
                GC.Collect();
                LoadSample sample = await ClosedLoopDriver.RunAsync(contender, Callers, duration, recordLatency: false);
                log($"S1 round {round} {name,-24} {sample.ItemsPerSecond,14:N0} items/s  batch {sample.MeanBatchSize,5:F1}  {sample.BytesPerItem,7:F1} B/item  gen0 {sample.Gen0Collections}  threads {ThreadPool.ThreadCount}");
                samples[name].Add(sample);
            }
        }

        return
        [
            .. Contenders.Select(name => new SaturationResult(
                name, Rounds.Fastest(samples[name], s => s.ItemsPerSecond), [.. samples[name].Select(s => s.ItemsPerSecond)])),
        ];
    }
}
