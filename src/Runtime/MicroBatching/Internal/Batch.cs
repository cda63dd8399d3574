using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// The reusable part of a batch: the callers' slots, the item list handed to the batch function, and the work of calling
/// that function and routing each result to its caller. Pooled by its batcher; reused once every caller has consumed
/// its result and the run has finished.
/// </summary>
/// <remarks>
/// <para>
/// When the batch function finishes, every caller's outcome is recorded first and the concurrency slot is freed, so the
/// next batch can start; then the callers are resumed by the batch's <see cref="CallerResumption{TItem, TResult}"/>.
/// </para>
/// <para>
/// The thread that finishes a batch runs the next ready batch itself, saving a trip through the thread-pool queue per
/// batch; it then hands the resumption of its callers to a work item, so no caller's continuation ever runs ahead of
/// the batcher's own work. When no batch is ready it resumes the callers itself.
/// </para>
/// </remarks>
internal sealed partial class Batch<TItem, TResult> : IThreadPoolWorkItem
{
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly MicroBatcher<TItem, TResult> _owner;
    private readonly BatchSlot<TItem, TResult>[]?[] _chunks;
    private readonly int _maxBatchSize;
    private readonly BatchItemList<TItem> _items;
    private readonly Action _onBatchFunctionCompletedElsewhere;
    private readonly CallerResumption<TItem, TResult> _resumption;
    private CancellationTokenSource? _cancellation;

    private ValueTask<IReadOnlyList<TResult>> _pending;
    private int _claimedCount;
    private long _firstItemTimestamp;
    private DispatchReason _dispatchReason;
    private long _startTimestamp;

    // The batch is reused when this drops to zero: one reference per claimed slot, one for the run. Taken at dispatch; a
    // caller that cancels while queued releases its reference earlier, so the count may be negative until then.
    private int _references;

    // The batch token is cancelled only when every caller in the run has cancelled.
    private int _runningCount = int.MaxValue;
    private int _cancelledWhileRunning;

    // Set when the batch function's task completed asynchronously: the next Execute finishes the run.
    private int _completedElsewhere;

    public Batch(MicroBatcher<TItem, TResult> owner, int maxBatchSize)
    {
        _owner = owner;
        _maxBatchSize = maxBatchSize;
        _chunks = new BatchSlot<TItem, TResult>[]?[(maxBatchSize + ChunkSize - 1) >> ChunkShift];
        _items = new BatchItemList<TItem>(Math.Min(maxBatchSize, ChunkSize));
        _onBatchFunctionCompletedElsewhere = OnBatchFunctionCompletedElsewhere;
        _resumption = new CallerResumption<TItem, TResult>(this);
    }

    /// <summary>Returns the slot at <paramref name="index"/>, creating it on first use.</summary>
    /// <remarks>Only the caller that claimed <paramref name="index"/> can be the first to ask for it.</remarks>
    public BatchSlot<TItem, TResult> GetSlot(int index)
    {
        int chunkIndex = index >> ChunkShift;
        BatchSlot<TItem, TResult>[] chunk = Volatile.Read(ref _chunks[chunkIndex]) ?? CreateChunk(chunkIndex);
        return chunk[index & (ChunkSize - 1)] ??= new BatchSlot<TItem, TResult>(this);
    }

    /// <summary>The most items this batch can hold: the MaxBatchSize it was created for.</summary>
    public int Capacity => _maxBatchSize;

    private BatchSlot<TItem, TResult>[] CreateChunk(int chunkIndex)
    {
        var chunk = new BatchSlot<TItem, TResult>[Math.Min(ChunkSize, _maxBatchSize - (chunkIndex << ChunkShift))];
        return Interlocked.CompareExchange(ref _chunks[chunkIndex], chunk, null) ?? chunk;
    }

    // How many batches one thread runs back to back before it lets other queued work in.
    private const int MaxChainLength = 16;

    // The batch this thread will run next, when a batch it is finishing dispatched one. Set only while a thread runs
    // batches, never while it resumes callers.
    [ThreadStatic]
    private static Batch<TItem, TResult>? t_next;

    [ThreadStatic]
    private static bool t_runningBatch;

