using System.Diagnostics;

namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// The list-to-list function every contender batches into, and its settings. It is synchronous CPU work (none, or busy
/// work of a fixed cost per call plus a cost per item), and it counts its calls.
/// </summary>
public sealed class BatchWorkload
{
    private readonly long _perCallTicks;
    private readonly long _perItemTicks;
    private long _calls;

    public BatchWorkload(int maxBatchSize, TimeSpan maxWait, int maxConcurrentBatches = 1, TimeSpan perCall = default, TimeSpan perItem = default)
    {
        MaxBatchSize = maxBatchSize;
        MaxWait = maxWait;
        MaxConcurrentBatches = maxConcurrentBatches;
        PerCall = perCall;
        PerItem = perItem;
        _perCallTicks = (long)(perCall.TotalSeconds * Stopwatch.Frequency);
        _perItemTicks = (long)(perItem.TotalSeconds * Stopwatch.Frequency);
    }

    public int MaxBatchSize { get; }

    public TimeSpan MaxWait { get; }

    public int MaxConcurrentBatches { get; }

    public TimeSpan PerCall { get; }

    public TimeSpan PerItem { get; }

    public long Calls => Interlocked.Read(ref _calls);

    public static int Expected(int item) => item;

    /// <summary>Returns one result per item: the items themselves, so the trivial workload allocates nothing.</summary>
    public IReadOnlyList<int> Run(IReadOnlyList<int> items)
    {
        Interlocked.Increment(ref _calls);
        long cost = _perCallTicks + (_perItemTicks * items.Count);
        if (cost > 0)
        {
            long end = Stopwatch.GetTimestamp() + cost;
            while (Stopwatch.GetTimestamp() < end)
            {
                Thread.SpinWait(8);
            }
        }

        return items;
    }
}
