using MicroBatching.Internal;

namespace MicroBatching;

// Changing the batching rules of a running batcher: each batch keeps the rules it opened under, the next one takes the new.
public sealed partial class MicroBatcher<TItem, TResult>
{
    /// <summary>
    /// Applies new batching rules without stopping the batcher: <see cref="MicroBatchOptions.MaxBatchSize"/>,
    /// <see cref="MicroBatchOptions.MaxWaitTime"/>, <see cref="MicroBatchOptions.MaxBatchCost"/>,
    /// <see cref="MicroBatchOptions.DispatchMode"/> and <see cref="MicroBatchOptions.Enabled"/> apply from the next batch
    /// opened (a batch already holding items keeps its own), and <see cref="MicroBatchOptions.MaxConcurrentBatches"/> from the
    /// next dispatch (running batches are never stopped; a lower bound holds once enough of them finish).
    /// </summary>
    /// <remarks>
    /// <see cref="MicroBatchOptions.QueueCapacity"/>, <see cref="MicroBatchOptions.QueueFullMode"/>,
    /// <see cref="MicroBatchOptions.ItemCost"/> and <see cref="MicroBatchOptions.Name"/> are fixed when the batcher is created;
    /// their values in <paramref name="options"/> are ignored. The values are copied. Safe to call from any thread, at
    /// any time; after disposal it has no effect.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the batcher keeps its rules.</exception>
    /// <exception cref="ArgumentException">
    /// <see cref="MicroBatchOptions.MaxBatchCost"/> is set but the batcher was created without an <see cref="MicroBatchOptions.ItemCost"/>.
    /// </exception>
    public void Reconfigure(MicroBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BatchingSettings settings = Volatile.Read(ref _settings);
        MicroBatchOptions current = settings.Options;
        MicroBatchOptions next = options.Clone();
        next.Name = current.Name;
        next.QueueCapacity = current.QueueCapacity;
        next.QueueFullMode = current.QueueFullMode;
        next.ItemCost = current.ItemCost;
        next.Validate(nameof(options));
        if (settings.HasSameRulesAs(next))
        {
            // A reloaded configuration that changed nothing for this batcher leaves its open batch alone.
            return;
        }

        Volatile.Write(ref _settings, new BatchingSettings(next, measuresItems: _itemCost is not null));
        ReopenIfEmpty();

        // A higher concurrency bound may let a waiting batch start now.
        RequestPump();
    }

    // An open batch that holds no item yet is replaced by one under the new rules, so they apply to the very next item.
    // A caller that claims a place in it meanwhile is not held back: the batch is marked expired first, so it leaves at once.
    private void ReopenIfEmpty()
    {
        BatchNode<TItem, TResult> node = Volatile.Read(ref _open);
        long state = node.State;
        if (BatchNode<TItem, TResult>.IsSealed(state) || BatchNode<TItem, TResult>.ClaimedCount(state) != 0)
        {
            return;
        }

        node.MarkExpired();
        if (node.TrySeal(out int claimedCount))
        {
            OnSealed(claimedCount);
            AdvanceOpen(node);
        }
    }

    /// <summary>Returns a copy of the options in force: those the next batch opens under.</summary>
    public MicroBatchOptions GetOptions() => Volatile.Read(ref _settings).Options.Clone();

    // Racing callers may each create one; the loser's is disposed unused.
    private ITimer CreateTimer()
    {
        ITimer timer = TimeProvider is PreciseTimeProvider precise
            ? precise.CreateTimer(s_onTimer, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, OnTimerFailure)
            : TimeProvider.CreateTimer(s_onTimer, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        SchedulingPoint.Here("a timer is about to be installed");
        ITimer? existing = Interlocked.CompareExchange(ref _timer, timer, null);
        if (existing is null)
        {
            return timer;
        }

        timer.Dispose();
        return existing;
    }
}
