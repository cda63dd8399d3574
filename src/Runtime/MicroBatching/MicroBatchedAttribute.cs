namespace MicroBatching;

/// <summary>
/// Marks a list-to-list batch method; the MicroBatching source generator then adds a single-item async wrapper
/// (<c>InferBatchAsync</c> gives <c>InferAsync(item)</c>), a <c>…ManyAsync(items)</c> wrapper and a <c>…Batcher</c>
/// property, all batched behind the scenes by a <see cref="MicroBatcher{TItem, TResult}"/>.
/// </summary>
/// <remarks>
/// The method takes a list of items (<c>IReadOnlyList&lt;T&gt;</c>, <c>T[]</c>, <c>List&lt;T&gt;</c>, <c>IList&lt;T&gt;</c> or
/// <c>IEnumerable&lt;T&gt;</c>), optionally followed by a <see cref="CancellationToken"/>, and returns one result per item
/// (<c>IReadOnlyList&lt;R&gt;</c>, <c>IList&lt;R&gt;</c>, <c>List&lt;R&gt;</c> or <c>R[]</c>), or a dictionary from item to result
/// (<c>IReadOnlyDictionary&lt;T, R&gt;</c> or <c>Dictionary&lt;T, R&gt;</c>), either directly or through <see cref="Task{TResult}"/>
/// or <see cref="ValueTask{TResult}"/>. Its type, and every enclosing type, must be <see langword="partial"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MicroBatchedAttribute : Attribute
{
    /// <summary>The most items per call of the batch method (<see cref="MicroBatchOptions.MaxBatchSize"/>). At least 1.</summary>
    public int MaxSize { get; set; } = MicroBatchDefaults.MaxBatchSize;

    /// <summary>How long a partial batch waits for more items, in milliseconds, from its first item (<see cref="MicroBatchOptions.MaxWaitTime"/>). At least 0.</summary>
    public int MaxWaitMs { get; set; } = MicroBatchDefaults.MaxWaitMilliseconds;

    /// <summary>How many calls of the batch method may run at once (<see cref="MicroBatchOptions.MaxConcurrentBatches"/>). At least 1.</summary>
    public int MaxConcurrency { get; set; } = MicroBatchDefaults.MaxConcurrentBatches;

    /// <summary>When a batch that is not full leaves (<see cref="MicroBatchOptions.DispatchMode"/>).</summary>
    public BatchDispatchMode DispatchMode { get; set; } = BatchDispatchMode.Timed;

    /// <summary>How many accepted calls may wait for dispatch; 0, the default, means unbounded (<see cref="MicroBatchOptions.QueueCapacity"/>). At least 0.</summary>
    public int QueueCapacity { get; set; }

    /// <summary>What a call does when the queue is full (<see cref="MicroBatchOptions.QueueFullMode"/>).</summary>
    public QueueFullMode QueueFullMode { get; set; } = QueueFullMode.Wait;

    /// <summary>
    /// The most total cost of the items in one call of the batch method (<see cref="MicroBatchOptions.MaxBatchCost"/>), as
    /// <see cref="CostMethod"/> measures them; 0, the default, means no cost bound. At least 0.
    /// </summary>
    public int MaxCost { get; set; }

    /// <summary>
    /// The name of the method that measures one item for <see cref="MaxCost"/> (<see cref="MicroBatchOptions.ItemCost"/>):
    /// a method of this type, <c>int M(TItem)</c>, static if the batch method is. Write it with <see langword="nameof"/>.
    /// With <see cref="MaxCost"/> left at 0, configuration can still set the bound (<c>MaxBatchCost</c>).
    /// </summary>
    public string? CostMethod { get; set; }

    /// <summary>The wrapper's name; by default the method's name without <c>Batch</c>, ending in <c>Async</c>.</summary>
    public string? Name { get; set; }
}
