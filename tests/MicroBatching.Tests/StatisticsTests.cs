using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests;

/// <summary>
/// Every call is counted exactly once, by the outcome its caller received, in <see cref="MicroBatcherStatistics"/> and in
/// the <c>microbatching.items</c> outcome tags; once no call is in progress the outcomes add up to the calls made.
/// </summary>
public sealed class StatisticsTests : IDisposable
{
    private readonly string _name = $"statistics-{Guid.NewGuid():N}";
    private readonly MetricCollector<long> _items = new(null, MicroBatchingDiagnostics.MeterName, "microbatching.items");
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _items.Dispose();

    [Fact]
    public async Task Success()
    {
        await using MicroBatcher<int, int> batcher = Batcher(items => items.ToArray(), size: 3);
        await Task.WhenAll(Enumerable.Range(1, 3).Select(i => batcher.ProcessAsync(i).AsTask())).WithTimeout();

        AssertCounted(batcher, succeeded: 3);
    }

    [Fact]
    public async Task BatchFailure()
    {
        await using MicroBatcher<int, int> batcher = Batcher(_ => throw new InvalidOperationException(), size: 2);
        await ExpectAsync<InvalidOperationException>(batcher.ProcessAsync(1), batcher.ProcessAsync(2));

        AssertCounted(batcher, failed: 2);
    }

    [Fact]
    public async Task CountMismatch()
    {
        await using MicroBatcher<int, int> batcher = Batcher(items => items.Skip(1).ToArray(), size: 2);
        await ExpectAsync<BatchResultCountMismatchException>(batcher.ProcessAsync(1), batcher.ProcessAsync(2));

        AssertCounted(batcher, failed: 2);
    }

