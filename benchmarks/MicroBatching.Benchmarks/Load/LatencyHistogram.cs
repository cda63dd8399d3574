using System.Diagnostics;

namespace MicroBatching.Benchmarks.Load;

/// <summary>
/// Records latencies in logarithmic buckets (16 per doubling, about 4% wide), so millions of calls cost a fixed
/// array and percentiles come out within a few percent. One per caller, merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int BucketsPerDoubling = 16;
    private readonly long[] _counts = new long[64 * BucketsPerDoubling];

    public void Record(long timestampTicks)
    {
        double ticks = Math.Max(1, timestampTicks);
        int bucket = (int)(Math.Log2(ticks) * BucketsPerDoubling);
        _counts[Math.Min(bucket, _counts.Length - 1)]++;
    }

    public static LatencyStatistics Merge(IEnumerable<LatencyHistogram> histograms)
    {
        var total = new long[64 * BucketsPerDoubling];
        foreach (LatencyHistogram histogram in histograms)
        {
            for (int i = 0; i < total.Length; i++)
            {
                total[i] += histogram._counts[i];
            }
        }

        long count = total.Sum();
        if (count == 0)
        {
            return new LatencyStatistics(0, 0, 0, 0, 0);
        }

        return new LatencyStatistics((int)Math.Min(count, int.MaxValue), Percentile(total, count, 0.50), Percentile(total, count, 0.90),
            Percentile(total, count, 0.99), Milliseconds(Array.FindLastIndex(total, c => c > 0) + 1));
    }

    private static double Percentile(long[] counts, long total, double quantile)
    {
        long target = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= target)
            {
                return Milliseconds(i + 1);
            }
        }

        return Milliseconds(counts.Length);
    }

    // The upper edge of a bucket, in milliseconds.
    private static double Milliseconds(int bucketEdge) => Math.Pow(2, (double)bucketEdge / BucketsPerDoubling) * 1000.0 / Stopwatch.Frequency;
}
