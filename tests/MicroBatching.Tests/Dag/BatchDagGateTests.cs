namespace MicroBatching.Tests.Dag;

public sealed class BatchDagGateTests
{
    [Fact]
    public async Task AtMostMaxParallelismCallsRunAndTheNextStartsWhenOneEnds()
    {
        var gate = new BatchDagGate(2);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int started = 0;
        ValueTask<int> Call(CancellationToken _) => new(Task.Run(async () => { Interlocked.Increment(ref started); await release.Task; return 1; }));

        Task<int>[] calls = [.. Enumerable.Range(0, 3).Select(_ => gate.RunAsync(Call, CancellationToken.None).AsTask())];
        await WaitUntilAsync(() => Volatile.Read(ref started) == 2);

        Assert.Equal(2, gate.Running);
        Assert.Equal(2, Volatile.Read(ref started));
        release.SetResult();
        Assert.Equal(new[] { 1, 1, 1 }, await Task.WhenAll(calls).WithTimeout());
        Assert.Equal(3, started);
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task ACallerThatCancelsWhileWaitingLeavesWithoutRunningItsCall()
    {
        var gate = new BatchDagGate(1);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool ran = false;
        using var cancellation = new CancellationTokenSource();

        ValueTask<int> holding = gate.RunAsync(_ => new ValueTask<int>(release.Task), CancellationToken.None);
        ValueTask<int> waiting = gate.RunAsync(_ => { ran = true; return new ValueTask<int>(2); }, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WithTimeout());
        release.SetResult(1);
        Assert.Equal(1, await holding.AsTask().WithTimeout());
        Assert.False(ran);
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task AFailingCallFreesItsSlot()
    {
        var gate = new BatchDagGate(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<int>(_ => throw new InvalidOperationException(), CancellationToken.None).AsTask());

        Assert.Equal(0, gate.Running);
        Assert.Equal(3, await gate.RunAsync(_ => new ValueTask<int>(3), CancellationToken.None).AsTask().WithTimeout());
    }

    [Fact]
    public void AParallelismBelowOneIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchDagGate(0));

    [Fact]
    public async Task ArgumentsAreCheckedByName()
    {
        Assert.Equal("maxParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchDagGate(0)).ParamName);
        var gate = new BatchDagGate(1);
        Assert.Equal(1, gate.MaxParallelism);
        Assert.Equal("call", (await Assert.ThrowsAsync<ArgumentNullException>(() => gate.RunAsync<int>(null!, CancellationToken.None).AsTask())).ParamName);
    }

    [Fact]
    public async Task ACallerOnASynchronizationContextIsNeverResumedOnIt()
    {
        var gate = new BatchDagGate(1);
        var context = new RecordingSynchronizationContext();
        var firstCall = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The first finds a free slot and awaits its call there; the second awaits the slot.
        Task<int> first = context.Run(() => gate.RunAsync(_ => new ValueTask<int>(firstCall.Task), CancellationToken.None).AsTask());
        Task<int> second = context.Run(() => gate.RunAsync(_ => new ValueTask<int>(2), CancellationToken.None).AsTask());
        firstCall.SetResult(1);

        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(first, second).WithTimeout());
        Assert.Equal(0, context.Posts);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        while (!condition())
        {
            await Task.Delay(1, timeout.Token);
        }
    }
}