    /// <summary>Starts the run of a sealed, fully published batch of <paramref name="claimedCount"/> slots.</summary>
    public void Dispatch(int claimedCount, long firstItemTimestamp, DispatchReason reason)
    {
        _claimedCount = claimedCount;
        _firstItemTimestamp = firstItemTimestamp;
        _dispatchReason = reason;
        // Callers that cancelled while queued may already have released theirs, taking the count below zero.
        int references = Interlocked.Add(ref _references, claimedCount + 1);
        Debug.Assert(references >= 1, "A batch was dispatched with more references released than it had callers.");
        if (t_runningBatch && t_next is null)
        {
            t_next = this;
        }
        else
        {
            WorkItems.Queue(this, preferLocal: true);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        t_runningBatch = true;
        try
        {
            if (Interlocked.Exchange(ref _completedElsewhere, 0) != 0)
            {
                OnBatchFunctionCompleted();
            }
            else
            {
                Run();
            }

            Batch<TItem, TResult>? batch = t_next;
            t_next = null;
            for (int chained = 1; batch is not null; chained++)
            {
                batch.Run();
                batch = t_next;
                t_next = null;
                if (batch is not null && chained == MaxChainLength)
                {
                    WorkItems.Queue(batch, preferLocal: false);
                    batch = null;
                }
            }
        }
        finally
        {
            t_runningBatch = false;
        }
    }

    private void Run()
    {
        int claimed = _claimedCount;
        _items.Open(claimed);
        bool cancellable = false;
        for (int i = 0; i < claimed; i++)
        {
            BatchSlot<TItem, TResult> slot = GetSlot(i);

            // Read the item first: once the slot is running, its caller may cancel, be resumed and consume the slot,
            // which clears the item. While it is queued the caller cannot have consumed it.
            TItem item = slot.Item;
            slot.InRun = slot.TryStartRunning();
            SchedulingPoint.Here("a slot started running");
            if (slot.InRun)
            {
                _items.Add(item);
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
            _pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onBatchFunctionCompletedElsewhere);
        }
    }

    // The thread that completed the batch function's task may be anyone's (an I/O callback, a caller of
    // TaskCompletionSource.SetResult): the rest of the run, callers' continuations included, moves to a runner.
    private void OnBatchFunctionCompletedElsewhere()
    {
        Volatile.Write(ref _completedElsewhere, 1);
        WorkItems.Queue(this, preferLocal: true);
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

        // Each caller is counted by what it received: one that cancelled meanwhile was counted when it did.
        int slotIndex = 0, succeeded = 0, failed = 0;
        Func<TResult, bool>? isFailure = _owner.IsFailedResult;
        try
        {
            int resultIndex = 0;
            for (; slotIndex < _claimedCount; slotIndex++)
            {
                BatchSlot<TItem, TResult> slot = GetSlot(slotIndex);
                if (slot.InRun)
                {
                    TResult result = results[resultIndex++];
                    bool completed = slot.TryComplete(result);
                    SchedulingPoint.Here("a slot was given its result");
                    if (completed)
                    {
                        if (isFailure?.Invoke(result) == true)
                        {
                            failed++;
                        }
                        else
                        {
                            succeeded++;
                        }
                    }
                }
            }
        }
        catch (Exception exception)
        {
            // A result list whose indexer throws: the callers already served keep their results.
            failed += FailSlots(exception, slotIndex);
            Finish(BatchOutcome.Failure, count, succeeded, failed, exception);
            return;
        }

        Finish(BatchOutcome.Success, count, succeeded, failed);
    }

    private void Fail(Exception exception, int count)
    {
        // A function that gives up because every caller left is expected; anything else must reach someone.
        bool expected = exception is OperationCanceledException && _cancellation?.IsCancellationRequested == true;
        int failed = FailSlots(exception, 0);
        if (failed == 0 && !expected)
        {
            _owner.OnUnobservedBatchFailure(exception, count);
        }

        Finish(BatchOutcome.Failure, count, succeeded: 0, failed, exception);
    }

    // Returns how many callers received the failure; the others had cancelled.
    private int FailSlots(Exception exception, int fromIndex)
    {
        int failed = 0;
        for (int i = fromIndex; i < _claimedCount; i++)
        {
            BatchSlot<TItem, TResult> slot = GetSlot(i);
            if (slot.InRun && slot.TryCompleteWithError(exception))
            {
                failed++;
            }

            SchedulingPoint.Here("a slot was given its batch's failure");
        }

        return failed;
    }

    private void Finish(BatchOutcome outcome, int count, int succeeded = 0, int failed = 0, Exception? exception = null)
    {
        _items.Close();
        if (outcome == BatchOutcome.Skipped)
        {
            _owner.OnBatchFinished(outcome, count, succeeded, failed, resumesCallers: false);
            ReleaseReference();
            return;
        }

        long end = _owner.TimeProvider.GetTimestamp();
        MicroBatchingTelemetry.RecordBatch(
            _owner.TelemetryTags,
            outcome,
            _dispatchReason,
            count,
            succeeded,
            failed,
            waitTime: _owner.TimeProvider.GetElapsedTime(_firstItemTimestamp, _startTimestamp),
            duration: _owner.TimeProvider.GetElapsedTime(_startTimestamp, end));
        StopActivity(exception);

        // Free the concurrency slot before resuming anyone: the next batch need not wait for these callers.
        _owner.OnBatchFinished(outcome, count, succeeded, failed, resumesCallers: true);
        _resumption.Start(_claimedCount);
        if (t_next is not null)
        {
            // This thread runs the next batch; the callers are resumed elsewhere.
            _resumption.RunElsewhere();
            return;
        }

        // Resume here, without taking batches on meanwhile: a continuation that blocks must not hold one up.
        bool runningBatch = t_runningBatch;
        t_runningBatch = false;
        try
        {
            _resumption.Run();
        }
        finally
        {
            t_runningBatch = runningBatch;
        }
    }

    /// <summary>The batcher's clock.</summary>
    public TimeProvider Clock => _owner.TimeProvider;

    /// <summary>Resumes the caller at <paramref name="index"/> if this run completed it; called by the resumption's runners.</summary>
    public void ResumeCallerAt(int index)
    {
        BatchSlot<TItem, TResult> slot = GetSlot(index);
        if (slot.AwaitsResume)
        {
            Resume(slot);
        }
    }

    /// <summary>Called once every caller of the run has been resumed.</summary>
    public void OnCallersResumed()
    {
        _owner.OnCallersResumed();
        ReleaseReference();
    }

    /// <summary>Resumes the caller of a slot that cancelled; runs as that slot's own work item.</summary>
    public void ResumeCancelled(BatchSlot<TItem, TResult> slot) => Resume(slot);

    private void Resume(BatchSlot<TItem, TResult> slot)
    {
        try
        {
            slot.Resume();
        }
        catch (Exception exception)
        {
            // Only a hand-written continuation can throw here; it must not cost the other callers their results.
            _owner.OnContinuationFailure(exception);
        }
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
        if (_callerContexts is not null)
        {
            Array.Clear(_callerContexts, 0, _claimedCount);
        }

        _claimedCount = 0;
        _runningCount = int.MaxValue;
        _cancelledWhileRunning = 0;
        if (_cancellation is not null && !_cancellation.TryReset())
        {
            _cancellation.Dispose();
            _cancellation = null;
        }
    }
}
