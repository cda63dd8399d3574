namespace MicroBatching;

/// <summary>
/// Bounds the node calls that the online path of a <see cref="BatchDagAttribute"/> graph (<c>ExecuteAsync</c>) runs at
/// once across the graph, to <see cref="BatchDagOptions.MaxParallelism"/>. Each node's batcher still bounds its own calls
/// (<c>MaxConcurrency</c>); the gate bounds them all together. Generated code creates one per graph object (per type for
/// a static graph), when the first execution needs it.
/// </summary>
/// <remarks>Waiters are admitted in arrival order. A caller that cancels while waiting leaves without running its call.</remarks>
public sealed class BatchDagGate
{
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates a gate that lets <paramref name="maxParallelism"/> calls run at once.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxParallelism"/> is below 1.</exception>
    public BatchDagGate(int maxParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        MaxParallelism = maxParallelism;
        _slots = new SemaphoreSlim(maxParallelism, maxParallelism);
    }

    /// <summary>How many calls may run at once.</summary>
    public int MaxParallelism { get; }

    /// <summary>How many calls are running now.</summary>
    public int Running => MaxParallelism - _slots.CurrentCount;

    /// <summary>Waits for a free slot, then runs <paramref name="call"/> with it and frees it when the call completes.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while the call waited.</exception>
    public async ValueTask<TResult> RunAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
