using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rule 11: every exception reaches a caller or the log; none is left unobserved or crashes the process. The rules: docs/semantics.md.</summary>
public sealed class UnobservedExceptionTests
{
    [Fact]
    public async Task Rule11_FailureAfterEveryCallerCancelledIsLogged()
    {
        var logger = new FakeLogger();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 2, Name = "orphaned" }, new FakeTimeProvider(), logger);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int>[] calls = [batcher.ProcessAsync(1, cancellation.Token), batcher.ProcessAsync(2, cancellation.Token)];
        BatchCall<int, int> call = await function.NextCallAsync();
        cancellation.Cancel();
        foreach (ValueTask<int> task in calls)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WithTimeout());
        }

        var failure = new InvalidDataException("corrupt model file");
        call.Fail(failure);

        await WaitUntilAsync(() => logger.Collector.Count > 0, "the failure is logged");
        FakeLogRecord record = logger.LatestRecord;
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Same(failure, record.Exception);
        Assert.Contains("orphaned", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rule11_CancellationThatTheBatchFunctionHonoursIsNotLoggedAsAFailure()
    {
        var logger = new FakeLogger();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 1 }, new FakeTimeProvider(), logger);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int> call = batcher.ProcessAsync(1, cancellation.Token);
        BatchCall<int, int> running = await function.NextCallAsync();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WithTimeout());
        running.Fail(new OperationCanceledException(running.Token));

        await WaitUntilAsync(() => batcher.GetStatistics().BatchesInFlight == 0, "the batch finishes");
        Assert.Equal(0, logger.Collector.Count);
    }

    [Fact]
    public async Task Rule11_ThrowingCallbackOnTheBatchTokenIsLoggedAndDoesNotReachTheCancellingCaller()
    {
        var logger = new FakeLogger();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke,
            new MicroBatchOptions { MaxBatchSize = 1, Name = "callbacks" }, new FakeTimeProvider(), logger);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int> call = batcher.ProcessAsync(1, cancellation.Token);
        BatchCall<int, int> running = await function.NextCallAsync();
        running.Token.Register(() => throw new InvalidOperationException("callback bug"));

        cancellation.Cancel(); // must not throw into the caller that cancels
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WithTimeout());
        FakeLogRecord record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains("callback bug", record.Exception!.ToString(), StringComparison.Ordinal);
        running.Complete(x => x);
    }

    [Fact]
    public async Task Rule11_AFailureItsCallersReceivedIsNotAlsoLogged()
    {
        var logger = new FakeLogger();
        await using var batcher = new MicroBatcher<int, int>(
            (_, _) => throw new ApplicationException("seen by the callers"),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) }, new FakeTimeProvider(), logger);

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        foreach (ValueTask<int> call in calls)
        {
            await Assert.ThrowsAsync<ApplicationException>(() => call.WithTimeout());
        }

        await batcher.DisposeAsync();
        Assert.Empty(logger.Collector.GetSnapshot());
    }

    [Fact]
    public async Task Rule11_FailingBatchesLeaveNoUnobservedTaskExceptions()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.InnerExceptions.Any(x => x is ApplicationException { Message: "rule 11" }))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception);
                }
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await RunFailingBatchesAsync();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.Empty(unobserved);
    }

    private static async Task RunFailingBatchesAsync()
    {
        await using var batcher = new MicroBatcher<int, int>(
            async (items, _) =>
            {
                await Task.Yield();
                throw new ApplicationException("rule 11");
            },
            new MicroBatchOptions { MaxBatchSize = 4, MaxWaitTime = TimeSpan.Zero });

        for (int i = 0; i < 50; i++)
        {
            await Assert.ThrowsAsync<ApplicationException>(() => batcher.ProcessAsync(i).AsTask());
        }
    }
}
