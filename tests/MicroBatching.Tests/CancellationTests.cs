using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>Rule 7: a caller's cancellation ends its own call promptly and never disturbs the others. The rules: docs/semantics.md.</summary>
public sealed class CancellationTests
{
    private static MicroBatchOptions Options(int maxBatchSize = 10) =>
        new() { MaxBatchSize = maxBatchSize, MaxWaitTime = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task Rule7_QueuedCallerCancelsPromptlyAndItsItemIsNeverPassedToTheBatchFunction()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x * 2);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(), time);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int> first = batcher.ProcessAsync(1);
        ValueTask<int> cancelled = batcher.ProcessAsync(2, cancellation.Token);
        ValueTask<int> third = batcher.ProcessAsync(3);

        cancellation.Cancel();
        // Promptly: without any time passing, before the batch is due.
        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WithTimeout());
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.Equal(0, batcher.GetStatistics().BatchesDispatched);

        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(2, await first.WithTimeout());
        Assert.Equal(6, await third.WithTimeout());
        Assert.Equal([1, 3], Assert.Single(function.Calls));
    }

    [Fact]
    public async Task Rule7_AlreadyCancelledTokenCompletesAtOnceWithoutQueueing()
    {
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(), new FakeTimeProvider());

        ValueTask<int> call = batcher.ProcessAsync(1, new CancellationToken(canceled: true));

        Assert.True(call.IsCanceled);
        Assert.Equal(0, batcher.GetStatistics().PendingItems);
    }

    [Fact]
    public async Task Rule7_BatchWhoseCallersAllCancelledIsNeverPassedToTheBatchFunction()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(), time);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int>[] cancelled = [batcher.ProcessAsync(1, cancellation.Token), batcher.ProcessAsync(2, cancellation.Token)];
        cancellation.Cancel();
        foreach (ValueTask<int> call in cancelled)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WithTimeout());
        }

        // The batch of cancelled callers comes due and is skipped.
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, batcher.GetStatistics().BatchesDispatched);

        // Batches run one at a time and in order, so by the time this one has run the cancelled one was skipped.
        ValueTask<int> later = batcher.ProcessAsync(3);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(3, await later.WithTimeout());
        Assert.Equal(2, batcher.GetStatistics().BatchesDispatched);
        Assert.Equal([3], Assert.Single(function.Calls));
    }

    [Fact]
    public async Task Rule7_CallerCancelledWhileItsBatchRunsCompletesCancelledAndTheOthersGetTheirResults()
    {
        var time = new FakeTimeProvider();
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(maxBatchSize: 3), time);
        using var cancellation = new CancellationTokenSource();

        ValueTask<int> leaving = batcher.ProcessAsync(1, cancellation.Token);
        ValueTask<int> staying1 = batcher.ProcessAsync(2);
        ValueTask<int> staying2 = batcher.ProcessAsync(3);
        BatchCall<int, int> call = await function.NextCallAsync();
        Assert.Equal([1, 2, 3], call.Items);

        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WithTimeout());
        Assert.False(call.Token.IsCancellationRequested);

        call.Complete(x => x * 100);
        Assert.Equal(200, await staying1.WithTimeout());
        Assert.Equal(300, await staying2.WithTimeout());
    }

    [Fact]
    public async Task Rule7_BatchTokenIsCancelledOnlyWhenEveryCallerHasCancelled()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(maxBatchSize: 2), new FakeTimeProvider());
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();

        ValueTask<int>[] calls = [batcher.ProcessAsync(1, first.Token), batcher.ProcessAsync(2, second.Token)];
        BatchCall<int, int> call = await function.NextCallAsync();
        Assert.True(call.Token.CanBeCanceled);

        first.Cancel();
        Assert.False(call.Token.IsCancellationRequested);
        second.Cancel();
        Assert.True(call.Token.IsCancellationRequested);

        call.Fail(new OperationCanceledException(call.Token));
        foreach (ValueTask<int> task in calls)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WithTimeout());
        }
    }

    [Fact]
    public async Task Rule7_BatchTokenCannotBeCancelledWhenNoCallerCanCancel()
    {
        var function = new ControlledBatchFunction<int, int>();
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, Options(maxBatchSize: 2), new FakeTimeProvider());

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        BatchCall<int, int> call = await function.NextCallAsync();
        Assert.False(call.Token.CanBeCanceled);
        call.Complete(x => x);
        await Task.WhenAll(calls.Select(c => c.WithTimeout()));
    }
}
