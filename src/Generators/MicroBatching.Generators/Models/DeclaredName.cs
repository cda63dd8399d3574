namespace MicroBatching.SourceGeneration.Models;

/// <summary>A name the generated code declares with <c>[assembly: MicroBatcherName]</c>, so configuration can be checked against it.</summary>
/// <param name="Name">The batcher's or graph's name.</param>
/// <param name="IsGraph">Whether it names a batch-DAG graph.</param>
/// <param name="HasItemCost">Whether the batcher measures its items, so that configuration may give it a cost bound.</param>
internal readonly record struct DeclaredName(string Name, bool IsGraph = false, bool HasItemCost = false);
