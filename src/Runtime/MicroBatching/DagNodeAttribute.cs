namespace MicroBatching;

/// <summary>
/// Marks a node of a <see cref="BatchDagAttribute"/> graph. A parameter named like another node (case-insensitively)
/// consumes that node's output; any other parameter, besides a <see cref="CancellationToken"/>, is an input of the graph.
/// </summary>
/// <remarks>
/// A node is list-to-list (every parameter a list, one result per item, directly or through a task) or single-item
/// (plain parameters and result); the executor calls a single-item node once per item.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DagNodeAttribute : Attribute
{
    /// <summary>The most items per call of the node. At least 1.</summary>
    public int MaxSize { get; set; } = MicroBatchDefaults.MaxBatchSize;

    /// <summary>How long a partial batch of <c>ExecuteAsync</c> calls waits at this node, in milliseconds. At least 0.</summary>
    public int MaxWaitMs { get; set; } = MicroBatchDefaults.MaxWaitMilliseconds;

    /// <summary>How many calls of the node may run at once for <c>ExecuteAsync</c>. At least 1.</summary>
    public int MaxConcurrency { get; set; } = MicroBatchDefaults.MaxConcurrentBatches;

    /// <summary>Whether the node's output is a result of the graph.</summary>
    public bool Output { get; set; }
}
