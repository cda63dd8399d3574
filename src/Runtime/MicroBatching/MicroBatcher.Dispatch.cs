using System.Diagnostics;
using MicroBatching.Internal;

namespace MicroBatching;

// How batches move from open to sealed to running: the chain of batch nodes, the pump that dispatches them in order,
// the timer, and the callbacks a running batch makes.
public sealed partial class MicroBatcher<TItem, TResult>
{
    private BatcherCounters _counters;
    private int _resumingBatches;
    private long _batchesCreated;

    private static readonly TimeSpan s_earlyTimerRearmFloor = TimeSpan.FromMilliseconds(1);

    // When the armed timer fires, as a TimeProvider timestamp; long.MaxValue while it is not armed.
    private long _timerDue = long.MaxValue;

    private void OnFirstItem(BatchNode<TItem, TResult> node)
    {
        BatchingSettings settings = node.Settings;
        if (settings.MaxWaitTime == TimeSpan.Zero)
        {
            node.MarkExpired();
            RequestPump();
            return;
        }

        if (settings.IsAdaptive)
        {
            // An idle batcher dispatches at once; a busy one waits for the timer like a timed one.
            RequestPump();
            if (BatchNode<TItem, TResult>.IsSealed(node.State))
            {
                return;
            }
        }

        ArmTimer(node);
    }

