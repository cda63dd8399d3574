using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Load;

/// <summary>One performance target, what it asks, what was measured, and whether it holds.</summary>
public sealed record TargetVerdict(string Target, string Requirement, string Measured, bool Met);

/// <summary>Checks a report against the project's performance targets, ratios taken within the one run.</summary>
public static class TargetVerdicts
{
    public static IReadOnlyList<TargetVerdict> Evaluate(LoadReport report)
    {
        var verdicts = new List<TargetVerdict>();

        if (report.Saturation.Count > 0)
        {
            double ours = Saturation(report, Contender.MicroBatcher).ItemsPerSecond;
            (string bestPeer, double peer) = BestOf(report, Contender.Channels, Contender.Dataflow);
            verdicts.Add(new("S1 throughput", "≥ 2× the best of Channels and Dataflow",
                $"{ours:N0} items/s = {ours / peer:F2}× {bestPeer} ({peer:N0})", ours >= 2 * peer));

            double valueTaskBytes = Saturation(report, Contender.MicroBatcher).BytesPerItem;
            verdicts.Add(new("S1 allocation, ValueTask path", "≤ 8 B per item", $"{valueTaskBytes:F1} B per item", valueTaskBytes <= 8));

            // The Task a Task-returning API must hand out is one object of about 80 B; two objects would be well over 100 B.
            double taskBytes = Saturation(report, Contender.MicroBatcherTask).BytesPerItem;
            verdicts.Add(new("S1 allocation, Task path", "at most one object per item", $"{taskBytes:F1} B per item (one Task)", taskBytes <= 100));

            double generated = Saturation(report, Contender.Generated).ItemsPerSecond / ours;
            verdicts.Add(new("Generated wrapper", "within 5% of MicroBatcher.ProcessAsync",
                $"{generated:P0} of ProcessAsync (S1)", generated >= 0.95));
        }

        if (report.LowLoad.Count > 0)
        {
            foreach (LowLoadResult timed in report.LowLoad.Where(r => r.Contender == Contender.MicroBatcher))
            {
                verdicts.Add(new($"S2 timer precision, MaxWait {timed.MaxWaitMs} ms", "p99 overshoot ≤ 1 ms",
                    $"p99 overshoot {timed.P99OvershootMs:F2} ms", timed.P99OvershootMs <= 1));
            }

            LowLoadResult adaptive = report.LowLoad.First(r => r.Contender == Contender.MicroBatcherAdaptive && r.MaxWaitMs == 10);
            LowLoadResult direct = report.LowLoad.First(r => r.Contender == Contender.Direct && r.MaxWaitMs == 10);
            double gap = adaptive.Latency.P50 - direct.Latency.P50;
            verdicts.Add(new("S2 adaptive dispatch", "p50 within 0.1 ms of direct", $"p50 {adaptive.Latency.P50 * 1000:F1} µs vs {direct.Latency.P50 * 1000:F1} µs", gap <= 0.1));
        }

        if (report.Burst.Count > 0)
        {
            BurstResult ours = report.Burst.First(b => b.Contender == Contender.MicroBatcher);
            BurstResult bestPeer = report.Burst.Where(b => Contender.Peers.Contains(b.Contender)).MaxBy(b => b.CallsPerSecond)!;
            verdicts.Add(new("S3 batch calls", "exactly ceil(N / MaxSize)", $"{ours.BatchCalls} for {ours.Calls} calls (ideal {ours.ExpectedBatchCalls})",
                ours.BatchCalls == ours.ExpectedBatchCalls));
            verdicts.Add(new("S3 throughput", "≥ 2× the best peer",
                $"{ours.CallsPerSecond:N0} calls/s = {ours.CallsPerSecond / bestPeer.CallsPerSecond:F2}× {bestPeer.Contender}",
                ours.CallsPerSecond >= 2 * bestPeer.CallsPerSecond));
        }

        if (report.RealisticCost.Count > 0)
        {
            RealisticCostResult one = report.RealisticCost.First(r => r.Contender == Contender.MicroBatcher && r.MaxConcurrentBatches == 1);
            RealisticCostResult two = report.RealisticCost.First(r => r.Contender == Contender.MicroBatcher && r.MaxConcurrentBatches == 2);
            verdicts.Add(new("S4 one lane", "≥ 98% of 121,212 items/s", $"{one.Sample.ItemsPerSecond:N0} items/s = {one.FractionOfOneLane:P1}", one.FractionOfOneLane >= 0.98));
            verdicts.Add(new("S4 two lanes", "close to twice one lane", $"{two.Sample.ItemsPerSecond / one.Sample.ItemsPerSecond:F2}× one lane",
                two.Sample.ItemsPerSecond >= 1.8 * one.Sample.ItemsPerSecond));
        }

        if (report.Sweep.Count > 0)
        {
            SweepResult[] ours = [.. report.Sweep.Where(s => s.Contender == Contender.MicroBatcher)];
            double peak = ours.Max(s => s.Sample.ItemsPerSecond);
            double at1024 = ours.Last().Sample.ItemsPerSecond;
            verdicts.Add(new("S5 no collapse", "throughput at 1,024 callers close to the peak", $"{at1024:N0} items/s = {at1024 / peak:P0} of peak", at1024 >= 0.6 * peak));

            double original = report.Sweep.Last(s => s.Contender == Contender.OriginalDesign).Sample.ItemsPerSecond;
            verdicts.Add(new("S5 original design", "shown collapsing", $"{original:N0} items/s at 1,024 callers = {original / at1024:P1} of MicroBatcher", original < 0.1 * at1024));
        }

        if (report.TimerCost is { } timer)
        {
            verdicts.Add(new("Timer cost", "timer thread < 2% of one core at 100 batches/s, p99 overshoot ≤ 1 ms",
                $"{timer.MedianTimerCpu:F2} % of one core, p99 overshoot {timer.MedianP99OvershootMs:F3} ms (median of {timer.Precise.Count()} rounds)",
                timer.MedianTimerCpu < 2 && timer.MedianP99OvershootMs <= 1));
        }

        if (report.Dag is { } dag)
        {
            foreach (string workload in new[] { Dag.DagBenchmark.Trivial, Dag.DagBenchmark.CostModel })
            {
                double handWritten = dag.GeneratedVsHandWritten(workload);
                verdicts.Add(new($"Batch DAG vs hand-written ({workload})", "generated executor within 1.2× of the same graph on MicroBatcher",
                    $"{handWritten:F2}× its throughput", handWritten >= 1 / 1.2));
                double original = dag.GeneratedVsOriginal(workload);
                verdicts.Add(new($"Batch DAG vs original design ({workload})", "≥ 20× the graph run once per input, 10 at a time",
                    $"{original:F1}×", original >= 20));
            }
        }

        if (report.BuildTime is { } build)
        {
            BuildTimeSample warm = build.Warm;
            string others = string.Concat(build.Samples.Where(s => s != warm).Select(s => $"; {s.Mode}: {s.ShareOfBuild:P1}"));
            verdicts.Add(new("Build time", "generator + analyzers ≤ 10% of the build",
                $"{warm.GeneratorSeconds + warm.AnalyzerSeconds:F2} s of {warm.BuildSeconds:F1} s = {warm.ShareOfBuild:P1} with a warm compiler server{others} ({build.Methods} methods)",
                warm.ShareOfBuild <= 0.10));
        }

        return verdicts;
    }

    private static LoadSample Saturation(LoadReport report, string name) => report.Saturation.First(r => r.Contender == name).Sample;

    private static (string Name, double ItemsPerSecond) BestOf(LoadReport report, params string[] names) =>
        report.Saturation.Where(r => names.Contains(r.Contender)).Select(r => (r.Contender, r.Sample.ItemsPerSecond)).MaxBy(r => r.ItemsPerSecond);
}
