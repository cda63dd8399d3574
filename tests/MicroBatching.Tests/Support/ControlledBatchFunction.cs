using System.Collections.Concurrent;
using System.Threading.Channels;

namespace MicroBatching.Tests.Support;

/// <summary>
/// A batch function whose calls a test completes by hand: each call is recorded with a copy of its items and its token,
/// and stays pending until the test calls <see cref="BatchCall{TItem, TResult}.Complete"/> or <see cref="BatchCall{TItem, TResult}.Fail"/>.
/// </summary>
internal sealed class ControlledBatchFunction<TItem, TResult>
{
    private readonly Channel<BatchCall<TItem, TResult>> _calls = Channel.CreateUnbounded<BatchCall<TItem, TResult>>();
    private int _running;
    private int _maxRunning;
    private int _callCount;

    public int CallCount => Volatile.Read(ref _callCount);

    public int MaxConcurrentCalls => Volatile.Read(ref _maxRunning);

    public ValueTask<IReadOnlyList<TResult>> Invoke(IReadOnlyList<TItem> items, CancellationToken cancellationToken)
    {
        int running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        Interlocked.Increment(ref _callCount);
        var call = new BatchCall<TItem, TResult>(items.ToArray(), cancellationToken, () => Interlocked.Decrement(ref _running));
        _calls.Writer.TryWrite(call);
        return new ValueTask<IReadOnlyList<TResult>>(call.Task);
    }

    public async Task<BatchCall<TItem, TResult>> NextCallAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Generous);
        return await _calls.Reader.ReadAsync(timeout.Token);
    }

    public bool TryGetCall(out BatchCall<TItem, TResult>? call) => _calls.Reader.TryRead(out call);

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

internal sealed class BatchCall<TItem, TResult>
{
    private readonly TaskCompletionSource<IReadOnlyList<TResult>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onCompleted;
    private readonly CancellationTokenSource _abandoned = new(TestTimeouts.Generous);
    private int _completed;

    public BatchCall(TItem[] items, CancellationToken token, Action onCompleted)
    {
        Items = items;
        Token = token;
        _onCompleted = onCompleted;

        // A test that fails before completing its call must still let the batcher drain, or its disposal would hang.
        _abandoned.Token.Register(() => Fail(new TimeoutException("The test never completed this batch call.")));
    }

    public TItem[] Items { get; }

    public CancellationToken Token { get; }

    public Task<IReadOnlyList<TResult>> Task => _completion.Task;

    public void Complete(IReadOnlyList<TResult> results)
    {
        if (MarkCompleted())
        {
            _completion.SetResult(results);
        }
    }

    public void Complete(Func<TItem, TResult> selector) => Complete(Items.Select(selector).ToArray());

    public void Fail(Exception exception)
    {
        if (MarkCompleted())
        {
            _completion.SetException(exception);
        }
    }

    private bool MarkCompleted()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _onCompleted();
        return true;
    }
}

/// <summary>A batch function that answers at once and records every list it was given.</summary>
internal sealed class RecordingBatchFunction<TItem, TResult>
{
    private readonly Func<TItem, TResult> _selector;

    public RecordingBatchFunction(Func<TItem, TResult> selector) => _selector = selector;

    public ConcurrentQueue<TItem[]> Calls { get; } = new();

    public ValueTask<IReadOnlyList<TResult>> Invoke(IReadOnlyList<TItem> items, CancellationToken cancellationToken)
    {
        Calls.Enqueue(items.ToArray());
        return new ValueTask<IReadOnlyList<TResult>>(items.Select(_selector).ToArray());
    }
}
