namespace MicroBatching;

/// <summary>
/// Marks a <see langword="partial"/> class whose <see cref="DagNodeAttribute"/> methods form a graph: the source
/// generator adds <c>ExecuteAsync</c> (one input, micro-batched at every node), <c>ExecuteBatchAsync</c> (many inputs,
/// in chunks of each node's size), <c>ExecuteStreamAsync</c> and a Mermaid <c>GraphDiagram</c>. See docs/dag.md.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BatchDagAttribute : Attribute
{
    /// <summary>How many node calls may run at once across the graph in one batch run (<see cref="BatchDagOptions.MaxParallelism"/>). At least 1.</summary>
    public int MaxParallelism { get; set; } = BatchDagOptions.DefaultMaxParallelism;

    /// <summary>How many inputs <c>ExecuteStreamAsync</c> runs together (<see cref="BatchDagOptions.StreamWindow"/>). At least 1.</summary>
    public int StreamWindow { get; set; } = BatchDagOptions.DefaultStreamWindow;
}
