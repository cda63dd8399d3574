#if DEBUG
using MicroBatching.Internal;
using Microsoft.Extensions.Time.Testing;

namespace MicroBatching.Tests.Support;

/// <summary>
/// Runs one batcher through one seeded schedule on a single thread: submits, cancellations, timer advances, work items
/// run in a chosen order, batch functions completed in a chosen order with a chosen outcome, result reads, and a
/// dispose. At the batcher's scheduling points it may also run another caller's step, so interleavings inside the
/// lock-free code are explored too. Returns the first broken invariant, or null.
/// </summary>
/// <remarks>
/// The batcher's work items come here instead of the thread pool (<see cref="WorkItems"/>), its clock is a
/// <see cref="FakeTimeProvider"/>, and every step runs on the calling thread: a seed replays the same schedule.
/// </remarks>
internal sealed class ScheduleExplorer
{
    private const int MaxCalls = 8;

    private readonly Random _random;
    private readonly FakeTimeProvider _time = new();
    private readonly List<IThreadPoolWorkItem> _workItems = [];
    private readonly List<Call> _calls = [];
    private readonly List<FunctionCall> _running = [];
    private readonly HashSet<int> _delivered = [];
    private readonly List<string> _trace = [];
    private readonly MicroBatchOptions _options;
    private MicroBatcher<int, int> _batcher = null!;
    private ValueTask? _drain;
    private int _step;

    // The step at which the batch run now in progress started: a call cancelled before it must not be in that batch.
    private int _batchRunStartedAt = -1;
    private string? _failure;

    public ScheduleExplorer(int seed)
    {
        _random = new Random(seed);
        _options = new MicroBatchOptions
        {
            MaxBatchSize = _random.Next(1, 5),
            MaxWaitTime = TimeSpan.FromMilliseconds(_random.Next(0, 3)),
            MaxConcurrentBatches = _random.Next(1, 3),
            QueueCapacity = _random.Next(3) == 0 ? _random.Next(2, 5) : 0,
            QueueFullMode = QueueFullMode.Reject,
            DispatchMode = _random.Next(2) == 0 ? BatchDispatchMode.Timed : BatchDispatchMode.Adaptive,
        };
    }

    /// <summary>The steps taken, in order, for a failure's report.</summary>
    public IReadOnlyList<string> Trace => _trace;

