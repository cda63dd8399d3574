namespace MicroBatching.Benchmarks.Contenders;

/// <summary>No batching: every call invokes the batch function with a one-item list, on the caller's thread.</summary>
public sealed class DirectContender(BatchWorkload workload) : IBatchingContender
{
    public string Name => "Direct";

    public long BatchCalls => workload.Calls;

    public ValueTask<int> ProcessAsync(int item) => new(workload.Run([item])[0]);

    public ValueTask DisposeAsync() => default;
}
