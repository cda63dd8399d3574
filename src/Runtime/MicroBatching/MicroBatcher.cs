using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MicroBatching.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MicroBatching;

/// <summary>
/// Turns many concurrent single-item calls into few calls of a list-to-list batch function, and routes each result back
/// to its own caller.
/// </summary>
/// <remarks>
/// <para>
/// A batch is dispatched as soon as it holds <see cref="MicroBatchOptions.MaxBatchSize"/> items, or
/// <see cref="MicroBatchOptions.MaxWaitTime"/> after its first item arrived, whichever comes first. At most
/// <see cref="MicroBatchOptions.MaxConcurrentBatches"/> calls of the batch function run at once; items arriving meanwhile
/// keep accumulating, so batches grow under load.
/// </para>
/// <para>
/// Submitting an item takes no lock and, at steady state, allocates nothing: each caller's <see cref="ValueTask{TResult}"/>
/// is backed by a slot its batch owns and reuses. Callers' continuations run asynchronously, so a slow caller never stalls
/// the batcher. The batch function runs on the thread pool, never on the submitting thread.
/// </para>
/// <para>
/// The list passed to the batch function is only valid until the function's task completes; copy it to keep it longer.
/// The function must return exactly one result per item, in item order.
/// </para>
/// </remarks>
/// <typeparam name="TItem">The type of one input item.</typeparam>
/// <typeparam name="TResult">The type of one result.</typeparam>
[DebuggerDisplay("{ToString(),nq}")]
public sealed partial class MicroBatcher<TItem, TResult> : IMicroBatcher, IDrainable
{
    private static readonly TimerCallback s_onTimer = static state => ((MicroBatcher<TItem, TResult>)state!).OnTimer();

    private readonly CapacityGate? _capacity;
    private readonly QueueFullMode _queueFullMode;
    private readonly int _queueCapacity;

    // What measures an item for a cost bound; null when the options gave none. Fixed at construction.
    private readonly Func<TItem, int>? _itemCost;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<Batch<TItem, TResult>> _pool = new();
    private readonly BatchNode<TItem, TResult> _terminal;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The rules for batches opened from now on; replaced whole by Reconfigure. Each node keeps the one it opened under.
    private BatchingSettings _settings;

    // Created when a batch first has to wait for it, since reconfiguration can make a batcher start or stop waiting.
    private ITimer? _timer;

    // The batch accepting items; the tail of the chain that starts at _head.
    private BatchNode<TItem, TResult> _open;

    // The oldest batch not yet dispatched. Only the pump reads or writes it.
    private BatchNode<TItem, TResult> _head;

    // Calls of the batch function running: only the pump raises it, and only below the current MaxConcurrentBatches;
    // after a reconfiguration lowers that bound it may exceed it until enough running batches finish. Always ≥ 0.
    private int _runningBatches;

    // Pump requests not yet handled; the thread that raises it from 0 pumps until it is back to 0.
    private int _pumpRequests;
    private int _disposeState;

