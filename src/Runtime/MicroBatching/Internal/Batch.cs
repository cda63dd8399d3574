using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// The reusable part of a batch: the callers' slots, the item list handed to the batch function, and the work of calling
/// that function and routing each result to its caller. Pooled by its batcher; reused once every caller has consumed
/// its result and the run has finished.
/// </summary>
internal sealed class Batch<TItem, TResult> : IThreadPoolWorkItem
{
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly MicroBatcher<TItem, TResult> _owner;
    private readonly BatchSlot<TItem, TResult>[]?[] _chunks;
    private readonly int _maxBatchSize;
    private readonly BatchItemList<TItem> _items;
    private readonly Action _onBatchFunctionCompleted;
    private CancellationTokenSource? _cancellation;
    private ValueTask<IReadOnlyList<TResult>> _pending;
    private int _claimedCount;
    private long _firstItemTimestamp;
    private long _startTimestamp;
    private Activity? _activity;

    // The batch is reused when this drops to zero: one reference per claimed slot, one for the run.
    private int _references;

    // The batch token is cancelled only when every caller in the run has cancelled.
    private int _runningCount = int.MaxValue;
    private int _cancelledWhileRunning;

    public Batch(MicroBatcher<TItem, TResult> owner, int maxBatchSize)
    {
        _owner = owner;
        _maxBatchSize = maxBatchSize;
        _chunks = new BatchSlot<TItem, TResult>[]?[(maxBatchSize + ChunkSize - 1) >> ChunkShift];
        _items = new BatchItemList<TItem>(Math.Min(maxBatchSize, ChunkSize));
        _onBatchFunctionCompleted = OnBatchFunctionCompleted;
    }

    /// <summary>Returns the slot at <paramref name="index"/>, creating it on first use.</summary>
    /// <remarks>Only the caller that claimed <paramref name="index"/> can be the first to ask for it.</remarks>
    public BatchSlot<TItem, TResult> GetSlot(int index)
    {
        int chunkIndex = index >> ChunkShift;
        BatchSlot<TItem, TResult>[] chunk = Volatile.Read(ref _chunks[chunkIndex]) ?? CreateChunk(chunkIndex);
        return chunk[index & (ChunkSize - 1)] ??= new BatchSlot<TItem, TResult>(this);
    }

    private BatchSlot<TItem, TResult>[] CreateChunk(int chunkIndex)
    {
        var chunk = new BatchSlot<TItem, TResult>[Math.Min(ChunkSize, _maxBatchSize - (chunkIndex << ChunkShift))];
        return Interlocked.CompareExchange(ref _chunks[chunkIndex], chunk, null) ?? chunk;
    }

