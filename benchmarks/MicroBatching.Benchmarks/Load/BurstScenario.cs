using System.Diagnostics;
using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Load;

/// <param name="Contender">Who ran.</param>
/// <param name="Calls">Calls fired at once.</param>
/// <param name="Elapsed">The fastest round's time from the first call to the last result.</param>
/// <param name="BatchCalls">Calls of the batch function in that round.</param>
/// <param name="RoundCallsPerSecond">Every round's throughput, in round order, to show the spread.</param>
public sealed record BurstResult(string Contender, int Calls, TimeSpan Elapsed, long BatchCalls, IReadOnlyList<double>? RoundCallsPerSecond = null)
{
    public long ExpectedBatchCalls => (Calls + 31) / 32;

    public double CallsPerSecond => Calls / Elapsed.TotalSeconds;
}

/// <summary>S3: 100,000 calls fired at once, then awaited: total time and the number of batch calls (ideally ceil(N / 32)).</summary>
public static class BurstScenario
{
    public const int Calls = 100_000;

    public static readonly string[] Contenders =
    [
        Contender.MicroBatcher, Contender.Generated, Contender.Channels, Contender.Dataflow, Contender.Rx, Contender.OriginalDesign,
    ];

    /// <summary>Fires the burst at every contender once per round, rounds interleaved and rotated, and keeps each one's fastest round.</summary>
    public static async Task<IReadOnlyList<BurstResult>> RunAsync(int rounds, Action<string> log)
    {
        foreach (string name in Contenders)
        {
            // Warm up on a separate instance so the JIT is not part of the burst.
            await FireAsync(Contender.Create(name, new BatchWorkload(32, TimeSpan.FromMilliseconds(10))), 3_200);
        }

        var results = Contenders.ToDictionary(name => name, _ => new List<BurstResult>());
        for (int round = 1; round <= rounds; round++)
        {
            foreach (string name in Rounds.Order(Contenders, round))
            {
                var workload = new BatchWorkload(maxBatchSize: 32, maxWait: TimeSpan.FromMilliseconds(10));
                IBatchingContender contender = Contender.Create(name, workload);
                GC.Collect();
                TimeSpan elapsed = await FireAsync(contender, Calls);
                var result = new BurstResult(name, Calls, elapsed, workload.Calls);
                log($"S3 round {round} {name,-24} {elapsed.TotalMilliseconds,9:F1} ms  {result.CallsPerSecond,14:N0} calls/s  {result.BatchCalls} batch calls (ideal {result.ExpectedBatchCalls})");
                results[name].Add(result);
            }
        }

        return
        [
            .. Contenders.Select(name => Rounds.Fastest(results[name], r => r.CallsPerSecond) with
            {
                RoundCallsPerSecond = [.. results[name].Select(r => r.CallsPerSecond)],
            }),
        ];
    }

    private static async Task<TimeSpan> FireAsync(IBatchingContender contender, int calls)
    {
        await using (contender)
        {
            var pending = new ValueTask<int>[calls];
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                pending[i] = contender.ProcessAsync(i);
            }

            for (int i = 0; i < calls; i++)
            {
                if (await pending[i] != BatchWorkload.Expected(i))
                {
                    throw new InvalidOperationException($"{contender.Name} misrouted item {i}.");
                }
            }

            return Stopwatch.GetElapsedTime(started);
        }
    }
}