    // Arms the timer for the deadline of the node's batch, unless it is already due no later: deadlines only grow, so a
    // firing re-arms for whichever batch is open then. Under load that makes the timer fire once per MaxWait rather than
    // being re-armed by every batch. A caller that arms late for an older batch can only make the timer fire early.
    private void ArmTimer(BatchNode<TItem, TResult> node, TimeSpan floor = default)
    {
        long now = TimeProvider.GetTimestamp();
        TimeSpan remaining = node.Settings.MaxWaitTime - TimeProvider.GetElapsedTime(node.FirstItemTimestamp, now);
        if (remaining < floor)
        {
            remaining = floor;
        }

        long due = now + (long)(remaining.TotalSeconds * TimeProvider.TimestampFrequency);
        if (Volatile.Read(ref _timerDue) <= due)
        {
            return;
        }

        Interlocked.Exchange(ref _timerDue, due);
        ITimer timer = Volatile.Read(ref _timer) ?? CreateTimer();
        timer.Change(remaining, Timeout.InfiniteTimeSpan);

        // A caller that armed for an earlier deadline after our exchange may have changed the timer before we did: ours
        // overrode it, so re-arm for the earliest. Checked after each change, so the last change made is never a late one.
        for (long armedFor = due, earliest = Volatile.Read(ref _timerDue); earliest < armedFor; earliest = Volatile.Read(ref _timerDue))
        {
            armedFor = earliest;
            long current = TimeProvider.GetTimestamp();
            timer.Change(earliest > current ? TimeProvider.GetElapsedTime(current, earliest) : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        try
        {
            // Disarmed first (a full fence), so a batch opening meanwhile either arms the timer itself or is seen below.
            Interlocked.Exchange(ref _timerDue, long.MaxValue);
            BatchNode<TItem, TResult> node = Volatile.Read(ref _open);
            if (!node.HasFirstItem || BatchNode<TItem, TResult>.IsSealed(node.State))
            {
                // Nothing waits, or a newer batch has opened: its first caller arms the timer.
                return;
            }

            if (TimeProvider.GetElapsedTime(node.FirstItemTimestamp) < node.Settings.MaxWaitTime)
            {
                // The clock's timer fired early. Re-arming for at least a millisecond keeps a timer that keeps firing
                // early (a fraction of its due time, or a tick too soon) from calling back in a loop at the same instant.
                ArmTimer(node, s_earlyTimerRearmFloor);
                return;
            }

            node.MarkExpired();
            RequestPump();
        }
        catch (Exception exception)
        {
            Log.TimerFailed(_logger, exception, Name);
        }
    }

    // What escaped OnTimer's own handler (a logger that throws) and reached the precise timer thread.
    private void OnTimerFailure(Exception exception) => Log.TimerFailed(_logger, exception, Name);

    private void OnSealed(int claimedCount) => _counters.OnSealed(claimedCount);

    // Makes sure the sealed node has a successor and that _open has moved past it; any thread may help.
    private BatchNode<TItem, TResult> AdvanceOpen(BatchNode<TItem, TResult> sealedNode)
    {
        BatchNode<TItem, TResult>? next = sealedNode.Next;
        if (next is null)
        {
            BatchNode<TItem, TResult> candidate = Volatile.Read(ref _disposeState) != 0
                ? _terminal
                : OpenNode();
            SchedulingPoint.Here("a successor batch is about to be linked");
            next = sealedNode.LinkNext(candidate);
            if (!ReferenceEquals(next, candidate) && candidate.Batch is not null)
            {
                ReturnToPool(candidate.Batch);
            }
        }

        Interlocked.CompareExchange(ref _open, next, sealedNode);
        return next;
    }

    // Seals a batch that cannot take the next item's cost (unless another thread sealed it first) and moves past it.
    private void SealForCost(BatchNode<TItem, TResult> node)
    {
        node.MarkFullByCost();
        if (node.TrySeal(out int claimedCount))
        {
            OnSealed(claimedCount);
            AdvanceOpen(node);

            // Every claimed place may already be published: then no publish is left to request the dispatch.
            RequestPump();
            return;
        }

        AdvanceOpen(node);
    }

    private void SealForDrain()
    {
        while (true)
        {
            BatchNode<TItem, TResult> node = Volatile.Read(ref _open);
            if (node.IsTerminal)
            {
                return;
            }

            if (node.TrySeal(out int claimedCount))
            {
                OnSealed(claimedCount);
            }

            AdvanceOpen(node);
        }
    }

    // Every event that may let a batch start (sealed, published, expired, a slot freed, disposal) requests a pump. One
    // thread pumps at a time; a request that arrives meanwhile makes it go round again, so none is lost.
    private void RequestPump()
    {
        if (Interlocked.Increment(ref _pumpRequests) != 1)
        {
            return;
        }

        int handled = 1;
        while (true)
        {
            Pump();
            handled = Interlocked.Add(ref _pumpRequests, -handled);
            Debug.Assert(handled >= 0, "More pump requests handled than made.");
            if (handled == 0)
            {
                return;
            }
        }
    }

    /// <summary>Checks what holds whenever the pump runs, as System.Threading.Channels does; compiled in Debug only.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(Volatile.Read(ref _runningBatches) >= 0, "Negative count of running batches.");
        Debug.Assert(Volatile.Read(ref _resumingBatches) >= 0, "Negative count of batches resuming callers.");
        Debug.Assert(Volatile.Read(ref _pumpRequests) >= 1, "The pump runs without a request.");
        Debug.Assert(!_head.IsTerminal || Volatile.Read(ref _disposeState) != 0, "The chain ended while the batcher accepts items.");
        Debug.Assert(ReferenceEquals(_head, Volatile.Read(ref _open)) || BatchNode<TItem, TResult>.IsSealed(_head.State),
            "A batch before the open one still accepts items.");
    }

    private void Pump()
    {
        AssertInvariants();
        while (true)
        {
            BatchNode<TItem, TResult> head = _head;
            if (head.IsTerminal)
            {
                if (Volatile.Read(ref _runningBatches) == 0 && Volatile.Read(ref _resumingBatches) == 0)
                {
                    OnDrained();
                }

                return;
            }

            long state = head.State;
            if (!BatchNode<TItem, TResult>.IsSealed(state))
            {
                // The open batch. It is sealed only when a slot is free to run it: until then it keeps growing.
                int running = Volatile.Read(ref _runningBatches);
                if (BatchNode<TItem, TResult>.ClaimedCount(state) == 0 || !HasFreeSlot(running) ||
                    !(head.IsExpired || (head.Settings.IsAdaptive && running == 0)))
                {
                    return;
                }

                if (head.TrySeal(out int claimedCount))
                {
                    OnSealed(claimedCount);
                    AdvanceOpen(head);
                }

                continue;
            }

            if (!BatchNode<TItem, TResult>.IsReady(state))
            {
                // A caller is still writing its item; its publish requests the next pump.
                return;
            }

            BatchNode<TItem, TResult> next = AdvanceOpen(head);
            Batch<TItem, TResult> batch = head.Batch!;
            int count = BatchNode<TItem, TResult>.ClaimedCount(state);
            if (count == 0)
            {
                _head = next;
                ReturnToPool(batch);
                continue;
            }

            int runningBefore = Volatile.Read(ref _runningBatches);
            if (!HasFreeSlot(runningBefore))
            {
                return;
            }

            SchedulingPoint.Here("a batch is about to take a concurrency slot");
            int runningNow = Interlocked.Increment(ref _runningBatches);
            Debug.Assert(runningNow <= runningBefore + 1, "A concurrency slot taken by someone other than the pump.");
            _counters.OnBatchDispatched();
            _head = next;
            batch.Dispatch(count, head.FirstItemTimestamp, ReasonFor(head, count));
        }
    }

    // Read once the batch is sealed: every flag is written before the seal, so the pump sees the ones that apply.
    private DispatchReason ReasonFor(BatchNode<TItem, TResult> node, int count) =>
        count == node.Settings.MaxBatchSize ? DispatchReason.Size :
        node.IsFullByCost ? DispatchReason.Cost :
        node.IsExpired ? DispatchReason.Time :
        Volatile.Read(ref _disposeState) != 0 ? DispatchReason.Drain :
        DispatchReason.Adaptive;

    private void OnDrained()
    {
        if (_drained.Task.IsCompleted)
        {
            return;
        }

        _timer?.Dispose();
        MicroBatchingTelemetry.Untrack(this);
        _drained.TrySetResult();
    }

    // Only the pump takes a slot, so the check and the increment after it need no compare-and-swap.
    private bool HasFreeSlot(int running) => running < Volatile.Read(ref _settings).MaxConcurrentBatches;

    private BatchNode<TItem, TResult> OpenNode()
    {
        BatchingSettings settings = Volatile.Read(ref _settings);
        return new BatchNode<TItem, TResult>(RentBatch(settings), settings);
    }

    private Batch<TItem, TResult> RentBatch(BatchingSettings settings)
    {
        while (_pool.TryDequeue(out Batch<TItem, TResult>? batch))
        {
            if (batch.Capacity >= settings.MaxBatchSize)
            {
                return batch;
            }

            // Too small since MaxBatchSize grew: let it go, so the pool fills with batches of the new size.
            Interlocked.Decrement(ref _batchesCreated);
        }

        Interlocked.Increment(ref _batchesCreated);
        return new Batch<TItem, TResult>(this, settings.MaxBatchSize);
    }

    internal void ReturnToPool(Batch<TItem, TResult> batch)
    {
        _pool.Enqueue(batch);
        Debug.Assert(_pool.Count <= Volatile.Read(ref _batchesCreated), "More batches returned to the pool than were created.");
    }

    /// <summary>Batches this batcher has created; once it is drained and every caller has read its result, all are pooled.</summary>
    internal long BatchesCreated => Volatile.Read(ref _batchesCreated);

    /// <summary>Batches waiting in the pool for reuse.</summary>
    internal int BatchesPooled => _pool.Count;

    internal void OnItemsDispatched(int count)
    {
        _capacity?.Release(count);
        _counters.OnItemsDispatched(count);
    }

    internal void OnQueuedItemCancelled()
    {
        _capacity?.Release(1);
        _counters.OnQueuedItemCancelled();
        MicroBatchingTelemetry.RecordCancelled(TelemetryTags);
    }

    internal void OnRunningItemCancelled()
    {
        _counters.OnRunningItemCancelled();
        MicroBatchingTelemetry.RecordCancelled(TelemetryTags);
    }

    internal void OnBatchFinished(BatchOutcome outcome, int count, int succeeded, int failed, bool resumesCallers)
    {
        if (resumesCallers)
        {
            // Counted before the slot is freed, so a drain never sees the batch as done while its callers wait.
            Interlocked.Increment(ref _resumingBatches);
        }

        if (outcome != BatchOutcome.Skipped)
        {
            _counters.OnBatchFinished(outcome == BatchOutcome.Success, count, succeeded, failed);
        }

        int running = Interlocked.Decrement(ref _runningBatches);
        Debug.Assert(running >= 0, "More concurrency slots freed than taken.");
        RequestPump();
    }

    internal void OnCallersResumed()
    {
        int resuming = Interlocked.Decrement(ref _resumingBatches);
        Debug.Assert(resuming >= 0, "A batch finished resuming callers twice.");
        RequestPump();
    }

    internal void OnContinuationFailure(Exception exception) =>
        Log.ContinuationFailed(_logger, exception, Name);

    internal void OnUnobservedBatchFailure(Exception exception, int count) =>
        Log.UnobservedBatchFailure(_logger, exception, Name, count);

    internal void OnCancellationCallbackFailure(Exception exception) =>
        Log.CancellationCallbackFailed(_logger, exception, Name);
}