    /// <summary>Queues the run of a sealed, fully published batch of <paramref name="claimedCount"/> slots.</summary>
    public void Dispatch(int claimedCount, long firstItemTimestamp)
    {
        _claimedCount = claimedCount;
        _firstItemTimestamp = firstItemTimestamp;
        Interlocked.Add(ref _references, claimedCount + 1);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        int claimed = _claimedCount;
        _items.Open(claimed);
        bool cancellable = false;
        for (int i = 0; i < claimed; i++)
        {
            BatchSlot<TItem, TResult> slot = GetSlot(i);
            slot.InRun = slot.TryStartRunning();
            if (slot.InRun)
            {
                _items.Add(slot.Item);
                cancellable |= slot.IsCancellable;
            }
        }

        int count = _items.UncheckedCount;
        _owner.OnItemsDispatched(count);
        if (count == 0)
        {
            Finish(BatchOutcome.Skipped, count);
            return;
        }

        CancellationToken token = default;
        if (cancellable)
        {
            _cancellation ??= new CancellationTokenSource();
            token = _cancellation.Token;
            Interlocked.Exchange(ref _runningCount, count);
            if (Volatile.Read(ref _cancelledWhileRunning) >= count)
            {
                CancelBatchToken();
            }
        }

        _startTimestamp = _owner.TimeProvider.GetTimestamp();
        _activity = StartActivity(count);
        try
        {
            _pending = _owner.BatchFunction(_items, token);
        }
        catch (Exception exception)
        {
            Fail(exception, count);
            return;
        }

        if (_pending.IsCompleted)
        {
            OnBatchFunctionCompleted();
        }
        else
        {
            _pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onBatchFunctionCompleted);
        }
    }

    private void OnBatchFunctionCompleted()
    {
        int count = _items.UncheckedCount;
        IReadOnlyList<TResult>? results;
        try
        {
            results = _pending.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            _pending = default;
            Fail(exception, count);
            return;
        }

        _pending = default;
        if (results is null || results.Count != count)
        {
            Fail(new BatchResultCountMismatchException(_owner.Name, count, results?.Count ?? 0, resultWasNull: results is null), count);
            return;
        }

        int slotIndex = 0;
        try
        {
            int resultIndex = 0;
            for (; slotIndex < _claimedCount; slotIndex++)
            {
                BatchSlot<TItem, TResult> slot = GetSlot(slotIndex);
                if (slot.InRun)
                {
                    slot.SetResult(results[resultIndex++]);
                }
            }
        }
        catch (Exception exception)
        {
            // A result list whose indexer throws: the callers already served keep their results.
            FailSlots(exception, slotIndex);
            Finish(BatchOutcome.Failure, count, exception);
            return;
        }

        Finish(BatchOutcome.Success, count);
    }

    private void Fail(Exception exception, int count)
    {
        // A function that gives up because every caller left is expected; anything else must reach someone.
        bool expected = exception is OperationCanceledException && _cancellation?.IsCancellationRequested == true;
        if (!FailSlots(exception, 0) && !expected)
        {
            _owner.OnUnobservedBatchFailure(exception, count);
        }

        Finish(BatchOutcome.Failure, count, exception);
    }

    private bool FailSlots(Exception exception, int fromIndex)
    {
        bool observed = false;
        for (int i = fromIndex; i < _claimedCount; i++)
        {
            BatchSlot<TItem, TResult> slot = GetSlot(i);
            if (slot.InRun && slot.TrySetException(exception))
            {
                observed = true;
            }
        }

        return observed;
    }

    private void Finish(BatchOutcome outcome, int count, Exception? exception = null)
    {
        _items.Close();
        if (outcome != BatchOutcome.Skipped)
        {
            long end = _owner.TimeProvider.GetTimestamp();
            MicroBatchingTelemetry.RecordBatch(
                _owner.TelemetryTags,
                outcome,
                count,
                waitTime: _owner.TimeProvider.GetElapsedTime(_firstItemTimestamp, _startTimestamp),
                duration: _owner.TimeProvider.GetElapsedTime(_startTimestamp, end));
            StopActivity(exception);
        }

        _owner.OnBatchFinished(outcome, count);
        ReleaseReference();
    }

    public void OnQueuedItemCancelled() => _owner.OnQueuedItemCancelled();

    public void OnRunningItemCancelled()
    {
        _owner.OnRunningItemCancelled();
        if (Interlocked.Increment(ref _cancelledWhileRunning) >= Volatile.Read(ref _runningCount))
        {
            CancelBatchToken();
        }
    }

    private void CancelBatchToken()
    {
        try
        {
            _cancellation!.Cancel();
        }
        catch (Exception exception)
        {
            // Thrown by a callback the batch function registered on its token; no caller is left to receive it.
            _owner.OnCancellationCallbackFailure(exception);
        }
    }

    public void ReleaseReference()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Reset();
            _owner.ReturnToPool(this);
        }
    }

    private void Reset()
    {
        _claimedCount = 0;
        _runningCount = int.MaxValue;
        _cancelledWhileRunning = 0;
        if (_cancellation is not null && !_cancellation.TryReset())
        {
            _cancellation.Dispose();
            _cancellation = null;
        }
    }

    private Activity? StartActivity(int count)
    {
        ActivitySource source = MicroBatchingTelemetry.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        List<ActivityLink>? links = null;
        for (int i = 0; i < _claimedCount; i++)
        {
            BatchSlot<TItem, TResult> slot = GetSlot(i);
            if (slot.InRun && slot.CallerContext != default)
            {
                (links ??= new List<ActivityLink>(count)).Add(new ActivityLink(slot.CallerContext));
            }
        }

        Activity? activity = source.StartActivity(
            MicroBatchingTelemetry.BatchActivityName, ActivityKind.Internal, parentContext: default, links: links);
        if (activity is not null)
        {
            activity.DisplayName = _owner.Name is null ? "micro-batch" : $"micro-batch {_owner.Name}";
            activity.SetTag(MicroBatchingTelemetry.BatcherNameTag, _owner.Name);
            activity.SetTag(MicroBatchingTelemetry.BatchSizeTag, count);
        }

        return activity;
    }

    private void StopActivity(Exception? exception)
    {
        Activity? activity = _activity;
        if (activity is null)
        {
            return;
        }

        _activity = null;
        if (exception is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            MicroBatchingTelemetry.AddException(activity, exception);
        }

        activity.Stop();
    }
}
