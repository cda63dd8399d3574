using System.Diagnostics;

namespace MicroBatching.Tests;

/// <summary>
/// A million items from 256 concurrent callers with random cancellations and random batch failures: every call completes
/// exactly once, with its own result, its batch's failure or its cancellation, and nothing hangs.
/// </summary>
[Collection(NonParallelCollection.Name)]
public sealed class StressTests
{
    private const int Callers = 256;
    private const int ItemsPerCaller = 4_000; // 1,024,000 items in all

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4, 0)]
    [InlineData(2, 512)]
    public async Task EveryCallCompletesExactlyOnceWithItsOwnOutcome(int maxConcurrentBatches, int queueCapacity)
    {
        int totalItems = Callers * ItemsPerCaller;
        var deliveries = new int[totalItems];
        long succeeded = 0, failed = 0, cancelled = 0;
        var stopwatch = Stopwatch.StartNew();

        await using (var batcher = new MicroBatcher<int, long>(
            async (items, token) =>
            {
                foreach (int item in items)
                {
                    Interlocked.Increment(ref deliveries[item]);
                }

                // Some batches finish asynchronously, some fail; the failure is decided by the first item, so it is reproducible.
                if (items[0] % 7 == 0)
                {
                    await Task.Yield();
                }

                if (items[0] % 53 == 0)
                {
                    throw new InjectedFailure(items[0]);
                }

                var results = new long[items.Count];
                for (int i = 0; i < results.Length; i++)
                {
                    results[i] = Expected(items[i]);
                }

                return results;
            },
            new MicroBatchOptions
            {
                MaxBatchSize = 32,
                MaxWaitTime = TimeSpan.FromMilliseconds(1),
                MaxConcurrentBatches = maxConcurrentBatches,
                QueueCapacity = queueCapacity,
            }))
        {
            Task[] callers = [.. Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
            {
                var random = new Random(caller);
                using var cancellation = new CancellationTokenSource();
                for (int i = 0; i < ItemsPerCaller; i++)
                {
                    int item = caller * ItemsPerCaller + i;
                    bool cancel = random.Next(100) < 3;
                    using CancellationTokenSource? own = cancel ? new CancellationTokenSource() : null;
                    ValueTask<long> call = batcher.ProcessAsync(item, own?.Token ?? default);
                    if (cancel && random.Next(2) == 0)
                    {
                        own!.Cancel();
                    }
                    else if (cancel)
                    {
                        _ = Task.Run(own!.Cancel);
                    }

                    try
                    {
                        long result = await call;
                        Assert.Equal(Expected(item), result);
                        Interlocked.Increment(ref succeeded);
                    }
                    catch (InjectedFailure)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    catch (OperationCanceledException) when (cancel)
                    {
                        Interlocked.Increment(ref cancelled);
                    }
                }
            }))];

            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(90));
        }

        Assert.Equal(totalItems, succeeded + failed + cancelled);
        int[] duplicated = [.. Enumerable.Range(0, totalItems).Where(item => deliveries[item] > 1).Take(10)];
        Assert.True(duplicated.Length == 0, $"Items passed to the batch function more than once: {string.Join(", ", duplicated)}.");
        Assert.True(failed > 0, "Some batches should have failed.");
        Assert.True(cancelled > 0, "Some calls should have been cancelled.");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(90), $"Took {stopwatch.Elapsed}.");
    }

    private static long Expected(int item) => (long)item * 3 + 1;

    private sealed class InjectedFailure(int item) : Exception($"Injected failure of the batch starting with {item}.");
}
