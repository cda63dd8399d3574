namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// A faithful port of the original design this project replaces: each call enqueues its item, then either flushes at once
/// if the queue reached MaxSize, or sleeps MaxWait and flushes. Every call that does not fill a batch pays a timer and the
/// whole wait, whether or not its item was already sent; under load this design collapses.
/// </summary>
public sealed class OriginalDesignBatcher : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly object _gate = new();
    private List<PendingCall> _queue = [];

    public OriginalDesignBatcher(BatchWorkload workload) => _workload = workload;

    public string Name => "Original design";

    public long BatchCalls => _workload.Calls;

    public async ValueTask<int> ProcessAsync(int item)
    {
        var call = PendingCall.Create(item);
        bool full;
        lock (_gate)
        {
            _queue.Add(call);
            full = _queue.Count >= _workload.MaxBatchSize;
        }

        if (!full)
        {
            await Task.Delay(_workload.MaxWait).ConfigureAwait(false);
        }

        Flush();
        return await call.Completion.Task.ConfigureAwait(false);
    }

    private void Flush()
    {
        List<PendingCall> batch;
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                return;
            }

            batch = _queue;
            _queue = [];
        }

        foreach (PendingCall[] chunk in batch.Chunk(_workload.MaxBatchSize))
        {
            PendingCall.RunAndComplete(_workload, [.. chunk.Select(r => r.Item)], chunk);
        }
    }

    public ValueTask DisposeAsync()
    {
        Flush();
        return default;
    }

}
