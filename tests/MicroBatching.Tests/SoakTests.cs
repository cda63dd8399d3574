using System.Diagnostics;
using Xunit.Abstractions;

namespace MicroBatching.Tests;

/// <summary>
/// Mixed load under faults: random batch failures, wrong result counts, slow batches, caller cancellations, queue-full
/// rejections and a dispose in the middle. Every call must end in exactly one known outcome (none lost), and once the
/// batchers are drained every batch is back in its pool and memory is back to its baseline. Runs a few seconds by
/// default; <c>MICROBATCHING_SOAK_SECONDS=300</c> runs it for five minutes.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_duration = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("MICROBATCHING_SOAK_SECONDS"), out int seconds) ? seconds : 4);

    [Fact]
    public async Task MixedLoadUnderFaultsLosesNothingAndLeavesNothingBehind()
    {
        // A short warm-up run, so that code and pools touched by the first run are not counted as growth.
        await RunAsync(TimeSpan.FromMilliseconds(300), seed: 0);
        long baseline = SettledMemory();

        SoakReport report = await RunAsync(s_duration, seed: 42);
        long after = SettledMemory();
        output.WriteLine(report.ToString());
        output.WriteLine($"memory: {baseline / 1024} KiB before, {after / 1024} KiB after");

        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Unexpected);
        Assert.Equal(report.Made, report.Completed + report.Faulted + report.Cancelled + report.Rejected + report.Refused);
        Assert.True(report.Completed > 0 && report.Faulted > 0 && report.Cancelled > 0 && report.Rejected > 0 && report.Refused > 0,
            $"Every outcome should occur: {report}");
        Assert.All(report.Pools, pool => Assert.True(pool.Pooled == pool.Created, $"{pool.Created} batches created, {pool.Pooled} back in the pool."));
        Assert.True(after - baseline < 1024 * 1024, $"Memory grew by {(after - baseline) / 1024} KiB.");
    }

    private static long SettledMemory()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<SoakReport> RunAsync(TimeSpan duration, int seed)
    {
        var report = new SoakReport();
        var pools = new List<(long Created, int Pooled)>();
        // Two generations of batchers: the first is disposed halfway while callers keep calling it.
        for (int generation = 0; generation < 2; generation++)
        {
            var batcher = new MicroBatcher<int, long>(
                FaultyBatchFunction(seed + generation),
                new MicroBatchOptions
                {
                    MaxBatchSize = 16, MaxWaitTime = TimeSpan.FromMilliseconds(1), MaxConcurrentBatches = 2,
                    QueueCapacity = 64, QueueFullMode = generation == 0 ? QueueFullMode.Reject : QueueFullMode.Wait,
                });
            using var half = new CancellationTokenSource(duration / 2);
            Task[] callers = [.. Enumerable.Range(0, 32).Select(caller => CallerAsync(batcher, report, seed * 1000 + generation * 100 + caller, half.Token))];

            await Task.Delay(duration / 4);
            if (generation == 0)
            {
                // Disposal while callers keep calling: the rest of them are refused.
                await batcher.DisposeAsync();
            }

            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));
            await batcher.DisposeAsync();
            pools.Add((batcher.BatchesCreated, batcher.BatchesPooled));
        }

        report.Pools = pools;
        return report;
    }

    private static async Task CallerAsync(MicroBatcher<int, long> batcher, SoakReport report, int seed, CancellationToken stop)
    {
        await Task.Yield();
        var random = new Random(seed);
        var pending = new List<(int Item, ValueTask<long> Call, CancellationTokenSource? Cancellation)>();
        while (!stop.IsCancellationRequested)
        {
            // A few calls at once, some of them cancelled at once, some soon, most never.
            for (int i = random.Next(1, 8); i > 0; i--)
            {
                int item = random.Next(1_000_000);
                CancellationTokenSource? cancellation = random.Next(10) == 0 ? new CancellationTokenSource() : null;
                Interlocked.Increment(ref report.Made);
                pending.Add((item, batcher.ProcessAsync(item, cancellation?.Token ?? default), cancellation));
                if (cancellation is not null && random.Next(2) == 0)
                {
                    cancellation.CancelAfter(random.Next(3));
                }
                else
                {
                    cancellation?.Cancel();
                }
            }

            Outcome worst = Outcome.Completed;
            foreach ((int item, ValueTask<long> call, CancellationTokenSource? cancellation) in pending)
            {
                Outcome outcome = await ObserveAsync(report, item, call);
                worst = outcome > worst ? outcome : worst;
                cancellation?.Dispose();
            }

            pending.Clear();

            // As real clients do: back off when the queue is full, and stop once the service has shut down.
            if (worst == Outcome.Refused)
            {
                return;
            }

            if (worst == Outcome.Rejected)
            {
                await Task.Delay(1, CancellationToken.None);
            }
        }
    }

    private enum Outcome
    {
        Completed,
        Faulted,
        Cancelled,
        Rejected,
        Refused,
        Other,
    }

    private static async Task<Outcome> ObserveAsync(SoakReport report, int item, ValueTask<long> call)
    {
        try
        {
            long result = await call.AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Interlocked.Increment(ref result == Expected(item) ? ref report.Completed : ref report.Unexpected);
            return Outcome.Completed;
        }
        catch (Exception exception) when (exception is InjectedFailure or BatchResultCountMismatchException)
        {
            Interlocked.Increment(ref report.Faulted);
            return Outcome.Faulted;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref report.Cancelled);
            return Outcome.Cancelled;
        }
        catch (BatchQueueFullException)
        {
            Interlocked.Increment(ref report.Rejected);
            return Outcome.Rejected;
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref report.Refused);
            return Outcome.Refused;
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref report.Lost);
            return Outcome.Other;
        }
        catch (Exception)
        {
            Interlocked.Increment(ref report.Unexpected);
            return Outcome.Other;
        }
    }

    // Per batch, decided by a seeded random: 5 % fail, 3 % return one result too few, 10 % are slow.
    private static Func<IReadOnlyList<int>, CancellationToken, ValueTask<IReadOnlyList<long>>> FaultyBatchFunction(int seed)
    {
        var random = new Random(seed);
        return async (items, cancellationToken) =>
        {
            int roll;
            lock (random)
            {
                roll = random.Next(100);
            }

            if (roll < 10)
            {
                await Task.Delay(2, cancellationToken);
            }
            else
            {
                await Task.Yield();
            }

            if (roll is >= 10 and < 15)
            {
                throw new InjectedFailure();
            }

            long[] results = [.. items.Select(Expected)];
            return roll is >= 15 and < 18 ? results[1..] : results;
        };
    }

    private static long Expected(int item) => (long)item * 7 + 3;

    private sealed class InjectedFailure() : Exception("Injected batch failure.");

    private sealed class SoakReport
    {
        public long Made;
        public long Completed;
        public long Faulted;
        public long Cancelled;
        public long Rejected;
        public long Refused;
        public long Lost;
        public long Unexpected;

        public IReadOnlyList<(long Created, int Pooled)> Pools { get; set; } = [];

        public override string ToString() =>
            $"calls made {Made}: completed {Completed}, faulted {Faulted}, cancelled {Cancelled}, rejected {Rejected}, " +
            $"refused {Refused}, lost {Lost}, unexpected {Unexpected}; pools {string.Join(", ", Pools.Select(p => $"{p.Pooled}/{p.Created}"))}";
    }
}
