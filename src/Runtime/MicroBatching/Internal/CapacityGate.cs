using System.Collections.Concurrent;

namespace MicroBatching.Internal;

/// <summary>
/// Bounds the items accepted but not yet dispatched. Units are taken by callers and given back when their items are
/// dispatched or cancelled; callers that find no room wait in arrival order.
/// </summary>
internal sealed class CapacityGate
{
    private readonly ConcurrentQueue<CapacityWaiter> _waiters = new();
    private int _available;
    private int _grantRequests;
    private Exception? _closedException;

    public CapacityGate(int capacity) => _available = capacity;

    /// <summary>Takes one unit if one is free and nobody is waiting for it.</summary>
    public bool TryAcquire() => _waiters.IsEmpty && TryTakeUnit();

    /// <summary>Waits, behind earlier waiters, for one unit.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var waiter = new CapacityWaiter(cancellationToken);
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
        if (!_waiters.IsEmpty)
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
        while (_waiters.TryPeek(out CapacityWaiter? waiter))
        {
            if (waiter.Task.IsCompleted)
            {
                _waiters.TryDequeue(out _);
                continue;
            }

            Exception? closed = Volatile.Read(ref _closedException);
            if (closed is not null)
            {
                _waiters.TryDequeue(out _);
                waiter.TryFail(closed);
                continue;
            }

            if (!TryTakeUnit())
            {
                return;
            }

            _waiters.TryDequeue(out _);
            if (!waiter.TryGrant())
            {
                Interlocked.Increment(ref _available);
            }
        }
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
