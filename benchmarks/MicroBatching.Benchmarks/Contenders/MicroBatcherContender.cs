namespace MicroBatching.Benchmarks.Contenders;

/// <summary>This library's batcher, through its ValueTask path or, as a Task-returning API would use it, through AsTask.</summary>
public sealed class MicroBatcherContender : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly MicroBatcher<int, int> _batcher;
    private readonly bool _asTask;

    public MicroBatcherContender(BatchWorkload workload, bool asTask = false, BatchDispatchMode dispatchMode = BatchDispatchMode.Timed)
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
            });
        Name = dispatchMode == BatchDispatchMode.Adaptive ? "MicroBatcher (adaptive)" : asTask ? "MicroBatcher (Task)" : "MicroBatcher";
    }

    public string Name { get; }

    public long BatchCalls => _workload.Calls;

    public ValueTask<int> ProcessAsync(int item) =>
        _asTask ? new ValueTask<int>(_batcher.ProcessAsync(item).AsTask()) : _batcher.ProcessAsync(item);

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
