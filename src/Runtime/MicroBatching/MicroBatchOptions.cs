namespace MicroBatching;

/// <summary>How a <see cref="MicroBatcher{TItem, TResult}"/> groups items into batches.</summary>
/// <remarks>
/// The batcher copies these values when it is constructed; changing the object afterwards has no effect on it. To change a
/// running batcher's rules, pass new options to <see cref="MicroBatcher{TItem, TResult}.Reconfigure"/>.
/// Every property binds from configuration (<c>appsettings.json</c>).
/// </remarks>
public sealed class MicroBatchOptions
{
    /// <summary>The largest batch size this library accepts for <see cref="MaxBatchSize"/>.</summary>
    public const int MaxBatchSizeLimit = MicroBatchDefaults.MaxBatchSizeLimit;

    /// <summary>The most items passed to one call of the batch function. A batch is dispatched as soon as it is full. At least 1.</summary>
    public int MaxBatchSize { get; set; } = MicroBatchDefaults.MaxBatchSize;

    /// <summary>
    /// How long a batch that is not full waits for more items, counted from its first item. Zero is valid: a batch is then
    /// dispatched as soon as a concurrency slot is free, taking whatever arrived meanwhile.
    /// </summary>
    public TimeSpan MaxWaitTime { get; set; } = TimeSpan.FromMilliseconds(MicroBatchDefaults.MaxWaitMilliseconds);

    /// <summary>
    /// The most total cost of the items in one batch, as <see cref="ItemCost"/> measures it (tokens, bytes, rows); 0, the
    /// default, means batches are bounded by <see cref="MaxBatchSize"/> only. A batch is dispatched as soon as the next item
    /// would not fit, and an item that alone costs more than this runs in a batch of its own (which items that cost nothing
    /// may share).
    /// </summary>
    /// <remarks>Both bounds hold at once: a batch never exceeds <see cref="MaxBatchSize"/> items either.</remarks>
    public int MaxBatchCost { get; set; }

    /// <summary>
    /// Measures one item for <see cref="MaxBatchCost"/>: a <c>Func&lt;TItem, int&gt;</c> over the batcher's item type, returning
    /// zero or more. It runs on the caller's thread when the call is made. If it throws or returns a negative cost, only that
    /// call fails; the batcher goes on for everyone else.
    /// </summary>
    /// <remarks>
    /// Typed as <see cref="Delegate"/> because one options type serves every item type; the batcher checks it when it is
    /// created. A lambda with a typed parameter converts directly: <c>ItemCost = (string text) =&gt; text.Length</c>.
    /// It is not bound from configuration.
    /// </remarks>
    public Delegate? ItemCost { get; set; }

    /// <summary>How many calls of the batch function may run at once. At least 1. Items keep accumulating while every slot is busy.</summary>
    public int MaxConcurrentBatches { get; set; } = MicroBatchDefaults.MaxConcurrentBatches;

    /// <summary>How many accepted items may wait for dispatch at once; 0 means unbounded. See <see cref="QueueFullMode"/>.</summary>
    public int QueueCapacity { get; set; }

    /// <summary>What a call does when <see cref="QueueCapacity"/> items are already pending.</summary>
    public QueueFullMode QueueFullMode { get; set; } = QueueFullMode.Wait;

    /// <summary>When a batch that is not yet full is dispatched. The default, <see cref="BatchDispatchMode.Timed"/>, waits for <see cref="MaxWaitTime"/>.</summary>
    public BatchDispatchMode DispatchMode { get; set; } = BatchDispatchMode.Timed;

    /// <summary>
    /// <see langword="false"/> turns batching off: every call invokes the batch function with a one-item list, under the same
    /// error, cancellation, concurrency and capacity rules. Useful to measure what batching buys, or to rule it out when debugging.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Identifies the batcher in metrics, traces, logs and error messages.</summary>
    public string? Name { get; set; }

    /// <summary>Returns a copy of these options.</summary>
    public MicroBatchOptions Clone() => (MicroBatchOptions)MemberwiseClone();

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> if any value is out of range, or <see cref="ArgumentException"/> if
    /// <see cref="MaxBatchCost"/> is set without an <see cref="ItemCost"/>.
    /// </summary>
    /// <param name="paramName">The parameter name to report, usually the one the options were passed as.</param>
    public void Validate(string? paramName = null)
    {
        paramName ??= "options";
        string who = Name is null ? "" : $" (micro-batcher '{Name}')";
        if (MaxBatchSize is < 1 or > MaxBatchSizeLimit)
        {
            throw new ArgumentOutOfRangeException(paramName, MaxBatchSize,
                $"MaxBatchSize must be between 1 and {MaxBatchSizeLimit}{who}, but was {MaxBatchSize}.");
        }

        if (MaxWaitTime < TimeSpan.Zero || MaxWaitTime.TotalMilliseconds > uint.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(paramName, MaxWaitTime,
                $"MaxWaitTime must be zero or positive and at most {uint.MaxValue - 1} ms{who}, but was {MaxWaitTime}.");
        }

        if (MaxConcurrentBatches < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, MaxConcurrentBatches,
                $"MaxConcurrentBatches must be at least 1{who}, but was {MaxConcurrentBatches}.");
        }

        if (MaxBatchCost < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, MaxBatchCost,
                $"MaxBatchCost must be zero (no cost bound) or positive{who}, but was {MaxBatchCost}.");
        }

        if (MaxBatchCost > 0 && ItemCost is null)
        {
            throw new ArgumentException(
                $"MaxBatchCost is {MaxBatchCost}{who}, but no ItemCost function measures the items. Set ItemCost " +
                "(CostMethod on [MicroBatched]), or set MaxBatchCost to 0.", paramName);
        }

        if (QueueCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, QueueCapacity,
                $"QueueCapacity must be zero (unbounded) or positive{who}, but was {QueueCapacity}.");
        }

        if (!Enum.IsDefined(QueueFullMode))
        {
            throw new ArgumentOutOfRangeException(paramName, QueueFullMode, $"QueueFullMode {QueueFullMode} is not defined{who}.");
        }

        if (!Enum.IsDefined(DispatchMode))
        {
            throw new ArgumentOutOfRangeException(paramName, DispatchMode, $"DispatchMode {DispatchMode} is not defined{who}.");
        }
    }
}
