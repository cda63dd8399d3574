using System.Diagnostics;
using System.Text.Json;
using MicroBatching.Benchmarks.Load;

namespace MicroBatching.Benchmarks.Dag;

/// <summary>One contender over one workload: the fastest of its rounds.</summary>
public sealed record DagSample(string Workload, string Contender, int Inputs, double Seconds, long NodeCalls)
{
    public double ItemsPerSecond => Inputs / Seconds;
}

public sealed record DagBenchmarkResult(IReadOnlyList<DagSample> Samples)
{
    public DagSample Get(string workload, string contender) => Samples.First(s => s.Workload == workload && s.Contender == contender);

    /// <summary>The generated executor's throughput over the hand-written graph's; above 1, the generated one is faster.</summary>
    public double GeneratedVsHandWritten(string workload) => Get(workload, DagBenchmark.Generated).ItemsPerSecond / Get(workload, DagBenchmark.HandWritten).ItemsPerSecond;

    public double GeneratedVsOriginal(string workload) => Get(workload, DagBenchmark.Generated).ItemsPerSecond / Get(workload, DagBenchmark.Original).ItemsPerSecond;
}

/// <summary>
/// ExecuteBatchAsync over 100,000 inputs through a four-node diamond, against the same graph hand-written on
/// MicroBatcher and against the original design (the graph run once per input, 10 inputs at a time), with trivial
/// nodes and with S4's cost model (200 µs per call + 2 µs per item). The original design runs fewer inputs where it would
/// take minutes; items per second are comparable.
/// </summary>
public static class DagBenchmark
{
    public const int Parallelism = 10;
    public const string Generated = "generated executor (ExecuteBatchAsync)";
    public const string HandWritten = "hand-written on MicroBatcher";
    public const string Original = "original design (per input, 10 at a time)";
    public const string Trivial = "trivial nodes";
    public const string CostModel = "200 µs per call + 2 µs per item";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        bool quick = args.Contains("--quick");
        int rounds = quick ? 1 : 3;
        var samples = new List<DagSample>();
        foreach ((string workload, Func<NodeCost> cost, int inputs, int originalInputs) in new (string, Func<NodeCost>, int, int)[]
        {
            (Trivial, () => new NodeCost(TimeSpan.Zero, TimeSpan.Zero), quick ? 20_000 : 100_000, quick ? 5_000 : 20_000),
            (CostModel, () => new NodeCost(TimeSpan.FromMicroseconds(200), TimeSpan.FromMicroseconds(2)), quick ? 10_000 : 100_000, quick ? 200 : 1_000),
        })
        {
            int[] values = [.. Enumerable.Range(0, inputs)];
            int[] originalValues = [.. values.Take(originalInputs)];
            var best = new Dictionary<string, DagSample>();
            for (int round = 0; round < rounds; round++)
            {
                Keep(best, await MeasureAsync(workload, Generated, values, cost(), RunGeneratedAsync));
                Keep(best, await MeasureAsync(workload, HandWritten, values, cost(), RunHandWrittenAsync));
                Keep(best, await MeasureAsync(workload, Original, originalValues, cost(), RunOriginalAsync));
            }

            foreach (DagSample sample in best.Values)
            {
                Console.WriteLine($"{workload,-32} {sample.Contender,-42} {sample.Inputs,8:N0} inputs {sample.ItemsPerSecond,14:N0} items/s {sample.NodeCalls,9:N0} node calls");
                samples.Add(sample);
            }
        }

        var result = new DagBenchmarkResult(samples);
        foreach (string workload in new[] { Trivial, CostModel })
        {
            Console.WriteLine($"{workload}: generated = {result.GeneratedVsHandWritten(workload):F2}x hand-written, {result.GeneratedVsOriginal(workload):F1}x the original design");
        }

        ReportPaths paths = ReportPaths.Find(args);
        Directory.CreateDirectory(paths.Directory);
        File.WriteAllText(paths.Dag, JsonSerializer.Serialize(result, s_json));
        LoadRunner.Rewrite(paths);
        return 0;
    }

    private static void Keep(Dictionary<string, DagSample> best, DagSample sample)
    {
        if (!best.TryGetValue(sample.Contender, out DagSample? current) || sample.Seconds < current.Seconds)
        {
            best[sample.Contender] = sample;
        }
    }

    private static async Task<DagSample> MeasureAsync(string workload, string contender, int[] inputs, NodeCost cost, Func<int[], NodeCost, Task<long[]>> run)
    {
        long start = Stopwatch.GetTimestamp();
        long[] results = await run(inputs, cost);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (results[i] != DiamondGraph.ExpectedD(inputs[i]))
            {
                throw new InvalidOperationException($"{contender} returned {results[i]} for {inputs[i]}.");
            }
        }

        return new DagSample(workload, contender, inputs.Length, seconds, cost.Calls);
    }

    private static async Task<long[]> RunGeneratedAsync(int[] inputs, NodeCost cost)
    {
        IReadOnlyList<BatchItemResult<long>> results = await new DiamondGraph(cost).ExecuteBatchAsync(inputs);
        return [.. results.Select(r => r.Value)];
    }

    private static async Task<long[]> RunHandWrittenAsync(int[] inputs, NodeCost cost)
    {
        await using var diamond = new HandWrittenDiamond(cost);
        return await Task.WhenAll(inputs.Select(diamond.RunAsync));
    }

    private static async Task<long[]> RunOriginalAsync(int[] inputs, NodeCost cost)
    {
        var graph = new DiamondGraph(cost);
        var results = new long[inputs.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Length), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, ct) =>
            results[i] = (await graph.ExecuteBatchAsync([inputs[i]], ct))[0].Value);
        return results;
    }
}
