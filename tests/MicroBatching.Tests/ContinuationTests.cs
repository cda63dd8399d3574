using Microsoft.Extensions.Logging.Testing;
using System.Collections.Concurrent;

namespace MicroBatching.Tests;

/// <summary>Callers' continuations never run on the batcher's own path, so a slow or blocked one cannot stall it.</summary>
public sealed class ContinuationTests
{
    [Fact]
    public async Task ACallerThatBlocksInItsContinuationDoesNotStallLaterBatches()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 1, MaxWaitTime = TimeSpan.FromMilliseconds(1) });
        using var laterBatchDone = new ManualResetEventSlim();

        // The first caller's continuation blocks its thread until a later batch has completed: if the batcher ran
        // that later batch behind the blocked continuation, this would never finish.
        Task blocked = Task.Run(async () =>
        {
            await batcher.ProcessAsync(1).ConfigureAwait(false);
            Assert.True(laterBatchDone.Wait(TestTimeouts.Generous), "A later batch never completed.");
        });

        await Task.Delay(50);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i, await batcher.ProcessAsync(i).WithTimeout());
        }

        laterBatchDone.Set();
        await blocked.WithTimeout();
    }

    // The watch for a stuck continuation runs on the real clock: a batcher on a fake clock that never moves is rescued too.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASlowContinuationDoesNotHoldUpTheOtherCallersOfItsBatch(bool fakeClock)
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 16, MaxWaitTime = TimeSpan.FromHours(1) },
            fakeClock ? new Microsoft.Extensions.Time.Testing.FakeTimeProvider() : null);

        // Caller 1's continuation blocks until every other caller of its batch has finished: if they were resumed
        // only after it, they never would, and it times out.
        int othersLeft = 15;
        using var othersDone = new ManualResetEventSlim();
        bool waitedForOthers = false;
        Task[] callers = [.. Enumerable.Range(0, 16).Select(CallAsync)];
        await Task.WhenAll(callers).WithTimeout();
        Assert.True(waitedForOthers, "The slow caller's siblings were not resumed while it was busy.");

        async Task CallAsync(int item)
        {
            // No context: the continuation runs where the batcher resumes it, not on the test framework's threads.
            int result = await batcher.ProcessAsync(item).ConfigureAwait(false);
            Assert.Equal(item, result);
            if (item == 1)
            {
                waitedForOthers = othersDone.Wait(TestTimeouts.Generous);
            }
            else if (Interlocked.Decrement(ref othersLeft) == 0)
            {
                othersDone.Set();
            }
        }
    }

    [Fact]
    public async Task CallersAreNotResumedOnTheThreadThatCompletesTheBatchFunctionsTask()
    {
        // As many I/O libraries do: a TaskCompletionSource without RunContinuationsAsynchronously, completed by a
        // thread of their own (a socket or driver callback thread).
        var completion = new TaskCompletionSource<IReadOnlyList<int>>();
        using var batchStarted = new ManualResetEventSlim();
        int[] received = [];
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) =>
            {
                // The callers arrive in either order: the results follow the items as the batch received them.
                received = [.. items];
                batchStarted.Set();
                return new ValueTask<IReadOnlyList<int>>(completion.Task);
            },
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) });

        using var setResultReturned = new ManualResetEventSlim();
        var resumedOn = new ConcurrentBag<int>();
        var sawSetResultReturn = new ConcurrentBag<bool>();
        Task[] callers = [.. Enumerable.Range(0, 2).Select(item => Task.Run(async () =>
        {
            Assert.Equal(item * 10, await batcher.ProcessAsync(item).ConfigureAwait(false));
            resumedOn.Add(Environment.CurrentManagedThreadId);

            // A caller that blocks: if it ran inline, the completing thread would be stuck here until the wait gives up.
            sawSetResultReturn.Add(setResultReturned.Wait(TimeSpan.FromSeconds(5)));
        }))];
        Assert.True(batchStarted.Wait(Generous), "The batch never started.");

        int completingThreadId = 0;
        var completingThread = new Thread(() =>
        {
            completingThreadId = Environment.CurrentManagedThreadId;
            completion.SetResult([.. received.Select(item => item * 10)]);
            setResultReturned.Set();
        });
        completingThread.Start();
        Assert.True(completingThread.Join(Generous), "Completing the batch function's task never returned.");
        await Task.WhenAll(callers).WithTimeout();

        Assert.DoesNotContain(completingThreadId, resumedOn);
        Assert.All(sawSetResultReturn, Assert.True);
    }

    [Fact]
    public async Task AHandWrittenContinuationThatThrowsIsLoggedAndItsBatchsOtherCallersStillGetTheirResults()
    {
        var logger = new FakeLogger();
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) },
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(),
            logger);
        var thrown = new InvalidOperationException("a continuation that throws");

        // Off the test framework's context, so the continuation runs where the batcher resumes it.
        await Task.Run(() => batcher.ProcessAsync(1).GetAwaiter().OnCompleted(() => throw thrown));
        Assert.Equal(2, await batcher.ProcessAsync(2).WithTimeout());

        await WaitUntilAsync(() => logger.Collector.Count > 0, "the continuation's failure is logged");
        Assert.Same(thrown, logger.LatestRecord.Exception);
    }
}
