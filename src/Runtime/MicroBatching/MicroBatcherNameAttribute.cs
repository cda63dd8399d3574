namespace MicroBatching;

/// <summary>
/// Declares the name of a batcher (or, with <see cref="IsGraph"/>, of a batch-DAG graph) that the assembly creates, so
/// that configuration for a name no batcher has fails at start-up instead of being ignored. The source generator
/// declares every generated batcher and graph; declare a batcher you create by hand with a name yourself:
/// <c>[assembly: MicroBatcherName("prices")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class MicroBatcherNameAttribute : Attribute
{
    /// <summary>Declares a batcher name.</summary>
    public MicroBatcherNameAttribute(string name) => Name = name;

    /// <summary>The name, as in <c>MicroBatching:Batchers:&lt;name&gt;</c> (or <c>MicroBatching:Dags:&lt;name&gt;</c>).</summary>
    public string Name { get; }

    /// <summary>Whether the name is a batch-DAG graph's rather than a batcher's.</summary>
    public bool IsGraph { get; init; }

    /// <summary>
    /// Whether the batcher measures its items (<see cref="MicroBatchOptions.ItemCost"/>), so that configuration may set its
    /// <c>MaxBatchCost</c>; without it, such a setting fails start-up.
    /// </summary>
    public bool HasItemCost { get; init; }
}
