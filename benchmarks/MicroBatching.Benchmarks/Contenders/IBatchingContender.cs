namespace MicroBatching.Benchmarks.Contenders;

/// <summary>One way of batching concurrent single-item calls, measured side by side with the others.</summary>
public interface IBatchingContender : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Submits one item and returns its result.</summary>
    ValueTask<int> ProcessAsync(int item);

    /// <summary>How many times the batch function has been called.</summary>
    long BatchCalls { get; }
}
