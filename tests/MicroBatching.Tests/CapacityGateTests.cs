using MicroBatching.Internal;

namespace MicroBatching.Tests;

/// <summary>
/// The queue bound on its own: units, waiters in arrival order, cancellation and closing. Each test fails fast and says
/// why when the gate loses a unit, skips a waiter or spins, instead of hanging the run.
/// </summary>
public sealed class CapacityGateTests
{
    private static readonly TimeSpan s_fast = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AUnitReleasedBetweenAFailedAcquireAndTheWaitIsHandedToTheWaiter()
    {
        var gate = new CapacityGate(1);
        Assert.True(gate.TryAcquire());
        Assert.False(gate.TryAcquire());

        // The unit comes back before the caller that found no room starts waiting: nobody is queued to receive it.
        gate.Release(1);
        Task waiting = await OffTheTestThread(() => gate.WaitAsync(CancellationToken.None));

        await AssertCompletes(waiting, "the waiter was never given the unit released just before it queued");
    }

    [Fact]
    public async Task AfterACancelledWaiterIsDroppedTheNextWaiterIsAdmitted()
    {
        var gate = new CapacityGate(1);
        Assert.True(gate.TryAcquire());
        using var cancellation = new CancellationTokenSource();
        Task first = gate.WaitAsync(cancellation.Token);
        Task second = gate.WaitAsync(CancellationToken.None);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(s_fast));
        await OffTheTestThread(() => { gate.Release(1); return Task.CompletedTask; });

        await AssertCompletes(second, "the waiter behind a cancelled one was dequeued without being admitted");
        Assert.False(gate.TryAcquire());
    }

    [Fact]
    public async Task WaitersAreAdmittedOneUnitEachInArrivalOrder()
    {
        var gate = new CapacityGate(1);
        Assert.True(gate.TryAcquire());
        Task[] waiters = [.. Enumerable.Range(0, 3).Select(_ => gate.WaitAsync(CancellationToken.None))];

        for (int i = 0; i < waiters.Length; i++)
        {
            Assert.All(waiters.Skip(i), w => Assert.False(w.IsCompleted));
            await OffTheTestThread(() => { gate.Release(1); return Task.CompletedTask; });
            await AssertCompletes(waiters[i], $"waiter {i} was not admitted by the release meant for it");
        }
    }

    [Fact]
    public async Task ClosingFailsCurrentAndLaterWaitersWithItsException()
    {
        var gate = new CapacityGate(1);
        Assert.True(gate.TryAcquire());
        Task waiting = gate.WaitAsync(CancellationToken.None);
        var closed = new ObjectDisposedException("gate");

        await OffTheTestThread(() => { gate.Close(closed); return Task.CompletedTask; });

        Assert.Same(closed, await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(s_fast)));
        Task later = await OffTheTestThread(() => gate.WaitAsync(CancellationToken.None));
        Assert.Same(closed, await Assert.ThrowsAsync<ObjectDisposedException>(() => later.WaitAsync(s_fast)));
    }

    [Fact]
    public async Task AnAdmittedWaiterLetsGoOfItsCancellationToken()
    {
        var gate = new CapacityGate(1);
        Assert.True(gate.TryAcquire());
        using var longLived = new CancellationTokenSource();
        WeakReference admitted = await AdmitAsync(gate, longLived.Token);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The token lives on; a registration left on it would keep the admitted waiter alive with it.
        Assert.False(admitted.IsAlive, "The admitted waiter is still referenced: its registration on the caller's token was not disposed.");
        GC.KeepAlive(longLived);
    }

    [Fact]
    public async Task AWaiterFailedByClosingLetsGoOfItsCancellationToken()
    {
        var gate = new CapacityGate(1);
        Assert.True(gate.TryAcquire());
        using var longLived = new CancellationTokenSource();
        WeakReference failed = await FailByClosingAsync(gate, longLived.Token);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(failed.IsAlive, "The failed waiter is still referenced: its registration on the caller's token was not disposed.");
        GC.KeepAlive(longLived);
    }

    [Fact]
    public async Task ThreadsRacingToAcquireTakeExactlyTheUnitsThereAre()
    {
        const int Units = 100_000;
        var gate = new CapacityGate(Units);
        int acquired = 0;
        using var start = new Barrier(Environment.ProcessorCount * 2);

        // Every losing compare-and-swap must retry, never count as a unit taken.
        Task[] racers = [.. Enumerable.Range(0, start.ParticipantCount).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                while (gate.TryAcquire())
                {
                    Interlocked.Increment(ref acquired);
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        await Task.WhenAll(racers).WaitAsync(s_fast);

        Assert.Equal(Units, acquired);
    }

    private static async Task<WeakReference> FailByClosingAsync(CapacityGate gate, CancellationToken token)
    {
        Task waiting = gate.WaitAsync(token);
        gate.Close(new ObjectDisposedException("gate"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(s_fast));
        return new WeakReference(waiting);
    }

    private static async Task<WeakReference> AdmitAsync(CapacityGate gate, CancellationToken token)
    {
        Task waiting = gate.WaitAsync(token);
        gate.Release(1);
        await waiting.WaitAsync(s_fast);
        return new WeakReference(waiting);
    }

    // Runs a gate operation on another thread with a deadline, so that one that spins fails the test instead of hanging it.
    private static async Task<Task> OffTheTestThread(Func<Task> operation)
    {
        Task<Task> run = Task.Factory.StartNew(operation, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        Task finished = await Task.WhenAny(run, Task.Delay(s_fast));
        Assert.True(finished == run, "A gate operation did not return: it spins.");
        return await run;
    }

    private static async Task AssertCompletes(Task task, string because)
    {
        Task finished = await Task.WhenAny(task, Task.Delay(s_fast));
        Assert.True(finished == task, because);
        await task;
    }
}
