using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.InteropServices;

namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// A System.Reactive batcher: a synchronized subject of (item, TaskCompletionSource) buffered with Buffer(MaxWait, MaxSize).
/// Rx windows are periodic rather than counted from each batch's first item, which is how Buffer works.
/// </summary>
public sealed class ReactiveBatcher : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly ISubject<PendingCall> _requests;
    private readonly IDisposable _subscription;

    public ReactiveBatcher(BatchWorkload workload)
    {
        _workload = workload;
        var subject = new Subject<PendingCall>();
        _requests = Subject.Synchronize(subject);
        _subscription = subject
            .Buffer(workload.MaxWait, workload.MaxBatchSize)
            .Where(batch => batch.Count > 0)
            .Subscribe(Run);
    }

    public string Name => "Rx";

    public long BatchCalls => _workload.Calls;

    public ValueTask<int> ProcessAsync(int item)
    {
        var call = PendingCall.Create(item);
        _requests.OnNext(call);
        return new ValueTask<int>(call.Completion.Task);
    }

    private void Run(IList<PendingCall> batch)
    {
        var items = new int[batch.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = batch[i].Item;
        }

        // Buffer hands out a List<T>; its span avoids a copy.
        PendingCall.RunAndComplete(_workload, items, batch is List<PendingCall> list ? CollectionsMarshal.AsSpan(list) : [.. batch]);
    }

    public ValueTask DisposeAsync()
    {
        _requests.OnCompleted();
        _subscription.Dispose();
        return default;
    }

}
