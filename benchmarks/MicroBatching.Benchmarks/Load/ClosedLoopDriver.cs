using System.Diagnostics;
using MicroBatching.Benchmarks.Contenders;

namespace MicroBatching.Benchmarks.Load;

/// <summary>What one closed-loop run measured.</summary>
public sealed record LoadSample(
    long Items,
    TimeSpan Elapsed,
    long BatchCalls,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    LatencyStatistics? Latency)
{
    public double ItemsPerSecond => Items / Elapsed.TotalSeconds;

    public double MeanBatchSize => BatchCalls == 0 ? 0 : (double)Items / BatchCalls;

    public double BytesPerItem => Items == 0 ? 0 : (double)AllocatedBytes / Items;
}

/// <summary>
/// Drives a contender with a fixed number of callers, each awaiting one call after another, and checks that every caller
/// receives its own item's result.
/// </summary>
public static class ClosedLoopDriver
{
    public static async Task<LoadSample> RunAsync(IBatchingContender contender, int callers, TimeSpan duration, bool recordLatency)
    {
        // Warm up the JIT and the thread pool outside the measurement.
        await RunCoreAsync(contender, callers, TimeSpan.FromMilliseconds(300), recordLatency: false);
        return await RunCoreAsync(contender, callers, duration, recordLatency);
    }

    private static async Task<LoadSample> RunCoreAsync(IBatchingContender contender, int callers, TimeSpan duration, bool recordLatency)
    {
        var stop = new StrongBox<bool>();
        var counts = new long[callers];
        var latencies = recordLatency ? new LatencyHistogram[callers] : null;
        // Awaited, not waited on: a blocked pool thread makes the pool inject workers beyond the core count, and the
        // whole run then measures an oversubscribed pool.
        int notReady = callers;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task[] loops = new Task[callers];
        for (int caller = 0; caller < callers; caller++)
        {
            int index = caller;
            if (latencies is not null)
            {
                latencies[index] = new LatencyHistogram();
            }

            loops[caller] = Task.Run(async () =>
            {
                if (Interlocked.Decrement(ref notReady) == 0)
                {
                    ready.SetResult();
                }

                await start.Task.ConfigureAwait(false);
                int item = index << 20;
                long count = 0;
                LatencyHistogram? recorded = latencies?[index];
                while (!Volatile.Read(ref stop.Value))
                {
                    // Reading the clock costs as much as a fast batcher's whole call: only when latency is wanted.
                    long before = recorded is null ? 0 : Stopwatch.GetTimestamp();
                    int result = await contender.ProcessAsync(item).ConfigureAwait(false);
                    recorded?.Record(Stopwatch.GetTimestamp() - before);
                    if (result != BatchWorkload.Expected(item))
                    {
                        throw new InvalidOperationException($"{contender.Name} returned {result} to the caller of {item}.");
                    }

                    item++;
                    count++;
                }

                counts[index] = count;
            });
        }

        await ready.Task.ConfigureAwait(false);
        long batchesBefore = contender.BatchCalls;
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long started = Stopwatch.GetTimestamp();
        start.SetResult();

        // A thread of its own ends the run: callers that never yield (direct calls) occupy every pool thread, and a
        // pool timer would wait for the pool to inject another.
        var stopper = new Thread(() =>
        {
            Thread.Sleep(duration);
            Volatile.Write(ref stop.Value, true);
        }) { IsBackground = true, Name = "load-stop" };
        stopper.Start();
        await Task.WhenAll(loops).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        return new LoadSample(
            counts.Sum(),
            elapsed,
            contender.BatchCalls - batchesBefore,
            allocated,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            latencies is null ? null : LatencyHistogram.Merge(latencies));
    }

    private sealed class StrongBox<T>
    {
        public T Value = default!;
    }
}