    /// <summary>Creates a batcher over <paramref name="batchFunction"/>.</summary>
    /// <param name="batchFunction">
    /// Computes one result per item, in item order. Its token is cancelled only when every caller of the batch has cancelled.
    /// </param>
    /// <param name="options">How to batch; the defaults when <see langword="null"/>. The values are copied.</param>
    /// <param name="timeProvider">
    /// The clock and timers; when <see langword="null"/>, the system clock with a high-resolution timer thread, so that
    /// batches are dispatched within about 0.1 ms of their deadline. Tests pass a <c>FakeTimeProvider</c>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="batchFunction"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    [OverloadResolutionPriority(1)]
    public MicroBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<TResult>>> batchFunction,
        MicroBatchOptions? options = null,
        TimeProvider? timeProvider = null)
        : this(batchFunction, options, timeProvider, logger: null)
    {
    }

    /// <summary>Creates a batcher over a <see cref="Task{TResult}"/>-returning <paramref name="batchFunction"/>, as most APIs are.</summary>
    /// <inheritdoc cref="MicroBatcher{TItem, TResult}(Func{IReadOnlyList{TItem}, CancellationToken, ValueTask{IReadOnlyList{TResult}}}, MicroBatchOptions?, TimeProvider?)"/>
    public MicroBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> batchFunction,
        MicroBatchOptions? options = null,
        TimeProvider? timeProvider = null)
        : this(batchFunction, options, timeProvider, logger: null)
    {
    }

    /// <summary>Creates a batcher over a <see cref="Task{TResult}"/>-returning function that reports failures no caller can receive to <paramref name="logger"/>.</summary>
    /// <inheritdoc cref="MicroBatcher{TItem, TResult}(Func{IReadOnlyList{TItem}, CancellationToken, ValueTask{IReadOnlyList{TResult}}}, MicroBatchOptions?, TimeProvider?, ILogger?)"/>
    public MicroBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> batchFunction,
        MicroBatchOptions? options,
        TimeProvider? timeProvider,
        ILogger? logger)
        : this(AsValueTaskFunction(batchFunction), options, timeProvider, logger)
    {
    }

    /// <summary>Creates a batcher that reports failures no caller can receive to <paramref name="logger"/>.</summary>
    /// <inheritdoc cref="MicroBatcher{TItem, TResult}(Func{IReadOnlyList{TItem}, CancellationToken, ValueTask{IReadOnlyList{TResult}}}, MicroBatchOptions?, TimeProvider?)"/>
    /// <param name="batchFunction">Computes one result per item, in item order.</param>
    /// <param name="options">How to batch; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock and timers; a high-resolution system clock when <see langword="null"/>.</param>
    /// <param name="logger">
    /// Receives what no caller can: a batch that failed after all its callers had cancelled, or a callback on a batch's
    /// token that threw.
    /// </param>
    [OverloadResolutionPriority(1)]
    public MicroBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<TResult>>> batchFunction,
        MicroBatchOptions? options,
        TimeProvider? timeProvider,
        ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(batchFunction);
        options = options?.Clone() ?? new MicroBatchOptions();
        options.Validate(nameof(options));

        BatchFunction = batchFunction;
        Name = options.Name;
        TimeProvider = timeProvider ?? PreciseTimeProvider.Instance;
        TelemetryTags = MicroBatchingTelemetry.BatcherTag(options.Name);
        _logger = logger ?? NullLogger.Instance;

        _queueCapacity = options.QueueCapacity;
        _queueFullMode = options.QueueFullMode;
        _capacity = _queueCapacity > 0 ? new CapacityGate(_queueCapacity) : null;
        _itemCost = ItemCostFunction(options);
        _settings = new BatchingSettings(options, measuresItems: _itemCost is not null);
        _terminal = BatchNode<TItem, TResult>.CreateTerminal(_settings);
        _open = _head = new BatchNode<TItem, TResult>(RentBatch(_settings), _settings);
        MicroBatchingTelemetry.Track(this);
    }

    private static Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<TResult>>> AsValueTaskFunction(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> batchFunction)
    {
        ArgumentNullException.ThrowIfNull(batchFunction);
        return (items, cancellationToken) => new ValueTask<IReadOnlyList<TResult>>(batchFunction(items, cancellationToken));
    }

    private static Func<TItem, int>? ItemCostFunction(MicroBatchOptions options) => options.ItemCost switch
    {
        null => null,
        Func<TItem, int> itemCost => itemCost,
        Delegate other => throw new ArgumentException(
            $"ItemCost must be a Func<{typeof(TItem).Name}, int> for the items of micro-batcher " +
            $"'{options.Name ?? typeof(MicroBatcher<TItem, TResult>).Name}', but was a {other.GetType().Name}.", nameof(options)),
    };

    /// <summary>The batcher's <see cref="MicroBatchOptions.Name"/>.</summary>
    public string? Name { get; }

    internal Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<TResult>>> BatchFunction { get; }

    internal TimeProvider TimeProvider { get; }

    /// <inheritdoc/>
    Task IDrainable.Drained => _drained.Task;

    internal KeyValuePair<string, object?> TelemetryTags { get; }

    /// <summary>
    /// Adds <paramref name="item"/> to the open batch and returns a task for its result. The task faults with the batch
    /// function's exception if the batch fails, and is cancelled if <paramref name="cancellationToken"/> fires first.
    /// </summary>
    /// <remarks>
    /// Await the returned <see cref="ValueTask{TResult}"/> exactly once (or call <see cref="ValueTask{TResult}.AsTask"/>):
    /// its completion is reused after its result has been read.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">Disposal has begun (reported through the task).</exception>
    /// <exception cref="BatchQueueFullException">The queue is full in <see cref="QueueFullMode.Reject"/> mode (reported through the task).</exception>
    public ValueTask<TResult> ProcessAsync(TItem item, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            CountCancelledBeforeAccepted();
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        if (Volatile.Read(ref _disposeState) != 0)
        {
            CountRefused();
            return ValueTask.FromException<TResult>(ThrowHelper.Disposed(Name));
        }

        int cost = 0;
        if (_itemCost is not null && Volatile.Read(ref _settings).MaxBatchCost > 0 && !TryMeasure(item, out cost, out Exception? costFailure))
        {
            _counters.OnItemFailedBeforeAccepted();
            MicroBatchingTelemetry.RecordFailed(TelemetryTags);
            return ValueTask.FromException<TResult>(costFailure);
        }

        if (_capacity is not null && !_capacity.TryAcquire())
        {
            if (_queueFullMode == QueueFullMode.Reject)
            {
                _counters.OnItemRejected();
                MicroBatchingTelemetry.RecordRejected(TelemetryTags);
                return ValueTask.FromException<TResult>(new BatchQueueFullException(Name, _queueCapacity));
            }

            return SubmitWhenRoomAsync(item, cost, cancellationToken);
        }

        return Submit(item, cost, cancellationToken);
    }

    // A cost function that throws, or measures a negative cost, fails only the call it measured.
    private bool TryMeasure(TItem item, out int cost, [NotNullWhen(false)] out Exception? failure)
    {
        try
        {
            cost = _itemCost!(item);
        }
        catch (Exception exception)
        {
            cost = 0;
            failure = exception;
            return false;
        }

        failure = cost < 0 ? ThrowHelper.NegativeItemCost(Name, cost) : null;
        return failure is null;
    }

    /// <summary>
    /// Submits every item at once, so they batch with each other and with everyone else's, and returns the results in input order.
    /// </summary>
    /// <remarks>
    /// Every item is awaited even if some fail. The task then faults with the first failure in input order, or is
    /// cancelled if no item failed but some were cancelled.
    /// </remarks>
    public async Task<IReadOnlyList<TResult>> ProcessManyAsync(IEnumerable<TItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var pending = new List<ValueTask<TResult>>(items.TryGetNonEnumeratedCount(out int count) ? count : 16);
        ExceptionDispatchInfo? failure = null;
        try
        {
            foreach (TItem item in items)
            {
                pending.Add(ProcessAsync(item, cancellationToken));
            }
        }
        catch (Exception exception)
        {
            // The items already submitted are still awaited below, so none is left pending unobserved.
            failure = ExceptionDispatchInfo.Capture(exception);
        }

        var results = new TResult[pending.Count];
        OperationCanceledException? cancellation = null;
        for (int i = 0; i < pending.Count; i++)
        {
            try
            {
                results[i] = await pending[i].ConfigureAwait(false);
            }
            catch (OperationCanceledException exception)
            {
                cancellation ??= exception;
            }
            catch (Exception exception)
            {
                failure ??= ExceptionDispatchInfo.Capture(exception);
            }
        }

        failure?.Throw();
        if (cancellation is not null)
        {
            ExceptionDispatchInfo.Throw(cancellation);
        }

        return results;
    }

    private async ValueTask<TResult> SubmitWhenRoomAsync(TItem item, int cost, CancellationToken cancellationToken)
    {
        try
        {
            await _capacity!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            CountCancelledBeforeAccepted();
            throw;
        }
        catch (ObjectDisposedException)
        {
            CountRefused();
            throw;
        }

        return await Submit(item, cost, cancellationToken).ConfigureAwait(false);
    }

    private void CountCancelledBeforeAccepted()
    {
        _counters.OnCancelledBeforeAccepted();
        MicroBatchingTelemetry.RecordCancelled(TelemetryTags);
    }

    private void CountRefused()
    {
        _counters.OnItemRefused();
        MicroBatchingTelemetry.RecordRefused(TelemetryTags);
    }

    /// <summary>
    /// Tells a result that stands for a failure of its caller (a keyed miss), so that the caller is counted as failed in
    /// statistics and metrics. Set once, before the first call.
    /// </summary>
    internal Func<TResult, bool>? IsFailedResult { get; set; }

    // The caller holds a capacity unit when the queue is bounded. With a cost bound, the item's cost is reserved in a
    // batch before a place is claimed in it; a batch that cannot take the cost is sealed, and the item goes to the next.
    private ValueTask<TResult> Submit(TItem item, int cost, CancellationToken cancellationToken)
    {
        while (true)
        {
            BatchNode<TItem, TResult> node = Volatile.Read(ref _open);
            BatchingSettings settings = node.Settings;
            if (settings.MaxBatchCost > 0 && !node.TryReserveCost(cost, settings.MaxBatchCost))
            {
                SealForCost(node);
                continue;
            }

            int index = node.TryClaim(settings.MaxBatchSize);
            if (index < 0)
            {
                if (node.IsTerminal)
                {
                    _capacity?.Release(1);
                    CountRefused();
                    return ValueTask.FromException<TResult>(ThrowHelper.Disposed(Name));
                }

                AdvanceOpen(node);
                continue;
            }

            if (index == 0)
            {
                node.SetFirstItemTimestamp(TimeProvider.GetTimestamp());
            }

            bool filled = index == settings.MaxBatchSize - 1;
            if (filled)
            {
                // Open the next batch before writing the item, so other callers move on at once.
                OnSealed(settings.MaxBatchSize);
                AdvanceOpen(node);
            }
            else if (settings.MaxBatchCost > 0 && node.ReservedCost >= settings.MaxBatchCost)
            {
                // Full by cost: nothing more fits (an item costing nothing aside), so it leaves at once.
                node.MarkFullByCost();
                if (node.TrySeal(out int claimedCount))
                {
                    OnSealed(claimedCount);
                    AdvanceOpen(node);
                    filled = true;
                }
            }

            SchedulingPoint.Here("a place was claimed");
            BatchSlot<TItem, TResult> slot = node.Batch!.GetSlot(index);
            slot.Enqueue(item, cancellationToken);
            if (MicroBatchingTelemetry.ActivitySource.HasListeners() && Activity.Current is { } caller)
            {
                node.Batch.SetCallerContext(index, caller.Context);
            }

            var result = new ValueTask<TResult>(slot, slot.Version);
            if (node.Publish())
            {
                RequestPump();
            }
            else if (index == 0 && !filled)
            {
                OnFirstItem(node);
            }

            return result;
        }
    }

    /// <summary>
    /// Stops accepting items, dispatches everything already accepted (in full batches, without waiting for timers), waits
    /// for every batch to finish, then returns. Calls made after disposal began fault with <see cref="ObjectDisposedException"/>,
    /// and so do callers still waiting for queue room. Calling it again returns the same drain.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeState, 1) == 0)
        {
            _capacity?.Close(ThrowHelper.Disposed(Name));
            SealForDrain();
            RequestPump();
        }

        return new ValueTask(_drained.Task);
    }

    /// <summary>A snapshot of the batcher's counters. Cheap enough to poll.</summary>
    public MicroBatcherStatistics GetStatistics()
    {
        long openCount = 0;
        long openState = Volatile.Read(ref _open).State;
        if (!BatchNode<TItem, TResult>.IsSealed(openState))
        {
            openCount = BatchNode<TItem, TResult>.ClaimedCount(openState);
        }

        return _counters.Snapshot(openCount, Volatile.Read(ref _runningBatches));
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        MicroBatcherStatistics statistics = GetStatistics();
        return $"MicroBatcher{(Name is null ? "" : $" '{Name}'")}: {statistics.PendingItems} pending, " +
               $"{statistics.BatchesInFlight} in flight, {statistics.BatchesDispatched} dispatched";
    }
}
