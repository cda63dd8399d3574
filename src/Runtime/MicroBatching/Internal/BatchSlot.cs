using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace MicroBatching.Internal;

/// <summary>
/// One caller's place in a batch: holds its item and completes its <see cref="ValueTask{TResult}"/>.
/// Slots belong to their batch and are reused with it, so a call allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// Life of a slot: <c>Free</c> → <c>Queued</c> (claimed by a caller) → <c>Running</c> (handed to the batch function)
/// → <c>Completed</c>; or <c>Queued</c>/<c>Running</c> → <c>Cancelled</c> when the caller's token fires first. Every move
/// out of <c>Queued</c> or <c>Running</c> is a compare-and-swap, so each caller is completed exactly once.
/// </para>
/// <para>
/// Completing is two steps: the outcome is recorded (<see cref="TryComplete"/>), then the caller is resumed
/// (<see cref="Resume"/>), which runs its continuation on the calling thread. The batch resumes its callers from
/// thread-pool runners, never from the thread that submits items or runs the pump; a cancelled slot resumes its
/// caller from a work item of its own, never from the thread that cancelled.
/// </para>
/// </remarks>
internal sealed class BatchSlot<TItem, TResult> : IValueTaskSource<TResult>, IThreadPoolWorkItem
{
    private const int Free = 0;
    private const int Queued = 1;
    private const int Running = 2;
    private const int Completed = 3;
    private const int Cancelled = 4;

    private static readonly Action<object?, CancellationToken> s_onCancellationRequested =
        static (state, token) => ((BatchSlot<TItem, TResult>)state!).OnCancellationRequested(token);

    private readonly Batch<TItem, TResult> _batch;
    private ManualResetValueTaskSourceCore<TResult> _completion;
    private CancellationTokenRegistration _registration;
    private bool _cancellable;
    private int _state;
    private TResult _result = default!;
    private Exception? _error;

    public BatchSlot(Batch<TItem, TResult> batch)
    {
        _batch = batch;
        // Continuations run where Resume is called, which is always a thread-pool work item of the batch's own.
        _completion.RunContinuationsAsynchronously = false;
    }

    public TItem Item = default!;

    /// <summary>Whether the current run of the batch handed this slot's item to the batch function.</summary>
    public bool InRun;

    public short Version => _completion.Version;

    public bool IsCancellable => _cancellable;

    /// <summary>Takes the item of a new caller. Only the caller that claimed the slot calls this, before publishing it.</summary>
    public void Enqueue(TItem item, CancellationToken cancellationToken)
    {
        Debug.Assert(_state == Free, "A slot was claimed while its previous caller still held it.");
        Item = item;
        _state = Queued;
        _cancellable = cancellationToken.CanBeCanceled;
        if (_cancellable)
        {
            // If the token fires during registration the callback runs inline and cancels the slot before anyone saw it.
            _registration = cancellationToken.UnsafeRegister(s_onCancellationRequested, this);
        }
    }

    /// <summary>Moves a queued slot into the running batch; false if its caller has cancelled.</summary>
    public bool TryStartRunning()
    {
        if (!_cancellable)
        {
            Debug.Assert(_state == Queued, "A slot started running from a state other than queued.");
            _state = Running;
            return true;
        }

        return Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;
    }

    /// <summary>Whether this run completed the slot and its caller still has to be resumed.</summary>
    public bool AwaitsResume;

    /// <summary>Records the result for the caller, unless it has cancelled; <see cref="Resume"/> delivers it.</summary>
    public bool TryComplete(TResult result)
    {
        if (!TryMarkCompleted())
        {
            return false;
        }

        _result = result;
        AwaitsResume = true;
        return true;
    }

    /// <summary>Records the failure for the caller, unless it has cancelled; <see cref="Resume"/> delivers it.</summary>
    public bool TryCompleteWithError(Exception exception)
    {
        if (!TryMarkCompleted())
        {
            return false;
        }

        _error = exception;
        AwaitsResume = true;
        return true;
    }

    /// <summary>Completes the caller's task with the recorded outcome, running its continuation on this thread.</summary>
    public void Resume()
    {
        Debug.Assert(_state is Completed or Cancelled, "A caller resumed before its outcome was recorded.");
        AwaitsResume = false;
        Exception? error = _error;
        TResult result = _result;
        _error = null;
        _result = default!;
        if (error is null)
        {
            _completion.SetResult(result);
        }
        else
        {
            _completion.SetException(error);
        }
    }

    void IThreadPoolWorkItem.Execute() => _batch.ResumeCancelled(this);

    private bool TryMarkCompleted()
    {
        if (!_cancellable)
        {
            Debug.Assert(_state == Running, "A slot completed that was not running.");
            _state = Completed;
            return true;
        }

        return Interlocked.CompareExchange(ref _state, Completed, Running) == Running;
    }

    private void OnCancellationRequested(CancellationToken token)
    {
        int state = Volatile.Read(ref _state);
        while (state is Queued or Running)
        {
            SchedulingPoint.Here("a cancellation is about to mark its slot");
            int seen = Interlocked.CompareExchange(ref _state, Cancelled, state);
            if (seen == state)
            {
                // The batch must learn of the cancellation before the caller can observe it: once the caller has
                // consumed its result the batch may be recycled.
                if (state == Queued)
                {
                    _batch.OnQueuedItemCancelled();
                }
                else
                {
                    _batch.OnRunningItemCancelled();
                }

                // Resume the caller from a work item: running its continuation here would run it inside Cancel().
                _error = new OperationCanceledException(token);
                WorkItems.Queue(this, preferLocal: false);
                return;
            }

            state = seen;
        }
    }

    public TResult GetResult(short token)
    {
        if (token != _completion.Version || _completion.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            ThrowHelper.ThrowValueTaskMisused();
        }

        // Waits for a cancellation callback still running on another thread, so the slot is quiet before reuse.
        _registration.Dispose();
        _registration = default;
        try
        {
            return _completion.GetResult(token);
        }
        finally
        {
            Item = default!;
            _state = Free;
            _completion.Reset();
            _batch.ReleaseReference();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        if (token != _completion.Version)
        {
            ThrowHelper.ThrowValueTaskMisused();
        }

        return _completion.GetStatus(token);
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if (token != _completion.Version)
        {
            ThrowHelper.ThrowValueTaskMisused();
        }

        _completion.OnCompleted(continuation, state, token, flags);
    }
}
