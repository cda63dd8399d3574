using MicroBatching.Benchmarks.Contenders;
using ScottPlot;

namespace MicroBatching.Benchmarks.Load;

/// <summary>Renders the report's charts as PNG files.</summary>
public static class Charts
{
    public const string ThroughputVsCallers = "throughput-vs-callers.png";
    public const string LowLoadLatency = "latency-low-load.png";
    public const string AllocationPerItem = "allocation-per-item.png";
    public const string DagThroughput = "dag-throughput.png";

    private static readonly Dictionary<string, Color> s_colors = new()
    {
        [Contender.MicroBatcher] = Color.FromHex("#1f77b4"),
        [Contender.MicroBatcherTask] = Color.FromHex("#6baed6"),
        [Contender.MicroBatcherAdaptive] = Color.FromHex("#08519c"),
        [Contender.Generated] = Color.FromHex("#9ecae1"),
        [Contender.Channels] = Color.FromHex("#ff7f0e"),
        [Contender.Dataflow] = Color.FromHex("#2ca02c"),
        [Contender.Rx] = Color.FromHex("#9467bd"),
        [Contender.OriginalDesign] = Color.FromHex("#d62728"),
        [Contender.Direct] = Color.FromHex("#7f7f7f"),
    };

    public static void RenderAll(LoadReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        if (report.Dag is { } dag)
        {
            RenderDagThroughput(dag, Path.Combine(directory, DagThroughput));
        }

        if (report.Sweep.Count > 0)
        {
            RenderThroughputVsCallers(report, Path.Combine(directory, ThroughputVsCallers));
        }

        if (report.LowLoad.Count > 0)
        {
            RenderLowLoadLatency(report, Path.Combine(directory, LowLoadLatency));
        }

        if (report.Saturation.Count > 0)
        {
            RenderAllocation(report, Path.Combine(directory, AllocationPerItem));
        }
    }

    // Both axes are logarithmic: throughput spans from ~100 items/s (one caller waiting MaxWait) to millions.
    private static void RenderThroughputVsCallers(LoadReport report, string path)
    {
        var plot = new Plot();
        foreach (IGrouping<string, SweepResult> contender in report.Sweep.GroupBy(s => s.Contender))
        {
            double[] xs = [.. contender.Select(s => Math.Log2(s.Callers))];
            double[] ys = [.. contender.Select(s => Math.Log10(Math.Max(1, s.Sample.ItemsPerSecond)))];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = contender.Key;
            line.Color = s_colors[contender.Key];
            line.LineWidth = contender.Key == Contender.MicroBatcher ? 3 : 1.5f;
            line.MarkerSize = 6;
        }

        int[] callers = ConcurrencySweepScenario.CallerCounts;
        plot.Axes.Bottom.SetTicks([.. callers.Select(c => Math.Log2(c))], [.. callers.Select(c => c.ToString("N0"))]);
        double[] decades = [.. Enumerable.Range(1, 7).Select(d => (double)d)];
        plot.Axes.Left.SetTicks(decades, [.. decades.Select(d => Math.Pow(10, d).ToString("N0"))]);
        plot.Title("Throughput vs concurrent callers (MaxSize 32, MaxWait 10 ms, trivial batch)");
        plot.XLabel("concurrent callers");
        plot.YLabel("items per second (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 560);
    }

    private static void RenderLowLoadLatency(LoadReport report, string path)
    {
        LowLoadResult[] results = [.. report.LowLoad.Where(r => r.MaxWaitMs == 10)];
        var plot = new Plot();
        string[] percentiles = ["p50", "p90", "p99"];
        var bars = new List<Bar>();
        for (int i = 0; i < results.Length; i++)
        {
            double[] values = [results[i].Latency.P50, results[i].Latency.P90, results[i].Latency.P99];
            for (int p = 0; p < values.Length; p++)
            {
                bars.Add(new Bar
                {
                    Position = (i * 4) + p,
                    Value = values[p],
                    FillColor = s_colors[results[i].Contender].WithAlpha(1.0 - (p * 0.3)),
                });
            }
        }

        plot.Add.Bars(bars);
        var maxWait = plot.Add.HorizontalLine(10);
        maxWait.LinePattern = LinePattern.Dashed;
        maxWait.Color = Colors.Black;
        maxWait.LegendText = "MaxWait";
        plot.Axes.Bottom.SetTicks([.. results.Select((_, i) => (i * 4) + 1.0)], [.. results.Select(r => r.Contender.Replace(" (", "\n("))]);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Latency at low load: one caller, MaxWait 10 ms ({string.Join(", ", percentiles)} per contender)");
        plot.YLabel("latency (ms)");
        plot.SavePng(path, 1000, 520);
    }

    // Log scale: the original design is two orders of magnitude below the batched contenders.
    private static void RenderDagThroughput(Dag.DagBenchmarkResult dag, string path)
    {
        string[] workloads = [Dag.DagBenchmark.Trivial, Dag.DagBenchmark.CostModel];
        string[] contenders = [Dag.DagBenchmark.Generated, Dag.DagBenchmark.HandWritten, Dag.DagBenchmark.Original];
        Color[] colors = [Color.FromHex("#1f77b4"), Color.FromHex("#9ecae1"), Color.FromHex("#d62728")];
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int w = 0; w < workloads.Length; w++)
        {
            for (int c = 0; c < contenders.Length; c++)
            {
                double itemsPerSecond = dag.Get(workloads[w], contenders[c]).ItemsPerSecond;
                bars.Add(new Bar { Position = (w * 4) + c, Value = Math.Log10(itemsPerSecond), FillColor = colors[c], Label = itemsPerSecond.ToString("N0") });
            }
        }

        plot.Add.Bars(bars);
        for (int c = 0; c < contenders.Length; c++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = contenders[c], FillColor = colors[c] });
        }

        plot.Axes.Bottom.SetTicks([1.0, 5.0], workloads);
        double[] decades = [.. Enumerable.Range(0, 8).Select(d => (double)d)];
        plot.Axes.Left.SetTicks(decades, [.. decades.Select(d => Math.Pow(10, d).ToString("N0"))]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Batch DAG: a four-node diamond over 100,000 inputs");
        plot.YLabel("inputs per second (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 520);
    }

    private static void RenderAllocation(LoadReport report, string path)
    {
        SaturationResult[] results = [.. report.Saturation];
        var plot = new Plot();
        plot.Add.Bars(results.Select((r, i) => new Bar
        {
            Position = i,
            Value = r.Sample.BytesPerItem,
            FillColor = s_colors[r.Contender],
            Label = r.Sample.BytesPerItem.ToString("F1"),
        }).ToList());
        plot.Axes.Bottom.SetTicks([.. results.Select((_, i) => (double)i)], [.. results.Select(r => r.Contender.Replace(" (", "\n("))]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Bytes allocated per item under saturation (S1: 256 callers)");
        plot.YLabel("bytes per item");
        plot.SavePng(path, 1000, 480);
    }
}
