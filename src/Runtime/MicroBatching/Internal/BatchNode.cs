using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// One batch as it accumulates: callers claim places in it, it is sealed when full, expired or drained, and it links to
/// the batch after it, so batches are dispatched in arrival order.
/// </summary>
/// <remarks>
/// Nodes are never reused (one small object per batch), so a thread holding a stale reference can only ever see a sealed
/// node; that rules out ABA races on the compare-and-swaps below. The reusable part, slots and buffers, is the
/// <see cref="Batch{TItem, TResult}"/> the node points to.
/// <para>
/// The state word packs the number of claimed places, the number of published places (claimed and fully written)
/// and two flags. A batch is ready for dispatch when it is sealed and every claimed place is published; exactly one
/// thread observes that transition.
/// </para>
/// </remarks>
internal sealed class BatchNode<TItem, TResult>
{
    private const int CountBits = 21; // 2^21 > MicroBatchDefaults.MaxBatchSizeLimit
    private const long CountMask = (1L << CountBits) - 1;
    private const long PublishedOne = 1L << CountBits;
    private const long SealedFlag = 1L << 60;
    private const long TerminalFlag = 1L << 61;

    private long _state;
    private const long NoTimestamp = long.MinValue;

    private long _firstItemTimestamp = NoTimestamp;
    private int _expired;
    private int _sealedByCost;

    // The cost reserved by callers that are claiming or have claimed a place; only grows. Used only under a cost bound.
    private long _reservedCost;
    private BatchNode<TItem, TResult>? _next;

    public BatchNode(Batch<TItem, TResult>? batch, BatchingSettings settings)
    {
        Debug.Assert(batch is null || batch.Capacity >= settings.MaxBatchSize, "A batch too small for the settings it opens under.");
        Batch = batch;
        Settings = settings;
    }

    /// <summary>Creates the node that ends the chain once the batcher is draining: it accepts nothing.</summary>
    public static BatchNode<TItem, TResult> CreateTerminal(BatchingSettings settings) =>
        new(batch: null, settings) { _state = SealedFlag | TerminalFlag };

    /// <summary>The rules this batch opened under; it keeps them if the batcher is reconfigured meanwhile.</summary>
    public BatchingSettings Settings { get; }

    /// <summary>The slots and buffers of this batch; <see langword="null"/> only for the terminal node.</summary>
    public Batch<TItem, TResult>? Batch { get; }

    public BatchNode<TItem, TResult>? Next => Volatile.Read(ref _next);

    public long State => Volatile.Read(ref _state);

    public bool IsTerminal => (State & TerminalFlag) != 0;

    /// <summary>The cost reserved in this batch so far, at least that of the items claimed in it.</summary>
    public long ReservedCost => Volatile.Read(ref _reservedCost);

    public bool IsExpired => Volatile.Read(ref _expired) != 0;

    /// <summary>Whether a cost bound closed the batch; written before the seal, so whoever sees it sealed sees this too.</summary>
    public bool IsFullByCost => Volatile.Read(ref _sealedByCost) != 0;

    /// <summary>Records that a cost bound is closing the batch; call before sealing it.</summary>
    public void MarkFullByCost() => Volatile.Write(ref _sealedByCost, 1);

    /// <summary>When the first item was claimed, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long FirstItemTimestamp => Volatile.Read(ref _firstItemTimestamp);

    /// <summary>Whether <see cref="FirstItemTimestamp"/> has been recorded.</summary>
    public bool HasFirstItem => FirstItemTimestamp != NoTimestamp;

    public static bool IsSealed(long state) => (state & SealedFlag) != 0;

    public static int ClaimedCount(long state) => (int)(state & CountMask);

    public static int PublishedCount(long state) => (int)((state >> CountBits) & CountMask);

    public static bool IsReady(long state) => IsSealed(state) && PublishedCount(state) == ClaimedCount(state);

    /// <summary>Checks what must hold of any state word this node can be in: published ≤ claimed, and a terminal node is sealed.</summary>
    [Conditional("DEBUG")]
    private static void AssertInvariants(long state)
    {
        Debug.Assert(PublishedCount(state) <= ClaimedCount(state), "More places published than claimed.");
        Debug.Assert(ClaimedCount(state) <= MicroBatchDefaults.MaxBatchSizeLimit, "More places claimed than a batch can hold.");
        Debug.Assert((state & TerminalFlag) == 0 || IsSealed(state), "A terminal node that accepts items.");
    }

    /// <summary>Claims the next place; returns its index, or -1 if the batch is sealed. Claiming the last place seals it.</summary>
    public int TryClaim(int maxBatchSize)
    {
        long state = Volatile.Read(ref _state);
        while (!IsSealed(state))
        {
            int index = ClaimedCount(state);
            long next = state + 1;
            if (index + 1 == maxBatchSize)
            {
                next |= SealedFlag;
            }

            long seen = Interlocked.CompareExchange(ref _state, next, state);
            if (seen == state)
            {
                Debug.Assert(index < maxBatchSize, "A place claimed beyond MaxBatchSize.");
                AssertInvariants(next);
                return index;
            }

            state = seen;
        }

        return -1;
    }

    /// <summary>
    /// Reserves <paramref name="cost"/> before a place is claimed; false if it does not fit under
    /// <paramref name="maxBatchCost"/>. A reservation whose claim then fails stays: the batch was sealed meanwhile, so it
    /// matters no more. An item that alone costs more than the bound fits into a batch with nothing reserved, to run alone.
    /// </summary>
    public bool TryReserveCost(int cost, long maxBatchCost)
    {
        Debug.Assert(cost >= 0 && maxBatchCost > 0, "A negative cost, or a reservation without a cost bound.");
        long reserved = Volatile.Read(ref _reservedCost);
        while (true)
        {
            long next = reserved + cost;
            if (next > maxBatchCost && reserved > 0)
            {
                return false;
            }

            long seen = Interlocked.CompareExchange(ref _reservedCost, next, reserved);
            if (seen == reserved)
            {
                return true;
            }

            reserved = seen;
        }
    }

    /// <summary>Marks a claimed place as written; true if that made the batch ready for dispatch.</summary>
    public bool Publish()
    {
        long state = Interlocked.Add(ref _state, PublishedOne);
        AssertInvariants(state);
        return IsReady(state);
    }

    /// <summary>Seals the batch if it still accepts items; returns false if it was already sealed.</summary>
    public bool TrySeal(out int claimedCount)
    {
        long state = Volatile.Read(ref _state);
        while (!IsSealed(state))
        {
            long seen = Interlocked.CompareExchange(ref _state, state | SealedFlag, state);
            if (seen == state)
            {
                AssertInvariants(state | SealedFlag);
                claimedCount = ClaimedCount(state);
                return true;
            }

            state = seen;
        }

        claimedCount = 0;
        return false;
    }

    /// <summary>Records when the first item arrived. Only the caller that claimed place 0 calls this.</summary>
    public void SetFirstItemTimestamp(long timestamp) => Volatile.Write(ref _firstItemTimestamp, timestamp);

    /// <summary>Marks the batch's wait as over: it is dispatched as soon as a concurrency slot is free.</summary>
    public void MarkExpired() => Volatile.Write(ref _expired, 1);

    /// <summary>Links the batch that follows this one; returns the node that won if another thread linked one first.</summary>
    public BatchNode<TItem, TResult> LinkNext(BatchNode<TItem, TResult> candidate)
    {
        Debug.Assert(IsSealed(State), "A successor linked to a batch that still accepts items.");
        return Interlocked.CompareExchange(ref _next, candidate, null) ?? candidate;
    }
}
