using System.Collections.Concurrent;
using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// Bounds the items accepted but not yet dispatched. Units are taken by callers and given back when their items are
/// dispatched or cancelled; callers that find no room wait in arrival order.
/// </summary>
/// <remarks>
/// The queue is never peeked: <see cref="ConcurrentQueue{T}.TryPeek"/> freezes its segment, so every later enqueue would
/// allocate a new one and dequeued waiters would stay referenced. The granting thread takes the head off the queue
/// instead and keeps it in <see cref="_head"/> until it can be admitted.
/// </remarks>
internal sealed class CapacityGate
{
    private readonly ConcurrentQueue<CapacityWaiter> _waiters = new();

    // Units free: 0 ≤ _available ≤ capacity.
    private int _available;

    // Waiters queued or held in _head and not yet admitted, failed or dropped: 0 ≤ _waiting. While it is above zero a
    // newcomer queues instead of taking a unit, so waiters are admitted in arrival order.
    private int _waiting;

    // The oldest waiter, taken off the queue by the granting thread; only the granting thread reads or writes it.
    private CapacityWaiter? _head;

    private int _grantRequests;
    private Exception? _closedException;

    public CapacityGate(int capacity) => _available = capacity;

    /// <summary>Takes one unit if one is free and nobody is waiting for it.</summary>
    public bool TryAcquire() => Volatile.Read(ref _waiting) == 0 && TryTakeUnit();

    /// <summary>Waits, behind earlier waiters, for one unit.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var waiter = new CapacityWaiter(cancellationToken);
        Interlocked.Increment(ref _waiting);
        _waiters.Enqueue(waiter);
        // A unit may have been released between TryAcquire and the enqueue; granting now closes that gap.
        GrantWaiters();
        return waiter.Task;
    }

    public void Release(int count)
    {
        if (count == 0)
        {
            return;
        }

        Interlocked.Add(ref _available, count);
        if (Volatile.Read(ref _waiting) != 0)
        {
            GrantWaiters();
        }
    }

    /// <summary>Fails every current and future waiter with <paramref name="exception"/>.</summary>
    public void Close(Exception exception)
    {
        Volatile.Write(ref _closedException, exception);
        GrantWaiters();
    }

    private bool TryTakeUnit()
    {
        int available = Volatile.Read(ref _available);
        while (available > 0)
        {
            int seen = Interlocked.CompareExchange(ref _available, available - 1, available);
            if (seen == available)
            {
                return true;
            }

            available = seen;
        }

        return false;
    }

    // One thread at a time hands out units, so the queue head is never granted twice; requests that arrive meanwhile
    // make it go round again.
    private void GrantWaiters()
    {
        if (Interlocked.Increment(ref _grantRequests) != 1)
        {
            return;
        }

        int handled = 1;
        while (true)
        {
            GrantWaitersExclusive();
            handled = Interlocked.Add(ref _grantRequests, -handled);
            if (handled == 0)
            {
                return;
            }
        }
    }

    private void GrantWaitersExclusive()
    {
        while (true)
        {
            CapacityWaiter? waiter = _head;
            if (waiter is null && !_waiters.TryDequeue(out waiter))
            {
                return;
            }

            _head = waiter;
            if (waiter.Task.IsCompleted)
            {
                // Cancelled while it waited.
                Leave();
                continue;
            }

            Exception? closed = Volatile.Read(ref _closedException);
            if (closed is not null)
            {
                Leave();
                waiter.TryFail(closed);
                continue;
            }

            SchedulingPoint.Here("a waiter is about to be given a unit");
            if (!TryTakeUnit())
            {
                // Stays at the head for the next release.
                return;
            }

            Leave();
            if (!waiter.TryGrant())
            {
                // Cancelled between the check and the grant: the unit goes back, and round again.
                Interlocked.Increment(ref _available);
            }
        }
    }

    private void Leave()
    {
        _head = null;
        int waiting = Interlocked.Decrement(ref _waiting);
        Debug.Assert(waiting >= 0, "More waiters left the gate than entered it.");
    }

    private sealed class CapacityWaiter : TaskCompletionSource
    {
        private readonly CancellationTokenRegistration _registration;

        public CapacityWaiter(CancellationToken cancellationToken)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.UnsafeRegister(
                    static (state, token) => ((CapacityWaiter)state!).TrySetCanceled(token), this);
            }
        }

        public bool TryGrant()
        {
            if (!TrySetResult())
            {
                return false;
            }

            _registration.Dispose();
            return true;
        }

        public void TryFail(Exception exception)
        {
            if (TrySetException(exception))
            {
                _registration.Dispose();
            }
        }
    }
}
