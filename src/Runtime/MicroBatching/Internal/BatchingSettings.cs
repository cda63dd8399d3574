namespace MicroBatching.Internal;

/// <summary>
/// The batching rules in force, as a batcher derives them from its options. Immutable: reconfiguring a batcher replaces
/// it whole, and each batch captures the one in force when it opens, so a batch is closed and dispatched by the rules it
/// opened under while the next batch follows the new ones.
/// </summary>
internal sealed class BatchingSettings
{
    /// <param name="options">A validated copy that nothing else holds.</param>
    /// <param name="measuresItems">Whether the batcher has an item cost function, without which no cost bound applies.</param>
    public BatchingSettings(MicroBatchOptions options, bool measuresItems)
    {
        Options = options;

        // Without batching every item is a batch of its own, dispatched at once.
        MaxBatchSize = options.Enabled ? options.MaxBatchSize : 1;
        MaxWaitTime = options.Enabled ? options.MaxWaitTime : TimeSpan.Zero;
        IsAdaptive = options.Enabled && options.DispatchMode == BatchDispatchMode.Adaptive;
        MaxConcurrentBatches = options.MaxConcurrentBatches;
        MaxBatchCost = MaxBatchSize > 1 && measuresItems ? options.MaxBatchCost : 0;
    }

    /// <summary>The options these settings come from; never handed out, only copies of it.</summary>
    public MicroBatchOptions Options { get; }

    /// <summary>The most items in one batch: 1 when batching is off.</summary>
    public int MaxBatchSize { get; }

    /// <summary>How long a batch that is not full waits, from its first item: zero when batching is off.</summary>
    public TimeSpan MaxWaitTime { get; }

    /// <summary>Whether an idle batcher dispatches a batch at once instead of waiting.</summary>
    public bool IsAdaptive { get; }

    public int MaxConcurrentBatches { get; }

    /// <summary>The cost bound of one batch; 0 when batches are bounded by count only.</summary>
    public long MaxBatchCost { get; }

    /// <summary>Whether <paramref name="options"/> would give the same rules, so reconfiguring with them changes nothing.</summary>
    public bool HasSameRulesAs(MicroBatchOptions options) =>
        options.MaxBatchSize == Options.MaxBatchSize && options.MaxWaitTime == Options.MaxWaitTime &&
        options.MaxConcurrentBatches == Options.MaxConcurrentBatches && options.MaxBatchCost == Options.MaxBatchCost &&
        options.DispatchMode == Options.DispatchMode && options.Enabled == Options.Enabled;

    /// <summary>Whether a batch under these settings may wait for a timer.</summary>
    public bool WaitsForTimer => MaxBatchSize > 1 && MaxWaitTime > TimeSpan.Zero;
}
