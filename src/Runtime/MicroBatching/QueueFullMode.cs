namespace MicroBatching;

/// <summary>What <see cref="MicroBatcher{TItem, TResult}.ProcessAsync"/> does when <see cref="MicroBatchOptions.QueueCapacity"/> items are already pending.</summary>
public enum QueueFullMode
{
    /// <summary>The caller waits asynchronously, in arrival order, until an item is dispatched and makes room.</summary>
    Wait,

    /// <summary>The call faults at once with <see cref="BatchQueueFullException"/>.</summary>
    Reject,
}
