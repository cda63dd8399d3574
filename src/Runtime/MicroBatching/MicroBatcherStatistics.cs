namespace MicroBatching;

/// <summary>A snapshot of a <see cref="MicroBatcher{TItem, TResult}"/>'s counters since it was created.</summary>
/// <remarks>Counters are read one by one while the batcher runs, so they may be a few items apart from each other.</remarks>
public readonly record struct MicroBatcherStatistics
{
    /// <summary>Items accepted and not yet handed to the batch function.</summary>
    public long PendingItems { get; init; }

    /// <summary>Items passed to calls of the batch function that are running now.</summary>
    public long ItemsInFlight { get; init; }

    /// <summary>Calls of the batch function running now.</summary>
    public int BatchesInFlight { get; init; }

    /// <summary>Batches handed to the thread pool to run, including those whose callers all cancelled before they started.</summary>
    public long BatchesDispatched { get; init; }

    /// <summary>Calls of the batch function that returned a result for every item.</summary>
    public long BatchesSucceeded { get; init; }

    /// <summary>Calls of the batch function that threw, or returned a result that could not be matched to the items.</summary>
    public long BatchesFailed { get; init; }

    /// <summary>Calls that received a result.</summary>
    public long ItemsSucceeded { get; init; }

    /// <summary>
    /// Calls that received their batch's failure: the batch function threw or returned a result that could not be matched,
    /// or, for a keyed batcher, the look-up returned no value (or an ambiguous one) for the call's key.
    /// </summary>
    public long ItemsFailed { get; init; }

    /// <summary>Calls cancelled by their caller: with a token already cancelled, while queued, or while their batch ran.</summary>
    public long ItemsCancelled { get; init; }

    /// <summary>Calls rejected because the queue was full (<see cref="QueueFullMode.Reject"/>).</summary>
    public long ItemsRejected { get; init; }

    /// <summary>
    /// Calls refused with <see cref="ObjectDisposedException"/> because disposal had begun, including callers still waiting
    /// for queue room. Once no call is in progress, the five Items counters add up to the calls made.
    /// </summary>
    public long ItemsRefused { get; init; }

    /// <summary>Items passed to completed calls of the batch function, callers who cancelled meanwhile included.</summary>
    public long ItemsBatched { get; init; }

    /// <summary>Mean items per completed call of the batch function; 0 before the first.</summary>
    public double AverageBatchSize =>
        BatchesSucceeded + BatchesFailed == 0 ? 0 : (double)ItemsBatched / (BatchesSucceeded + BatchesFailed);
}