    [Fact]
    public async Task KeyedMissIsAFailureOfThatCallerOnly()
    {
        await using var batcher = new KeyedMicroBatcher<int, string>(
            (keys, _) => ValueTask.FromResult<IReadOnlyDictionary<int, string>>(keys.Where(k => k != 2).ToDictionary(k => k, k => $"v{k}")),
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1), Name = _name }, _time);
        ValueTask<string>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2), batcher.ProcessAsync(3)];
        Assert.Equal("v1", await calls[0].WithTimeout());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => calls[1].WithTimeout());
        Assert.Equal("v3", await calls[2].WithTimeout());

        AssertCounted(batcher, succeeded: 2, failed: 1);
    }

    [Fact]
    public async Task AnItemCostFunctionThatThrowsIsAFailureOfThatCallerOnly()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions
            {
                MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), Name = _name,
                MaxBatchCost = 10, ItemCost = (int item) => item == 2 ? throw new FormatException() : 1,
            },
            _time);
        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2), batcher.ProcessAsync(3)];
        await Assert.ThrowsAsync<FormatException>(() => calls[1].WithTimeout());
        Assert.Equal(new[] { 1, 3 }, await Task.WhenAll(calls[0].WithTimeout(), calls[2].WithTimeout()));

        AssertCounted(batcher, succeeded: 2, failed: 1);
    }

    [Fact]
    public async Task CancelledWhileQueued()
    {
        using var cancellation = new CancellationTokenSource();
        await using MicroBatcher<int, int> batcher = Batcher(items => items.ToArray(), size: 2);
        ValueTask<int> call = batcher.ProcessAsync(1, cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WithTimeout());

        AssertCounted(batcher, cancelled: 1);
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenCountsAsCancelled()
    {
        await using MicroBatcher<int, int> batcher = Batcher(items => items.ToArray(), size: 2);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batcher.ProcessAsync(1, new CancellationToken(canceled: true)).WithTimeout());

        AssertCounted(batcher, cancelled: 1);
    }

    [Fact]
    public async Task CancelledWhileRunningIsCountedOnceAsCancelled()
    {
        await using RunningBatch running = await RunningBatch.StartAsync(_name, _time);
        running.Release.SetResult(running.Received);
        Assert.Equal(2, await running.Staying.WithTimeout());

        AssertCounted(running.Batcher, succeeded: 1, cancelled: 1);
    }

    [Fact]
    public async Task CancelledWhileRunningInAFailedBatchIsCountedOnceAsCancelled()
    {
        await using RunningBatch running = await RunningBatch.StartAsync(_name, _time);
        running.Release.SetException(new InvalidOperationException());
        await Assert.ThrowsAsync<InvalidOperationException>(() => running.Staying.WithTimeout());

        AssertCounted(running.Batcher, failed: 1, cancelled: 1);
    }

    // A batch of two whose function is held: one caller cancels while it runs, the other stays for the outcome.
    private sealed class RunningBatch : IAsyncDisposable
    {
        private RunningBatch(MicroBatcher<int, int> batcher) => Batcher = batcher;

        public MicroBatcher<int, int> Batcher { get; }

        public TaskCompletionSource<IReadOnlyList<int>> Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int[] Received { get; private set; } = [];

        public ValueTask<int> Staying { get; private set; }

        public static async Task<RunningBatch> StartAsync(string name, TimeProvider time)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            RunningBatch? running = null;
            var batcher = new MicroBatcher<int, int>(
                (items, _) => { running!.Received = [.. items]; started.TrySetResult(); return new ValueTask<IReadOnlyList<int>>(running.Release.Task); },
                new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), Name = name }, time);
            running = new RunningBatch(batcher);
            using var cancellation = new CancellationTokenSource();
            ValueTask<int> leaving = batcher.ProcessAsync(1, cancellation.Token);
            running.Staying = batcher.ProcessAsync(2);
            await started.Task.WithTimeout();
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WithTimeout());
            return running;
        }

        public ValueTask DisposeAsync() => Batcher.DisposeAsync();
    }

    [Fact]
    public async Task Rejected()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), QueueCapacity = 1, QueueFullMode = QueueFullMode.Reject, Name = _name },
            _time);
        ValueTask<int> accepted = batcher.ProcessAsync(1);
        await Assert.ThrowsAsync<BatchQueueFullException>(() => batcher.ProcessAsync(2).WithTimeout());
        await batcher.DisposeAsync();
        Assert.Equal(1, await accepted.WithTimeout());

        AssertCounted(batcher, succeeded: 1, rejected: 1);
    }

    [Fact]
    public async Task RefusedAfterDisposalAndWaitersFailedByIt()
    {
        var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), QueueCapacity = 1, QueueFullMode = QueueFullMode.Wait, Name = _name },
            _time);
        ValueTask<int> accepted = batcher.ProcessAsync(1);
        ValueTask<int> waiting = batcher.ProcessAsync(2);
        await batcher.DisposeAsync();
        Assert.Equal(1, await accepted.WithTimeout());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WithTimeout());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.ProcessAsync(3).WithTimeout());

        AssertCounted(batcher, succeeded: 1, refused: 2);
    }

    [Fact]
    public async Task RandomOutcomesAlwaysAddUpToTheCallsMade()
    {
        var random = new Random(1234);
        const int Calls = 3_000;
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => items[0] % 7 == 0 ? throw new InvalidOperationException() :
                          items[0] % 11 == 0 ? ValueTask.FromResult<IReadOnlyList<int>>(items.Skip(1).ToArray()) :
                          ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 8, MaxWaitTime = TimeSpan.Zero, MaxConcurrentBatches = 2, QueueCapacity = 64, QueueFullMode = QueueFullMode.Reject, Name = _name });
        var tasks = new List<Task>();
        var sources = new List<CancellationTokenSource>();
        for (int i = 0; i < Calls; i++)
        {
            var cancellation = new CancellationTokenSource();
            sources.Add(cancellation);
            tasks.Add(batcher.ProcessAsync(i, cancellation.Token).AsTask());
            if (random.Next(5) == 0)
            {
                cancellation.Cancel();
            }
        }

        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WithTimeout();
        sources.ForEach(s => s.Dispose());
        await batcher.DisposeAsync();

        MicroBatcherStatistics s = batcher.GetStatistics();
        Assert.Equal(Calls, s.ItemsSucceeded + s.ItemsFailed + s.ItemsCancelled + s.ItemsRejected + s.ItemsRefused);
        Assert.Equal(tasks.Count(t => t.IsCompletedSuccessfully), s.ItemsSucceeded);
        Assert.Equal(tasks.Count(t => t.IsCanceled), s.ItemsCancelled);
        Assert.Equal(Calls, Measured().Values.Sum());
    }

    [Fact]
    public async Task CancelledWhileWaitingForQueueRoomIsCountedOnceAndNeverQueued()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1), QueueCapacity = 1, QueueFullMode = QueueFullMode.Wait, Name = _name },
            _time);
        ValueTask<int> accepted = batcher.ProcessAsync(1);
        using var cancellation = new CancellationTokenSource();
        ValueTask<int> waiting = batcher.ProcessAsync(2, cancellation.Token);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WithTimeout());
        await batcher.DisposeAsync();
        Assert.Equal(1, await accepted.WithTimeout());

        AssertCounted(batcher, succeeded: 1, cancelled: 1);
        Assert.Equal(1, batcher.GetStatistics().ItemsBatched);
    }

    [Fact]
    public async Task RefusedWhenDisposalBeginsWhileTheCallIsBeingMeasured()
    {
        MicroBatcher<int, int>? batcher = null;
        batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()),
            new MicroBatchOptions
            {
                MaxBatchSize = 4,
                MaxWaitTime = TimeSpan.FromHours(1),
                MaxBatchCost = 10,
                ItemCost = (int item) =>
                {
                    if (item == 2)
                    {
                        // Disposal begins after this call passed the disposed check and before it is queued.
                        _ = batcher!.DisposeAsync();
                    }

                    return 1;
                },
                Name = _name,
            },
            _time);

        ValueTask<int> accepted = batcher.ProcessAsync(1);
        ValueTask<int> raced = batcher.ProcessAsync(2);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => raced.WithTimeout());
        Assert.Equal(1, await accepted.WithTimeout());
        await batcher.DisposeAsync();
        AssertCounted(batcher, succeeded: 1, refused: 1);
    }

    [Fact]
    public async Task AResultListWhoseIndexerFailsPartWayCountsTheCallersAlreadyServedAsSucceeded()
    {
        await using var batcher = new MicroBatcher<int, int>(
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(new ReadableUpTo(items.Count, readable: 1)),
            new MicroBatchOptions { MaxBatchSize = 3, MaxWaitTime = TimeSpan.FromHours(1), Name = _name },
            _time);

        ValueTask<int>[] calls = [batcher.ProcessAsync(1), batcher.ProcessAsync(2), batcher.ProcessAsync(3)];

        Assert.Equal(0, await calls[0].WithTimeout());
        await ExpectAsync<InvalidOperationException>(calls[1], calls[2]);
        AssertCounted(batcher, succeeded: 1, failed: 2);
        Assert.Equal(1, batcher.GetStatistics().BatchesFailed);
    }

    // A result list with the right count whose indexer throws past its first few entries.
    private sealed class ReadableUpTo(int count, int readable) : IReadOnlyList<int>
    {
        public int Count => count;

        public int this[int index] => index < readable ? index : throw new InvalidOperationException("The result store went away.");

        public IEnumerator<int> GetEnumerator() => Enumerable.Range(0, count).Select(i => this[i]).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private MicroBatcher<int, int> Batcher(Func<IReadOnlyList<int>, int[]> function, int size) => new(
        (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(function(items)),
        new MicroBatchOptions { MaxBatchSize = size, MaxWaitTime = TimeSpan.FromHours(1), Name = _name }, _time);

    private static async Task ExpectAsync<TException>(params ValueTask<int>[] calls)
        where TException : Exception
    {
        foreach (ValueTask<int> call in calls)
        {
            await Assert.ThrowsAsync<TException>(() => call.WithTimeout());
        }
    }

    private Dictionary<string, long> Measured() => _items.GetMeasurementSnapshot()
        .Where(m => Equals(m.Tags["microbatching.batcher.name"], _name))
        .GroupBy(m => (string)m.Tags["microbatching.outcome"]!)
        .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));

    private void AssertCounted(IMicroBatcher batcher, long succeeded = 0, long failed = 0, long cancelled = 0, long rejected = 0, long refused = 0)
    {
        MicroBatcherStatistics statistics = batcher.GetStatistics();
        Assert.Equal((succeeded, failed, cancelled, rejected, refused),
            (statistics.ItemsSucceeded, statistics.ItemsFailed, statistics.ItemsCancelled, statistics.ItemsRejected, statistics.ItemsRefused));
        Dictionary<string, long> measured = Measured();
        Assert.Equal((succeeded, failed, cancelled, rejected, refused),
            (measured.GetValueOrDefault("success"), measured.GetValueOrDefault("failure"), measured.GetValueOrDefault("cancelled"),
             measured.GetValueOrDefault("rejected"), measured.GetValueOrDefault("refused")));
    }
}
