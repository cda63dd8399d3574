namespace MicroBatching;

/// <summary>When a batch that is not yet full is handed to the batch function.</summary>
public enum BatchDispatchMode
{
    /// <summary>
    /// A batch is dispatched when it is full, or <see cref="MicroBatchOptions.MaxWaitTime"/> after its first item arrived.
    /// Predictable batch sizes; a lone call waits the whole <see cref="MicroBatchOptions.MaxWaitTime"/>.
    /// </summary>
    Timed,

    /// <summary>
    /// As <see cref="Timed"/>, but when no batch is running the open batch is dispatched at once instead of waiting for
    /// its timer: a call that arrives while the batcher is idle runs without delay, and items arriving while a batch
    /// runs accumulate into the next one, so batches grow with load (as group commit in databases does).
    /// </summary>
    Adaptive,
}
