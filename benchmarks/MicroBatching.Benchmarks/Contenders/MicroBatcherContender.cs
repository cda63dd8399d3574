namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// This library's batcher, through its ValueTask path or, as a Task-returning API would use it, through AsTask. With a
/// cost bound, every item costs 1 and the bound is the batch size, so batches are the same and only the measuring and
/// reserving is added.
/// </summary>
public sealed class MicroBatcherContender : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly MicroBatcher<int, int> _batcher;
    private readonly bool _asTask;

    private static readonly Func<int, int> s_unitCost = static _ => 1;

    public MicroBatcherContender(BatchWorkload workload, bool asTask = false, BatchDispatchMode dispatchMode = BatchDispatchMode.Timed, bool costBound = false)
    {
        _workload = workload;
        _asTask = asTask;
        _batcher = new MicroBatcher<int, int>(
            (items, _) => new ValueTask<IReadOnlyList<int>>(workload.Run(items)),
            new MicroBatchOptions
            {
                MaxBatchSize = workload.MaxBatchSize,
                MaxWaitTime = workload.MaxWait,
                MaxConcurrentBatches = workload.MaxConcurrentBatches,
                DispatchMode = dispatchMode,
                MaxBatchCost = costBound ? workload.MaxBatchSize : 0,
                ItemCost = costBound ? s_unitCost : null,
            });
        Name = dispatchMode == BatchDispatchMode.Adaptive ? Contender.MicroBatcherAdaptive :
               costBound ? Contender.MicroBatcherCostBound :
               asTask ? Contender.MicroBatcherTask : Contender.MicroBatcher;
    }

    public string Name { get; }

    public long BatchCalls => _workload.Calls;

    public ValueTask<int> ProcessAsync(int item) =>
        _asTask ? new ValueTask<int>(_batcher.ProcessAsync(item).AsTask()) : _batcher.ProcessAsync(item);

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
