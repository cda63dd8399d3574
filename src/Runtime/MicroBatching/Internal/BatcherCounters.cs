namespace MicroBatching.Internal;

/// <summary>
/// The counters behind <see cref="MicroBatcherStatistics"/>, each updated atomically by whoever sees the event. A field
/// of its batcher, never copied: every method works on the field itself.
/// </summary>
/// <remarks>Invariant: dispatched + cancelled-while-queued ≤ sealed + the open batch's claimed places.</remarks>
internal struct BatcherCounters
{
    private long _sealedItems;
    private long _dispatchedItems;
    private long _dispatchedBatches;
    private long _succeededBatches;
    private long _failedBatches;
    private long _succeededItems;
    private long _failedItems;
    private long _cancelledQueuedItems;
    private long _cancelledRunningItems;
    private long _rejectedItems;
    private long _refusedItems;
    private long _cancelledBeforeAcceptedItems;
    private long _batchedItems;

    public void OnSealed(int items) => Interlocked.Add(ref _sealedItems, items);

    public void OnBatchDispatched() => Interlocked.Increment(ref _dispatchedBatches);

    public void OnItemsDispatched(int items) => Interlocked.Add(ref _dispatchedItems, items);

    public void OnQueuedItemCancelled() => Interlocked.Increment(ref _cancelledQueuedItems);

    public void OnRunningItemCancelled() => Interlocked.Increment(ref _cancelledRunningItems);

    public void OnItemRejected() => Interlocked.Increment(ref _rejectedItems);

    public void OnItemRefused() => Interlocked.Increment(ref _refusedItems);

    /// <summary>A call that failed before it was queued: its item could not be measured for the cost bound.</summary>
    public void OnItemFailedBeforeAccepted() => Interlocked.Increment(ref _failedItems);

    /// <summary>A call whose token had fired before it was queued, or while it waited for queue room.</summary>
    public void OnCancelledBeforeAccepted() => Interlocked.Increment(ref _cancelledBeforeAcceptedItems);

    /// <summary>
    /// A call of the batch function has finished: <paramref name="batched"/> items were passed to it, of which the callers
    /// of <paramref name="succeeded"/> received a result and those of <paramref name="failed"/> a failure; the others had
    /// cancelled meanwhile and were counted then.
    /// </summary>
    public void OnBatchFinished(bool batchSucceeded, int batched, int succeeded, int failed)
    {
        Interlocked.Increment(ref batchSucceeded ? ref _succeededBatches : ref _failedBatches);
        Interlocked.Add(ref _batchedItems, batched);
        Interlocked.Add(ref _succeededItems, succeeded);
        Interlocked.Add(ref _failedItems, failed);
    }

    /// <summary>Reads the counters one by one; <paramref name="openItems"/> are the claimed places of the open batch.</summary>
    public MicroBatcherStatistics Snapshot(long openItems, int batchesInFlight)
    {
        long pending = Interlocked.Read(ref _sealedItems) + openItems
            - Interlocked.Read(ref _dispatchedItems) - Interlocked.Read(ref _cancelledQueuedItems);
        return new MicroBatcherStatistics
        {
            PendingItems = Math.Max(0, pending),
            ItemsInFlight = Math.Max(0, Interlocked.Read(ref _dispatchedItems) - Interlocked.Read(ref _batchedItems)),
            BatchesInFlight = batchesInFlight,
            BatchesDispatched = Interlocked.Read(ref _dispatchedBatches),
            BatchesSucceeded = Interlocked.Read(ref _succeededBatches),
            BatchesFailed = Interlocked.Read(ref _failedBatches),
            ItemsSucceeded = Interlocked.Read(ref _succeededItems),
            ItemsFailed = Interlocked.Read(ref _failedItems),
            ItemsCancelled = Interlocked.Read(ref _cancelledQueuedItems) + Interlocked.Read(ref _cancelledRunningItems) +
                             Interlocked.Read(ref _cancelledBeforeAcceptedItems),
            ItemsRejected = Interlocked.Read(ref _rejectedItems),
            ItemsRefused = Interlocked.Read(ref _refusedItems),
            ItemsBatched = Interlocked.Read(ref _batchedItems),
        };
    }
}
