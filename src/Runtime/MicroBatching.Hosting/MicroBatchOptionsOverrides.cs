namespace MicroBatching.Hosting;

/// <summary>
/// Settings from configuration for one batcher or for all of them. Only the values present are applied; the rest keep
/// what the code (or the <see cref="MicroBatchedAttribute"/>) says.
/// </summary>
public sealed class MicroBatchOptionsOverrides
{
    /// <inheritdoc cref="MicroBatchOptions.MaxBatchSize"/>
    public int? MaxBatchSize { get; set; }

    /// <inheritdoc cref="MicroBatchOptions.MaxWaitTime"/>
    public TimeSpan? MaxWaitTime { get; set; }

    /// <inheritdoc cref="MicroBatchOptions.MaxConcurrentBatches"/>
    public int? MaxConcurrentBatches { get; set; }

    /// <summary>
    /// The batcher's <see cref="MicroBatchOptions.MaxBatchCost"/>. Only a batcher that measures its items (a <c>CostMethod</c>
    /// on its <c>[MicroBatched]</c>, or an <see cref="MicroBatchOptions.ItemCost"/>) takes it, so it is set per batcher only.
    /// </summary>
    public int? MaxBatchCost { get; set; }

    /// <inheritdoc cref="MicroBatchOptions.QueueCapacity"/>
    public int? QueueCapacity { get; set; }

    /// <inheritdoc cref="MicroBatchOptions.QueueFullMode"/>
    public QueueFullMode? QueueFullMode { get; set; }

    /// <inheritdoc cref="MicroBatchOptions.DispatchMode"/>
    public BatchDispatchMode? DispatchMode { get; set; }

    /// <inheritdoc cref="MicroBatchOptions.Enabled"/>
    public bool? Enabled { get; set; }

    /// <summary>Copies the values that are set onto <paramref name="options"/>.</summary>
    public void ApplyTo(MicroBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxBatchSize = MaxBatchSize ?? options.MaxBatchSize;
        options.MaxWaitTime = MaxWaitTime ?? options.MaxWaitTime;
        options.MaxConcurrentBatches = MaxConcurrentBatches ?? options.MaxConcurrentBatches;
        options.MaxBatchCost = MaxBatchCost ?? options.MaxBatchCost;
        options.QueueCapacity = QueueCapacity ?? options.QueueCapacity;
        options.QueueFullMode = QueueFullMode ?? options.QueueFullMode;
        options.DispatchMode = DispatchMode ?? options.DispatchMode;
        options.Enabled = Enabled ?? options.Enabled;
    }
}
