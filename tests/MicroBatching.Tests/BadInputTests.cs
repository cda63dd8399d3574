using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>
/// Batch functions and clocks that misbehave: each case gets a clear, documented outcome and loses no call. The rules:
/// docs/semantics.md, rule 14.
/// </summary>
public sealed class BadInputTests
{
    private static readonly MicroBatchOptions s_pairs = new() { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) };

    [Fact]
    public async Task NullItemsAndNullResultsPassThroughWhereTheTypesAllowThem()
    {
        await using var batcher = new MicroBatcher<string?, string?>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<string?>>([.. items.Select(item => item?.ToUpperInvariant())]), s_pairs);

        ValueTask<string?> none = batcher.ProcessAsync(null);
        ValueTask<string?> some = batcher.ProcessAsync("a");

        Assert.Null(await none.WithTimeout());
        Assert.Equal("A", await some.WithTimeout());
    }

    [Fact]
    public async Task ANullResultListFaultsEveryCallerOfTheBatchWithACountMismatch()
    {
        await using var batcher = new MicroBatcher<int, int>((_, _) => ValueTask.FromResult<IReadOnlyList<int>>(null!), s_pairs);

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];

        foreach (ValueTask<int> call in calls)
        {
            BatchResultCountMismatchException error = await Assert.ThrowsAsync<BatchResultCountMismatchException>(() => call.WithTimeout());
            Assert.Equal(2, error.ExpectedCount);
            Assert.Contains("null", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ReturningTheItemListItselfGivesEveryCallerItsOwnItem()
    {
        await using var batcher = new MicroBatcher<int, int>((items, _) => ValueTask.FromResult(items), s_pairs);

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];

        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(calls.Select(c => c.WithTimeout())));
    }

    [Fact]
    public async Task ReturningTheItemListAsynchronouslyGivesEveryCallerItsOwnItem()
    {
        await using var batcher = new MicroBatcher<int, int>(async (items, _) => { await Task.Yield(); return items; }, s_pairs);

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];

        Assert.Equal(new[] { 1, 2 }, await Task.WhenAll(calls.Select(c => c.WithTimeout())));
    }

    [Fact]
    public async Task TheItemListCannotBeMutatedAndTryingFailsOnlyThatBatch()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) =>
            {
                if (items[0] == 1)
                {
                    ((IList<int>)items)[0] = 5;
                }

                return ValueTask.FromResult<IReadOnlyList<int>>([.. items]);
            },
            s_pairs);

        ValueTask<int>[] mutating = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];
        ValueTask<int>[] honest = [batcher.ProcessAsync(3), batcher.ProcessAsync(4)];

        foreach (ValueTask<int> call in mutating)
        {
            Exception error = await Assert.ThrowsAnyAsync<Exception>(() => call.WithTimeout());
            Assert.True(error is InvalidCastException or NotSupportedException, error.ToString());
        }

        Assert.Equal(new[] { 3, 4 }, await Task.WhenAll(honest.Select(c => c.WithTimeout())));
    }

    [Fact]
    public async Task AResultListThatReadsTheItemsLazilyAfterTheBatchFaultsItsCallersWithAClearMessage()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(new LazyDoubles(items)), s_pairs);

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];

        // Either the list is read while still valid, or reading it fails with the documented message: never a wrong value.
        foreach ((ValueTask<int> call, int expected) in calls.Zip([2, 4]))
        {
            try
            {
                Assert.Equal(expected, await call.WithTimeout());
            }
            catch (InvalidOperationException error)
            {
                Assert.Contains("only valid until the function's task completes", error.Message);
            }
        }
    }

    [Fact]
    public async Task AnOperationCanceledExceptionThatNoCallerAskedForFaultsTheCallersAsAFailure()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (_, _) => throw new OperationCanceledException("The model server went away."), s_pairs);

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2)];

        foreach (ValueTask<int> call in calls)
        {
            Task<int> task = call.AsTask();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WithTimeout());
        }

        MicroBatcherStatistics statistics = batcher.GetStatistics();
        Assert.Equal((2L, 0L), (statistics.ItemsFailed, statistics.ItemsCancelled));
    }

    [Fact]
    public async Task ABatchFunctionThatSubmitsToItsOwnBatcherWithoutAwaitingItDoesNotDeadlock()
    {
        var inner = new TaskCompletionSource<ValueTask<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        MicroBatcher<int, int>? batcher = null;
        batcher = new MicroBatcher<int, int>(
            (items, _) =>
            {
                if (items[0] == 1)
                {
                    inner.SetResult(batcher!.ProcessAsync(100));
                }

                return ValueTask.FromResult<IReadOnlyList<int>>([.. items.Select(i => i + 1)]);
            },
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.Zero });
        await using (batcher)
        {
            Assert.Equal(2, await batcher.ProcessAsync(1).WithTimeout());
            Assert.Equal(101, await (await inner.Task.WithTimeout()).WithTimeout());
        }
    }

    // A timer that fires half a millisecond before it is due, as coarse timers do. Re-armed for the half millisecond
    // that remains, it would be due at once, and fire again at the same instant for ever.
    [Fact]
    public async Task ATimerThatFiresEarlyNeverDispatchesAPartialBatchBeforeMaxWaitAndNeverSpins()
    {
        var time = new EarlyTimers(early: TimeSpan.FromMilliseconds(0.5));
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromMilliseconds(10) }, time);

        ValueTask<int> call = batcher.ProcessAsync(7);

        // Off the test thread, so that a timer firing in a loop fails the test instead of hanging it.
        await Task.Run(() => time.Advance(TimeSpan.FromMilliseconds(9.9))).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(time.Fired >= 1, "The early timer should have fired.");
        Assert.Empty(function.Calls);

        // Re-armed for at least a millisecond after an early firing, it leaves within a millisecond of its deadline.
        time.Advance(TimeSpan.FromMilliseconds(1.1));
        Assert.Equal(7, await call.WithTimeout());
        Assert.True(time.Fired < 5, $"The timer fired {time.Fired} times for one batch.");
    }

    [Fact]
    public async Task ATimerThatFiresLateDispatchesWhenItFires()
    {
        var time = new FakeTimeProvider();
        var function = new RecordingBatchFunction<int, int>(x => x);
        await using var batcher = new MicroBatcher<int, int>(
            function.Invoke, new MicroBatchOptions { MaxBatchSize = 10, MaxWaitTime = TimeSpan.FromMilliseconds(10) }, new LateTimers(time, TimeSpan.FromMilliseconds(50)));

        ValueTask<int> call = batcher.ProcessAsync(7);
        time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Empty(function.Calls);

        time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Equal(7, await call.WithTimeout());
    }

    // A result list that computes its values from the item list on every read, after the batch function returned.
    private sealed class LazyDoubles(IReadOnlyList<int> items) : IReadOnlyList<int>
    {
        public int Count => items.Count;

        public int this[int index] => items[index] * 2;

        public IEnumerator<int> GetEnumerator() => Enumerable.Range(0, Count).Select(i => this[i]).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // Timers that fire `early` before they are due (and at once when that is already past).
    private sealed class EarlyTimers(TimeSpan early) : TimeProvider
    {
        private readonly FakeTimeProvider _time = new();

        public int Fired;

        public void Advance(TimeSpan by) => _time.Advance(by);

        public override long GetTimestamp() => _time.GetTimestamp();

        public override long TimestampFrequency => _time.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => _time.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ShiftedTimer(_time, state => { Interlocked.Increment(ref Fired); callback(state); }, state, due => due > early ? due - early : TimeSpan.Zero);
            timer.Change(dueTime, period);
            return timer;
        }
    }

    private sealed class LateTimers(FakeTimeProvider time, TimeSpan late) : TimeProvider
    {
        public override long GetTimestamp() => time.GetTimestamp();

        public override long TimestampFrequency => time.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ShiftedTimer(time, callback, state, due => due + late);
            timer.Change(dueTime, period);
            return timer;
        }
    }

    private sealed class ShiftedTimer(TimeProvider time, TimerCallback callback, object? state, Func<TimeSpan, TimeSpan> shift) : ITimer
    {
        private readonly ITimer _inner = time.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                dueTime = shift(dueTime);
            }

            return _inner.Change(dueTime, period);
        }

        public void Dispose() => _inner.Dispose();

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
