namespace MicroBatching;

/// <summary>
/// The batcher already holds <see cref="MicroBatchOptions.QueueCapacity"/> pending items and its
/// <see cref="MicroBatchOptions.QueueFullMode"/> is <see cref="QueueFullMode.Reject"/>. The item was not accepted.
/// </summary>
public class BatchQueueFullException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that names the batcher and its capacity.</summary>
    public BatchQueueFullException(string? batcherName, int capacity)
        : base($"{(batcherName is null ? "The micro-batcher" : $"The micro-batcher '{batcherName}'")} already holds its capacity of " +
               $"{capacity} pending item{(capacity == 1 ? "" : "s")}; the item was rejected. Retry later, raise QueueCapacity, " +
               "or use QueueFullMode.Wait to wait for room.")
    {
        BatcherName = batcherName;
        Capacity = capacity;
    }

    /// <summary>Creates the exception with a custom message.</summary>
    public BatchQueueFullException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The name of the batcher (<see cref="MicroBatchOptions.Name"/>), if it has one.</summary>
    public string? BatcherName { get; }

    /// <summary>The batcher's <see cref="MicroBatchOptions.QueueCapacity"/>.</summary>
    public int Capacity { get; }
}
