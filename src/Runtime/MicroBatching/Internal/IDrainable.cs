namespace MicroBatching.Internal;

/// <summary>A batcher whose drain can be observed: its registry stops listing it once it has drained.</summary>
internal interface IDrainable
{
    /// <summary>Completes when the batcher has drained after disposal: it holds no item and runs no batch.</summary>
    Task Drained { get; }
}
