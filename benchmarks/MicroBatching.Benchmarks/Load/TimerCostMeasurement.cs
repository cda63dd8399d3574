using System.Diagnostics;
using System.Text.Json;

namespace MicroBatching.Benchmarks.Load;

/// <summary>What the batcher's timer costs at low load with one clock: CPU of the whole process, and how late batches leave.</summary>
/// <param name="TimerThreadCpuPercentOfOneCore">The timer thread's own CPU (Linux only); none for clocks without one.</param>
public sealed record TimerCostSample(
    string Clock, double Seconds, int Batches, double CpuPercentOfOneCore, double? TimerThreadCpuPercentOfOneCore, LatencyStatistics Latency)
{
    public double BatchesPerSecond => Batches / Seconds;

    /// <summary>How far past MaxWait the 99th percentile call completed.</summary>
    public double P99OvershootMs => Latency.P99 - TimerCostMeasurement.MaxWaitMs;
}

/// <summary>The precise timer against <see cref="TimeProvider.System"/>, measured in the same run.</summary>
/// <param name="Samples">Every round of every clock, in the order measured (the clocks alternate).</param>
public sealed record TimerCostResult(IReadOnlyList<TimerCostSample> Samples)
{
    public IEnumerable<TimerCostSample> Precise => Samples.Where(s => s.Clock == TimerCostMeasurement.PreciseClock);

    public double MedianTimerCpu => Median.Of([.. Precise], s => s.TimerThreadCpuPercentOfOneCore ?? double.NaN).TimerThreadCpuPercentOfOneCore ?? double.NaN;

    public double MedianP99OvershootMs => Median.Of([.. Precise], s => s.P99OvershootMs).P99OvershootMs;
}

/// <summary>
/// The cost of the default high-resolution timer at low load: one caller awaiting one call at a time with MaxWait 10 ms,
/// so about 100 batches a second each leave on the timer. CPU is the whole process's, so it is an upper bound on the
/// timer thread's own; the same loop on <see cref="TimeProvider.System"/> shows what the process costs without it.
/// </summary>
public static class TimerCostMeasurement
{
    public const double MaxWaitMs = 10;
    public const string PreciseClock = "precise (default)";
    public const string SystemClock = "TimeProvider.System";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        bool quick = args.Contains("--quick");
        TimeSpan duration = TimeSpan.FromSeconds(quick ? 2 : 5);
        int rounds = quick ? 1 : 3;
        var samples = new List<TimerCostSample>();
        foreach ((string clock, TimeProvider? provider) in Enumerable.Repeat(new[] { (PreciseClock, (TimeProvider?)null), (SystemClock, TimeProvider.System) }, rounds).SelectMany(c => c))
        {
            TimerCostSample sample = await MeasureAsync(clock, provider, duration);
            Console.WriteLine($"{clock,-20} {sample.BatchesPerSecond,6:F1} batches/s  process CPU {sample.CpuPercentOfOneCore,5:F2} %  " +
                              $"timer thread CPU {sample.TimerThreadCpuPercentOfOneCore?.ToString("F2") ?? "-"} % of one core  " +
                              $"p50 {sample.Latency.P50,6:F3} ms  p99 {sample.Latency.P99,6:F3} ms  (overshoot p99 {sample.P99OvershootMs:F3} ms)");
            samples.Add(sample);
        }

        ReportPaths paths = ReportPaths.Find(args);
        Directory.CreateDirectory(paths.Directory);
        var result = new TimerCostResult(samples);
        Console.WriteLine($"precise clock, median of {rounds}: timer thread {result.MedianTimerCpu:F2} % of one core, p99 overshoot {result.MedianP99OvershootMs:F3} ms");
        File.WriteAllText(paths.TimerCost, JsonSerializer.Serialize(result, s_json));
        LoadRunner.Rewrite(paths);
        return 0;
    }

    private static async Task<TimerCostSample> MeasureAsync(string clock, TimeProvider? provider, TimeSpan duration)
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 32, MaxWaitTime = TimeSpan.FromMilliseconds(MaxWaitMs) },
            provider);

        // Warm up, so tiered compilation is not counted.
        for (int i = 0; i < 100; i++)
        {
            await batcher.ProcessAsync(i);
        }

        var ticks = new List<long>(capacity: (int)(duration.TotalSeconds * 120));
        using Process process = Process.GetCurrentProcess();
        process.Refresh();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        long? timerBefore = TimerThreadNanoseconds();
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            long before = Stopwatch.GetTimestamp();
            await batcher.ProcessAsync(ticks.Count);
            ticks.Add(Stopwatch.GetTimestamp() - before);
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        double? timerPercent = provider is null && timerBefore is { } timerStart && TimerThreadNanoseconds() is { } timerEnd
            ? 100 * (timerEnd - timerStart) / 1e9 / seconds
            : null;
        return new TimerCostSample(clock, seconds, ticks.Count, 100 * cpuSeconds / seconds, timerPercent, LatencyStatistics.FromTimestampTicks(ticks));
    }

    // The time the timer thread has spent on a processor, from /proc/self/task/*/schedstat (nanoseconds); null where
    // there is no such file or no such thread yet.
    private static long? TimerThreadNanoseconds()
    {
        const string tasks = "/proc/self/task";
        if (!Directory.Exists(tasks))
        {
            return null;
        }

        foreach (string task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                // The kernel keeps the first 15 characters of a thread's name.
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == "MicroBatching t")
                {
                    return long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }

        return null;
    }
}
