using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// A System.Reactive batcher: a synchronized subject of (item, TaskCompletionSource) buffered with Buffer(MaxWait, MaxSize).
/// Rx windows are periodic rather than counted from each batch's first item, which is how Buffer works.
/// </summary>
public sealed class ReactiveBatcher : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly ISubject<Request> _requests;
    private readonly IDisposable _subscription;

    public ReactiveBatcher(BatchWorkload workload)
    {
        _workload = workload;
        var subject = new Subject<Request>();
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
        var completion = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.OnNext(new Request(item, completion));
        return new ValueTask<int>(completion.Task);
    }

    private void Run(IList<Request> batch)
    {
        var items = new int[batch.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = batch[i].Item;
        }

        try
        {
            IReadOnlyList<int> results = _workload.Run(items);
            for (int i = 0; i < items.Length; i++)
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

    public ValueTask DisposeAsync()
    {
        _requests.OnCompleted();
        _subscription.Dispose();
        return default;
    }

    private readonly record struct Request(int Item, TaskCompletionSource<int> Completion);
}
