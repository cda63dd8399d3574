using System.Threading.Tasks.Dataflow;

namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// A TPL Dataflow batcher as commonly written: a BatchBlock of (item, TaskCompletionSource) linked to an ActionBlock that
/// runs each batch, and a timer, armed by the first item after each trigger, that calls TriggerBatch after MaxWait.
/// </summary>
public sealed class DataflowBatcher : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly BatchBlock<PendingCall> _batches;
    private readonly ActionBlock<PendingCall[]> _runner;
    private readonly Timer _timer;
    private int _timerArmed;

    public DataflowBatcher(BatchWorkload workload)
    {
        _workload = workload;
        _batches = new BatchBlock<PendingCall>(workload.MaxBatchSize);
        _runner = new ActionBlock<PendingCall[]>(Run, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = workload.MaxConcurrentBatches });
        _batches.LinkTo(_runner, new DataflowLinkOptions { PropagateCompletion = true });
        _timer = new Timer(_ =>
        {
            Volatile.Write(ref _timerArmed, 0);
            _batches.TriggerBatch();
        });
    }

    public string Name => "Dataflow";

    public long BatchCalls => _workload.Calls;

    public ValueTask<int> ProcessAsync(int item)
    {
        var call = PendingCall.Create(item);
        _batches.Post(call);
        if (Interlocked.Exchange(ref _timerArmed, 1) == 0)
        {
            _timer.Change(_workload.MaxWait, Timeout.InfiniteTimeSpan);
        }

        return new ValueTask<int>(call.Completion.Task);
    }

    private void Run(PendingCall[] batch)
    {
        var items = new int[batch.Length];
        for (int i = 0; i < batch.Length; i++)
        {
            items[i] = batch[i].Item;
        }

        PendingCall.RunAndComplete(_workload, items, batch);
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        _batches.Complete();
        await _runner.Completion.ConfigureAwait(false);
    }

}