    public string? Run()
    {
        // A test framework's synchronization context would send task continuations to other threads.
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        WorkItems.Explorer = _workItems.Add;
        SchedulingPoint.Hook = AtSchedulingPoint;
        try
        {
            _batcher = new MicroBatcher<int, int>(BatchFunction, _options, _time);
            for (int steps = _random.Next(5, 40); steps > 0 && _failure is null; steps--)
            {
                Step();
            }

            Drain();
            return _failure ?? CheckOutcomes();
        }
        catch (Exception exception)
        {
            return $"{exception.GetType().Name} at step {_step}: {exception}";
        }
        finally
        {
            WorkItems.Explorer = null;
            SchedulingPoint.Hook = null;
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public override string ToString() =>
        $"MaxBatchSize {_options.MaxBatchSize}, MaxWaitTime {_options.MaxWaitTime.TotalMilliseconds} ms, MaxConcurrentBatches {_options.MaxConcurrentBatches}, " +
        $"QueueCapacity {_options.QueueCapacity}, {_options.DispatchMode}";

    private void Step()
    {
        _step++;
        switch (_random.Next(7))
        {
            case 0 or 1 when _calls.Count < MaxCalls && _drain is null:
                Submit();
                break;
            case 2:
                CancelOne();
                break;
            case 3:
                RunWorkItem(any: true);
                break;
            case 4:
                CompleteFunction();
                break;
            case 5:
                int milliseconds = _random.Next(0, 3);
                _trace.Add($"advance {milliseconds} ms");
                _time.Advance(TimeSpan.FromMilliseconds(milliseconds));
                break;
            case 6 when _random.Next(8) == 0 && _drain is null:
                _trace.Add("dispose");
                _drain = _batcher.DisposeAsync();
                break;
            default:
                ObserveCompleted();
                break;
        }
    }

    // Another caller's step, inside the batcher's own: cancel, let a cancelled caller resume, read results.
    private void AtSchedulingPoint(string where)
    {
        int actions = _random.Next(0, 5);
        if (actions > 0)
        {
            _trace.Add($"[{where}]");
        }

        for (; actions > 0; actions--)
        {
            switch (_random.Next(3))
            {
                case 0:
                    CancelOne();
                    break;
                case 1:
                    RunWorkItem(any: false);
                    break;
                default:
                    ObserveCompleted();
                    break;
            }
        }
    }

    private void Submit()
    {
        int item = _calls.Count + 1;
        CancellationTokenSource? cancellation = _random.Next(3) == 0 ? new CancellationTokenSource() : null;
        _trace.Add($"submit {item}{(cancellation is null ? "" : " (cancellable)")}");
        _calls.Add(new Call(item, _batcher.ProcessAsync(item, cancellation?.Token ?? default), cancellation));
    }

    private void CancelOne()
    {
        Call[] cancellable = [.. _calls.Where(c => c.Cancellation is { IsCancellationRequested: false })];
        if (cancellable.Length > 0)
        {
            Call call = cancellable[_random.Next(cancellable.Length)];
            call.CancelledAtStep = _step;
            _trace.Add($"cancel {call.Item}");
            call.Cancellation!.Cancel();
        }
    }

    // Nested inside a batch's run only a caller's own work item (its resumption) may run, as another thread would.
    private bool RunWorkItem(bool any)
    {
        int[] candidates = [.. Enumerable.Range(0, _workItems.Count).Where(i => any || _workItems[i] is not Batch<int, int>)];
        if (candidates.Length == 0)
        {
            return false;
        }

        int index = candidates[_random.Next(candidates.Length)];
        IThreadPoolWorkItem workItem = _workItems[index];
        _workItems.RemoveAt(index);
        if (workItem is Batch<int, int>)
        {
            _batchRunStartedAt = _step;
        }

        _trace.Add($"run {workItem.GetType().Name.Split('`')[0]}{(any ? "" : " (at a scheduling point)")}");
        workItem.Execute();
        return true;
    }

    private bool CompleteFunction()
    {
        if (_running.Count == 0)
        {
            return false;
        }

        FunctionCall call = _running[_random.Next(_running.Count)];
        _running.Remove(call);
        int outcome = _random.Next(6);
        _trace.Add($"complete the batch [{string.Join(", ", call.Items)}] {(outcome == 0 ? "with a failure" : outcome == 1 ? "one result short" : "")}");
        switch (outcome)
        {
            case 0:
                call.Completion.SetException(new InjectedFailure());
                break;
            case 1:
                call.Completion.SetResult([.. call.Items.Skip(1).Select(Expected)]);
                break;
            default:
                call.Completion.SetResult([.. call.Items.Select(Expected)]);
                break;
        }

        return true;
    }

    private void ObserveCompleted()
    {
        foreach (Call call in _calls.Where(c => !c.Observed && c.Task.IsCompleted))
        {
            _trace.Add($"read {call.Item}");
            call.Observe();
        }
    }

    private ValueTask<IReadOnlyList<int>> BatchFunction(IReadOnlyList<int> items, CancellationToken cancellationToken)
    {
        if (items.Count > _options.MaxBatchSize)
        {
            Fail($"a batch of {items.Count} items exceeds MaxBatchSize {_options.MaxBatchSize}");
        }

        if (_running.Count >= _options.MaxConcurrentBatches)
        {
            Fail($"a batch started while {_running.Count} were running (MaxConcurrentBatches {_options.MaxConcurrentBatches})");
        }

        foreach (int item in items)
        {
            if (item < 1 || item > _calls.Count)
            {
                Fail($"the batch function received {item}, which no caller submitted");
            }
            else if (!_delivered.Add(item))
            {
                Fail($"item {item} reached the batch function twice");
            }
            else if (_calls[item - 1].CancelledAtStep is int cancelled && cancelled < _batchRunStartedAt)
            {
                Fail($"item {item}, cancelled at step {cancelled} while queued, reached the batch function at step {_step}");
            }
        }

        var completion = new TaskCompletionSource<IReadOnlyList<int>>();
        _running.Add(new FunctionCall([.. items], completion));
        return new ValueTask<IReadOnlyList<int>>(completion.Task);
    }

    private void Drain()
    {
        _drain ??= _batcher.DisposeAsync();
        for (int round = 0; round < 10_000 && _failure is null; round++)
        {
            bool progressed = RunWorkItem(any: true) || CompleteFunction();
            if (!progressed)
            {
                _time.Advance(TimeSpan.FromMilliseconds(1));
                ObserveCompleted();
                if (_workItems.Count == 0 && _running.Count == 0 && _drain.Value.IsCompleted)
                {
                    return;
                }
            }
        }

        Fail("the batcher did not drain: " + _batcher);
    }

    private string? CheckOutcomes()
    {
        foreach (Call call in _calls)
        {
            // A ValueTask may not be asked anything once its result was read.
            if (!call.Observed && !call.Task.IsCompleted)
            {
                return $"call {call.Item} never completed";
            }

            if (!call.Observed)
            {
                call.Observe();
            }

            switch (call.Outcome)
            {
                case int result when result != Expected(call.Item):
                    return $"call {call.Item} received {result}, not its own result {Expected(call.Item)}";
                case OperationCanceledException when call.CancelledAtStep is null:
                    return $"call {call.Item} was cancelled, but its caller never cancelled";
                case Exception exception when exception is not (InjectedFailure or BatchResultCountMismatchException or OperationCanceledException
                                                               or BatchQueueFullException or ObjectDisposedException):
                    return $"call {call.Item} failed with {exception}";
            }
        }

        MicroBatcherStatistics statistics = _batcher.GetStatistics();
        if (statistics.PendingItems != 0 || statistics.ItemsInFlight != 0)
        {
            return $"after the drain {statistics.PendingItems} items are pending and {statistics.ItemsInFlight} in flight";
        }

        long counted = statistics.ItemsSucceeded + statistics.ItemsFailed + statistics.ItemsCancelled + statistics.ItemsRejected + statistics.ItemsRefused;
        return counted == _calls.Count ? null : $"{_calls.Count} calls made, but the statistics count {counted}: {statistics}";
    }

    private void Fail(string message) => _failure ??= $"{message} (step {_step})";

    private static int Expected(int item) => item * 10;

    private sealed class InjectedFailure() : Exception("Injected batch failure.");

    private sealed record FunctionCall(int[] Items, TaskCompletionSource<IReadOnlyList<int>> Completion);

    private sealed class Call(int item, ValueTask<int> task, CancellationTokenSource? cancellation)
    {
        public int Item { get; } = item;

        public ValueTask<int> Task { get; } = task;

        public CancellationTokenSource? Cancellation { get; } = cancellation;

        public int? CancelledAtStep { get; set; }

        public bool Observed { get; private set; }

        public object? Outcome { get; private set; }

        public void Observe()
        {
            Observed = true;
            try
            {
                Outcome = Task.GetAwaiter().GetResult();
            }
            catch (Exception exception)
            {
                Outcome = exception;
            }
        }
    }
}
#endif
