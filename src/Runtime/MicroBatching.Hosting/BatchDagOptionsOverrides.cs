namespace MicroBatching.Hosting;

/// <summary>
/// Settings from configuration for one batch-DAG graph (<c>MicroBatching:Dags:&lt;Namespace.Type&gt;</c>). Only the values
/// present are applied; the rest keep what the <see cref="BatchDagAttribute"/> says.
/// </summary>
public sealed class BatchDagOptionsOverrides
{
    /// <inheritdoc cref="BatchDagOptions.MaxParallelism"/>
    /// <remarks>The original design's <c>parallel-executions</c>.</remarks>
    public int? MaxParallelism { get; set; }

    /// <inheritdoc cref="BatchDagOptions.StreamWindow"/>
    public int? StreamWindow { get; set; }

    /// <summary>Copies the values that are set onto <paramref name="options"/>.</summary>
    public void ApplyTo(BatchDagOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MaxParallelism = MaxParallelism ?? options.MaxParallelism;
        options.StreamWindow = StreamWindow ?? options.StreamWindow;
    }
}
