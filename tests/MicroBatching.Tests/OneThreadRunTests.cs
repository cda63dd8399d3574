#if DEBUG
using System.Diagnostics;
using MicroBatching.Internal;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>
/// What one work item of the batcher does, seen by running its work items one at a time on the test thread
/// (<see cref="QueuedWorkItems"/>): which batches a finishing batch runs itself, where callers are resumed, and what a
/// pooled batch carries over from its last run. Debug builds only; CI runs them in its Debug pass.
/// </summary>
public sealed class OneThreadRunTests
{
    private const int MaxChainLength = 16;

    [Fact]
    public void AFinishingBatchRunsTheNextReadyBatchItselfThenQueuesTheRestAfterSixteen()
    {
        using var workItems = new QueuedWorkItems();
        var ran = new List<int>();
        var batcher = new MicroBatcher<int, int>(
            (items, _) => { ran.AddRange(items); return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()); },
            new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 1, MaxWaitTime = TimeSpan.FromHours(1) },
            new FakeTimeProvider());

        Task<int>[] calls = [.. Enumerable.Range(0, 40).Select(i => batcher.ProcessAsync(i).AsTask())];
        Assert.Single(workItems.Pending.OfType<Batch<int, int>>());

        workItems.RunNext();

        // The first batch, then the sixteen it chained; the next is queued so other work gets in.
        Assert.Equal(Enumerable.Range(0, 1 + MaxChainLength), ran);
        Assert.Single(workItems.Pending.OfType<Batch<int, int>>());
        Assert.All(calls, call => Assert.False(call.IsCompleted, "A caller was resumed on the thread that runs batches."));

        workItems.RunAll();

        Assert.Equal(Enumerable.Range(0, 40), ran);
        for (int i = 0; i < calls.Length; i++)
        {
            // Resumed by the resumption work item itself, not handed on to the thread pool.
            Assert.True(calls[i].IsCompletedSuccessfully, $"Caller {i} was not resumed by the batcher's own work item.");
            Assert.Equal(i, QueuedWorkItems.ResultOf(calls[i]));
        }
    }

    [Fact]
    public void ABatchThatACallersContinuationDispatchesIsQueuedNotRunAheadOfTheOtherCallers()
    {
        using var workItems = new QueuedWorkItems();
        var ran = new List<int>();
        var batcher = new MicroBatcher<int, int>(
            (items, _) => { ran.AddRange(items); return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()); },
            new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 1 },
            new FakeTimeProvider());

        Task<int>? second = null;
        Task<int> first = batcher.ProcessAsync(1).AsTask();
        first.ContinueWith(_ => second = batcher.ProcessAsync(2).AsTask(), TaskContinuationOptions.ExecuteSynchronously);

        workItems.RunNext();

        Assert.True(first.IsCompletedSuccessfully);
        Assert.NotNull(second);
        Assert.Equal([1], ran);
        Assert.Single(workItems.Pending.OfType<Batch<int, int>>());

        workItems.RunAll();
        Assert.Equal(2, QueuedWorkItems.ResultOf(second));
    }

    [Fact]
    public void WhenEveryCallerCancelsJustAsTheRunStartsTheBatchFunctionGetsACancelledToken()
    {
        using var workItems = new QueuedWorkItems();
        using var cancel = new CancellationTokenSource();
        bool? tokenWasCancelled = null;
        var batcher = new MicroBatcher<int, int>(
            (items, token) =>
            {
                tokenWasCancelled = token.IsCancellationRequested;
                return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
            },
            new MicroBatchOptions { MaxBatchSize = 1 },
            new FakeTimeProvider());

        // The caller cancels after its slot started running but before the run counted its callers.
        workItems.OnceAt("a slot started running", () => cancel.Cancel());
        Task<int> call = batcher.ProcessAsync(1, cancel.Token).AsTask();
        workItems.RunAll();

        Assert.True(tokenWasCancelled, "Nobody is left to receive the result, yet the batch's token was not cancelled.");
        Assert.True(call.IsCanceled);
    }

    [Fact]
    public void APooledBatchStartsItsNextRunWithAFreshToken()
    {
        using var workItems = new QueuedWorkItems();
        var tokensCancelled = new List<bool>();
        var batcher = new MicroBatcher<int, int>(
            (items, token) =>
            {
                tokensCancelled.Add(token.IsCancellationRequested);
                return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
            },
            new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 1 },
            new FakeTimeProvider());

        using var first = new CancellationTokenSource();
        workItems.OnceAt("a slot started running", () => first.Cancel());
        Task<int> cancelled = batcher.ProcessAsync(1, first.Token).AsTask();
        workItems.RunAll();
        workItems.StopActing();

        Task<int> second = batcher.ProcessAsync(2).AsTask();
        workItems.RunAll();
        using var third = new CancellationTokenSource();
        Task<int> reusing = batcher.ProcessAsync(3, third.Token).AsTask();
        workItems.RunAll();

        // Two batches were created: the third call ran in the first call's batch, whose token had been cancelled.
        Assert.Equal(2, batcher.BatchesCreated);
        Assert.Equal([true, false, false], tokensCancelled);
        Assert.True(cancelled.IsCanceled);
        Assert.Equal(2, QueuedWorkItems.ResultOf(second));
        Assert.Equal(3, QueuedWorkItems.ResultOf(reusing));
    }

    [Fact]
    public void APooledBatchDoesNotLinkItsNextRunToTheLastRunsCallers()
    {
        string name = $"pooled-links-{Guid.NewGuid():N}";
        using var recorder = new BatchActivities(name, callerSourceName: "pooled-links");
        using var callers = new ActivitySource("pooled-links");
        using var workItems = new QueuedWorkItems();
        var batcher = new MicroBatcher<int, int>(
            Echo,
            new MicroBatchOptions { MaxBatchSize = 1, MaxConcurrentBatches = 1, Name = name },
            new FakeTimeProvider());

        ActivityContext traced;
        using (Activity caller = callers.StartActivity("request")!)
        {
            traced = caller.Context;
            _ = batcher.ProcessAsync(1).AsTask();
        }

        workItems.RunAll();
        _ = batcher.ProcessAsync(2).AsTask();
        workItems.RunAll();
        _ = batcher.ProcessAsync(3).AsTask();
        workItems.RunAll();

        Assert.Equal(2, batcher.BatchesCreated);
        IReadOnlyList<Activity> batches = recorder.Stopped;
        Assert.Equal(3, batches.Count);
        Assert.Equal([traced], batches[0].Links.Select(link => link.Context));
        Assert.Empty(batches[1].Links);
        Assert.Empty(batches[2].Links);
    }

    [Fact]
    public void EveryBatchIsBackInThePoolAfterTheDrainEvenOneWhoseCallersAllCancelled()
    {
        using var workItems = new QueuedWorkItems();
        int functionCalls = 0;
        var batcher = new MicroBatcher<int, int>(
            (items, _) => { functionCalls++; return ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()); },
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) },
            new FakeTimeProvider());

        using var cancel = new CancellationTokenSource();
        Task<int>[] calls = [batcher.ProcessAsync(1, cancel.Token).AsTask(), batcher.ProcessAsync(2, cancel.Token).AsTask()];
        cancel.Cancel();
        workItems.RunAll();

        Assert.All(calls, call => Assert.True(call.IsCanceled));
        Assert.Equal(0, functionCalls);

        // The drain seals the open batch while it is still empty: it is pooled without a run.
        ValueTask drain = batcher.DisposeAsync();
        workItems.RunAll();

        Assert.True(drain.IsCompletedSuccessfully);
        Assert.Equal(2, batcher.BatchesCreated);
        Assert.Equal(2, batcher.BatchesPooled);
    }

    [Fact]
    public void ACancellationThatLosesTheRaceToItsBatchLeavesTheCallerItsResult()
    {
        using var workItems = new QueuedWorkItems();
        using var cancel = new CancellationTokenSource();
        var batcher = new MicroBatcher<int, int>(
            Echo,
            new MicroBatchOptions { MaxBatchSize = 1 },
            new FakeTimeProvider());
        Task<int> call = batcher.ProcessAsync(7, cancel.Token).AsTask();

        // The batch runs, and its caller reads the result, between the cancellation reading the slot and marking it.
        bool batchRan = false;
        workItems.OnceAt("a cancellation is about to mark its slot", () =>
        {
            batchRan = true;
            workItems.RunAll();
        });
        cancel.Cancel();
        workItems.StopActing();
        workItems.RunAll();

        Assert.True(batchRan);
        Assert.Equal(7, QueuedWorkItems.ResultOf(call));
        MicroBatcherStatistics statistics = batcher.GetStatistics();
        Assert.Equal((1L, 0L), (statistics.ItemsSucceeded, statistics.ItemsCancelled));
    }

    [Fact]
    public void ASuccessorOpenedByACallerThatLosesTheRaceToLinkItGoesBackToThePool()
    {
        using var workItems = new QueuedWorkItems();
        var batcher = new MicroBatcher<int, int>(
            Echo,
            new MicroBatchOptions { MaxBatchSize = 1, MaxWaitTime = TimeSpan.FromHours(1) },
            new FakeTimeProvider());

        // The first caller fills its batch and opens a successor; before it links it, a second caller finds the batch
        // sealed and links its own.
        Task<int>? second = null;
        workItems.OnceAt("a successor batch is about to be linked", () => second = batcher.ProcessAsync(2).AsTask());
        Task<int> first = batcher.ProcessAsync(1).AsTask();
        workItems.StopActing();
        workItems.RunAll();

        Assert.Equal(1, QueuedWorkItems.ResultOf(first));
        Assert.Equal(2, QueuedWorkItems.ResultOf(second!));
        ValueTask drain = batcher.DisposeAsync();
        workItems.RunAll();
        Assert.True(drain.IsCompletedSuccessfully);
        Assert.Equal(4, batcher.BatchesCreated);
        Assert.Equal(4, batcher.BatchesPooled);
    }

    [Fact]
    public void ACallerArmingForALaterDeadlineNeverPostponesAnEarlierOneArmedMeanwhile()
    {
        using var workItems = new QueuedWorkItems();
        TimerRace race = RaceToInstallTheTimer(workItems, skew: TimeSpan.Zero);
        workItems.RunAll();

        Assert.Equal(1, QueuedWorkItems.ResultOf(race.First));
        Assert.Equal(2, QueuedWorkItems.ResultOf(race.Second));
        Assert.False(race.Third.IsCompleted);
        Assert.Equal((2, 1), (race.Clock.TimersCreated, race.Clock.TimersDisposed));

        race.Clock.Fake.Advance(TimeSpan.FromMilliseconds(5));
        workItems.RunAll();
        Assert.Equal(3, QueuedWorkItems.ResultOf(race.Third));
    }

    [Fact]
    public void AnEarlierDeadlineArmedMeanwhileThatHasAlreadyPassedFiresAtOnce()
    {
        using var workItems = new QueuedWorkItems();

        // By the time the first caller re-arms for the 5 ms deadline, 7 ms have passed on the batcher's clock.
        TimerRace race = RaceToInstallTheTimer(workItems, skew: TimeSpan.FromMilliseconds(7));
        race.Clock.Fake.Advance(TimeSpan.Zero);
        workItems.RunAll();

        Assert.Equal(1, QueuedWorkItems.ResultOf(race.First));
        Assert.Equal(2, QueuedWorkItems.ResultOf(race.Second));
        Assert.Equal(3, QueuedWorkItems.ResultOf(race.Third));
    }

    [Fact]
    public void AUnitGivenToAWaiterThatCancelsAtThatMomentGoesToTheNextWaiter()
    {
        using var workItems = new QueuedWorkItems();
        var gate = new CapacityGate(1);
        Assert.True(gate.TryAcquire());
        using var cancel = new CancellationTokenSource();
        Task first = gate.WaitAsync(cancel.Token);
        Task second = gate.WaitAsync(CancellationToken.None);

        // The first waiter is checked and found waiting, then cancels before the grant reaches it.
        workItems.OnceAt("a waiter is about to be given a unit", () => cancel.Cancel());
        gate.Release(1);

        Assert.True(first.IsCanceled);
        Assert.True(second.IsCompletedSuccessfully, "The unit meant for the waiter that cancelled was lost.");
        Assert.False(gate.TryAcquire());
    }

    private static ValueTask<IReadOnlyList<int>> Echo(IReadOnlyList<int> items, CancellationToken _) =>
        ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());

    // The first caller arms for 10 ms. Before it installs the timer, the wait shrinks to 5 ms, a second caller fills its
    // batch, a third opens the next batch and arms, and installs, the timer for 5 ms, and the batcher's clock moves on
    // by skew without firing the fake clock's timers.
    private static TimerRace RaceToInstallTheTimer(QueuedWorkItems workItems, TimeSpan skew)
    {
        static MicroBatchOptions Waiting(int milliseconds) => new()
        {
            MaxBatchSize = 2,
            MaxWaitTime = TimeSpan.FromMilliseconds(milliseconds),
            DispatchMode = BatchDispatchMode.Timed,
        };

        var clock = new CountingTimeProvider();
        var batcher = new MicroBatcher<int, int>(Echo, Waiting(10), clock);
        Task<int>? second = null, third = null;
        workItems.OnceAt("a timer is about to be installed", () =>
        {
            batcher.Reconfigure(Waiting(5));
            second = batcher.ProcessAsync(2).AsTask();
            third = batcher.ProcessAsync(3).AsTask();
            clock.Skew = skew;
        });
        Task<int> first = batcher.ProcessAsync(1).AsTask();
        workItems.StopActing();
        return new TimerRace(clock, first, second!, third!);
    }

    private sealed record TimerRace(CountingTimeProvider Clock, Task<int> First, Task<int> Second, Task<int> Third);
}
#endif
