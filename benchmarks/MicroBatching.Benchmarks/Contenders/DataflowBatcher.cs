using System.Threading.Tasks.Dataflow;

namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// A TPL Dataflow batcher as commonly written: a BatchBlock of (item, TaskCompletionSource) linked to an ActionBlock that
/// runs each batch, and a timer, armed by the first item after each trigger, that calls TriggerBatch after MaxWait.
/// </summary>
public sealed class DataflowBatcher : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly BatchBlock<Request> _batches;
    private readonly ActionBlock<Request[]> _runner;
    private readonly Timer _timer;
    private int _timerArmed;

    public DataflowBatcher(BatchWorkload workload)
    {
        _workload = workload;
        _batches = new BatchBlock<Request>(workload.MaxBatchSize);
        _runner = new ActionBlock<Request[]>(Run, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = workload.MaxConcurrentBatches });
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
        var completion = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _batches.Post(new Request(item, completion));
        if (Interlocked.Exchange(ref _timerArmed, 1) == 0)
        {
            _timer.Change(_workload.MaxWait, Timeout.InfiniteTimeSpan);
        }

        return new ValueTask<int>(completion.Task);
    }

    private void Run(Request[] batch)
    {
        var items = new int[batch.Length];
        for (int i = 0; i < batch.Length; i++)
        {
            items[i] = batch[i].Item;
        }

        try
        {
            IReadOnlyList<int> results = _workload.Run(items);
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception exception)
        {
            foreach (Request request in batch)
            {
                request.Completion.TrySetException(exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        _batches.Complete();
        await _runner.Completion.ConfigureAwait(false);
    }

    private readonly record struct Request(int Item, TaskCompletionSource<int> Completion);
}
