using System.Globalization;
using System.Text;
using MicroBatching.Benchmarks.Load;
using ScottPlot;

namespace MicroBatching.Benchmarks.Service;

/// <summary>
/// Turns benchmarks/service-load.sh's results into docs/benchmarks/service.md and its chart: throughput and p99
/// latency against connections, batched and unbatched, and the verdict on the target at 64 connections.
/// </summary>
public static class ServiceReport
{
    public const string Chart = "service-load.png";
    public const int TargetConnections = 64;
    public const double TargetGain = 5.0;

    private static readonly Color s_batched = Color.FromHex("#1f77b4");
    private static readonly Color s_unbatched = Color.FromHex("#d62728");

    /// <param name="args">The results CSV, then optionally the service's start-up line timing the model.</param>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: service-report <service-load.csv> [model timing line]");
            return 2;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(args[0]))!;
        IReadOnlyList<ServiceLoadPoint> points = ServiceLoadPoint.Read(args[0]);
        RenderChart(points, Path.Combine(directory, Chart));
        string page = Markdown(points, args.Length > 1 ? args[1] : "", MachineInfo.Capture());
        File.WriteAllText(Path.Combine(directory, "service.md"), page);
        Console.WriteLine(Verdict(points));
        return 0;
    }

    /// <summary>The target at 64 connections, measured: met or not, with the numbers.</summary>
    public static string Verdict(IReadOnlyList<ServiceLoadPoint> points)
    {
        ServiceLoadPoint? batched = points.SingleOrDefault(p => p.Mode == ServiceLoadPoint.Batched && p.Connections == TargetConnections);
        ServiceLoadPoint? unbatched = points.SingleOrDefault(p => p.Mode == ServiceLoadPoint.Unbatched && p.Connections == TargetConnections);
        if (batched is null || unbatched is null)
        {
            return $"No measurement at {TargetConnections} connections in both modes.";
        }

        double gain = batched.RequestsPerSecond / unbatched.RequestsPerSecond;
        bool throughputMet = gain >= TargetGain;
        bool latencyMet = batched.P99Ms <= unbatched.P99Ms;
        return string.Create(CultureInfo.InvariantCulture,
            $"At {TargetConnections} connections batching gives {gain:F1}x the requests/s of unbatched " +
            $"({batched.RequestsPerSecond:N0} vs {unbatched.RequestsPerSecond:N0}; target {TargetGain:F0}x: {(throughputMet ? "met" : "missed")}), " +
            $"with p99 {batched.P99Ms:F1} ms vs {unbatched.P99Ms:F1} ms (target: no worse; {(latencyMet ? "met" : "missed")}).");
    }

    private static string Markdown(IReadOnlyList<ServiceLoadPoint> points, string modelLine, MachineInfo machine)
    {
        var page = new StringBuilder();
        page.AppendLine("# The inference service under HTTP load");
        page.AppendLine();
        page.AppendLine("`samples/InferenceService` (ASP.NET Core, a GPT-2 tokenizer and an ONNX Runtime MLP of 512 → 4096 → 4096 → 2,");
        page.AppendLine("19M parameters, one intra-op thread) driven by `wrk` on loopback, with batching on (`MaxBatchSize` 32, adaptive");
        page.AppendLine("dispatch with `MaxWaitTime` 2 ms, `MaxConcurrentBatches` 2) and with `\"Enabled\": false` (each request a batch of");
        page.AppendLine("one, two at a time), as `samples/InferenceService/appsettings.json` sets them. The");
        page.AppendLine("load generator runs on the same machine and takes its share of the cores. Written by `benchmarks/service-load.sh`;");
        page.AppendLine("do not edit by hand.");
        page.AppendLine();
        page.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Processor}, {machine.LogicalCores} logical cores, {machine.Runtime}, {machine.OperatingSystem}.");
        if (modelLine.Length > 0)
        {
            page.AppendLine();
            page.AppendLine(CultureInfo.InvariantCulture, $"At start-up, the service timed its model: {modelLine.Replace("The model on this machine: ", "", StringComparison.Ordinal)}");
        }

        page.AppendLine();
        page.AppendLine(CultureInfo.InvariantCulture, $"**{Verdict(points)}**");
        page.AppendLine();
        page.AppendLine($"![Throughput and p99 latency against connections]({Chart})");
        page.AppendLine();
        page.AppendLine("| mode | connections | requests/s | p50 (ms) | p99 (ms) | mean batch | service CPU per request (ms) | requests | errors |");
        page.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ServiceLoadPoint point in points.OrderBy(p => p.Mode).ThenBy(p => p.Connections))
        {
            page.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {point.Mode} | {point.Connections} | {point.RequestsPerSecond:N0} | {point.P50Ms:F2} | {point.P99Ms:F2} | {point.MeanBatchSize:F1} | {point.CpuMsPerRequest:F3} | {point.Requests:N0} | {point.Errors} |"));
        }

        page.AppendLine();
        page.AppendLine("- **mean batch**: the scorer's `microbatching.batch.size` histogram, sum over count, read from `/metrics` before and");
        page.AppendLine("  after each point.");
        page.AppendLine("- **service CPU per request**: the service process's user and system time over the point (`/proc/<pid>/stat`),");
        page.AppendLine("  divided by the requests answered; `wrk`'s own CPU is not in it.");
        page.AppendLine("- **errors**: non-2xx answers and socket errors that `wrk` reports.");
        page.AppendLine();
        page.AppendLine("Run it again with `benchmarks/service-load.sh` (about 3 minutes; `DURATION=30` for longer points). It installs");
        page.AppendLine("`wrk` from the Debian packages when it is missing.");
        return page.ToString();
    }

    // Throughput on the left axis, p99 on the right, both against connections on a log2 axis.
    private static void RenderChart(IReadOnlyList<ServiceLoadPoint> points, string path)
    {
        var plot = new Plot();
        foreach ((string mode, Color color) in new[] { (ServiceLoadPoint.Batched, s_batched), (ServiceLoadPoint.Unbatched, s_unbatched) })
        {
            ServiceLoadPoint[] series = [.. points.Where(p => p.Mode == mode).OrderBy(p => p.Connections)];
            if (series.Length == 0)
            {
                continue;
            }

            double[] xs = [.. series.Select(p => Math.Log2(p.Connections))];
            var throughput = plot.Add.Scatter(xs, [.. series.Select(p => p.RequestsPerSecond)]);
            throughput.LegendText = $"{mode}: requests/s";
            throughput.Color = color;
            throughput.LineWidth = 3;
            throughput.MarkerSize = 8;

            var p99 = plot.Add.Scatter(xs, [.. series.Select(p => p.P99Ms)]);
            p99.LegendText = $"{mode}: p99 (ms, right axis)";
            p99.Color = color;
            p99.LinePattern = LinePattern.Dashed;
            p99.LineWidth = 2;
            p99.MarkerSize = 6;
            p99.Axes.YAxis = plot.Axes.Right;
        }

        int[] connections = [.. points.Select(p => p.Connections).Distinct().Order()];
        plot.Axes.Bottom.SetTicks([.. connections.Select(c => Math.Log2(c))], [.. connections.Select(c => c.ToString(CultureInfo.InvariantCulture))]);
        plot.Title("Inference service: requests/s (solid) and p99 latency (dashed) against connections");
        plot.XLabel("concurrent connections (wrk)");
        plot.YLabel("requests per second");
        plot.Axes.Right.Label.Text = "p99 latency (ms)";
        plot.Axes.SetLimitsY(bottom: 0, top: points.Max(p => p.RequestsPerSecond) * 1.15, plot.Axes.Left);
        plot.Axes.SetLimitsY(bottom: 0, top: points.Max(p => p.P99Ms) * 1.15, plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 560);
    }
}
