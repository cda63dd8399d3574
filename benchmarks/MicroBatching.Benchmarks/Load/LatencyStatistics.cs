using System.Diagnostics;

namespace MicroBatching.Benchmarks.Load;

/// <summary>Latency percentiles, in milliseconds.</summary>
public sealed record LatencyStatistics(int Count, double P50, double P90, double P99, double Max)
{
    public static LatencyStatistics FromTimestampTicks(IEnumerable<long> ticks)
    {
        double[] sorted = [.. ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order()];
        if (sorted.Length == 0)
        {
            return new LatencyStatistics(0, 0, 0, 0, 0);
        }

        return new LatencyStatistics(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
