namespace MicroBatching.Hosting;

/// <summary>
/// The <c>MicroBatching</c> configuration section: settings for every batcher, then for batchers by name, and for
/// batch-DAG graphs by name. A graph's nodes are batchers named <c>Namespace.Type.Node</c>.
/// </summary>
/// <example>
/// <code>
/// "MicroBatching": {
///   "Defaults": { "MaxWaitTime": "00:00:00.005" },
///   "Batchers": {
///     "Shop.SentimentModel.InferBatchAsync": { "MaxBatchSize": 64, "MaxConcurrentBatches": 2 }
///   }
/// }
/// </code>
/// </example>
/// <remarks>
/// A batcher's name is <see cref="MicroBatchOptions.Name"/>; for a <see cref="MicroBatchedAttribute"/> method it is the
/// containing type's full name, a dot and the method name. Settings apply to batchers created after the host starts
/// configuring them, and a reloaded configuration applies to running batchers from their next batch (see
/// <see cref="MicroBatcher{TItem, TResult}.Reconfigure"/>); a batcher's queue keeps the settings it was created with.
/// </remarks>
public sealed class MicroBatchingOptions
{
    /// <summary>The configuration section read by default.</summary>
    public const string SectionName = "MicroBatching";

    /// <summary>Applied to every batcher, before its entry in <see cref="Batchers"/>.</summary>
    public MicroBatchOptionsOverrides Defaults { get; set; } = new();

    /// <summary>Settings by batcher name (case-insensitive).</summary>
    public Dictionary<string, MicroBatchOptionsOverrides> Batchers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Settings by batch-DAG graph name (<c>Namespace.Type</c>, case-insensitive).</summary>
    public Dictionary<string, BatchDagOptionsOverrides> Dags { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Applies the entry named like the graph, if any, to <paramref name="options"/>.</summary>
    public void ApplyTo(BatchDagOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Name is { } name && Dags.TryGetValue(name, out BatchDagOptionsOverrides? dag))
        {
            dag.ApplyTo(options);
        }
    }

    /// <summary>Applies <see cref="Defaults"/>, then the entry named like the batcher, to <paramref name="options"/>.</summary>
    public void ApplyTo(MicroBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Defaults.ApplyTo(options);
        if (options.Name is { } name && Batchers.TryGetValue(name, out MicroBatchOptionsOverrides? batcher))
        {
            batcher.ApplyTo(options);
        }
    }
}
